#include "server/core/locations.h"
#include "absl/strings/string_view.h"

#include <filesystem>
#include <optional>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace almanac {

std::optional<std::string> LocalPath(absl::string_view location) {
  if (absl::StartsWith(location, "/")) return std::string(location);
  if (absl::StartsWith(location, "file://")) {
    absl::string_view rest = location.substr(7);
    // file://localhost/x or file:///x
    size_t slash = rest.find('/');
    if (slash == absl::string_view::npos) return std::nullopt;
    return std::string(rest.substr(slash));
  }
  if (absl::StartsWith(location, "file:")) return std::string(location.substr(5));
  return std::nullopt;
}

std::string JoinLocation(absl::string_view base, absl::string_view child) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!child.empty() && child.front() == '/') child.remove_prefix(1);
  return absl::StrCat(base, "/", child);
}

std::string DefaultDatabaseLocation(absl::string_view warehouse_root, absl::string_view db) {
  if (db == "default") return std::string(warehouse_root);
  return JoinLocation(warehouse_root, absl::StrCat(db, ".db"));
}

std::string NormalizeLocation(absl::string_view location) {
  if (absl::StartsWith(location, "/")) return absl::StrCat("file:", location);
  return std::string(location);
}

absl::Status DeleteLocation(absl::string_view location) {
  std::optional<std::string> path = LocalPath(location);
  if (!path) {
    LogWarning("not deleting data: no file-system client for this scheme",
               {{"location", std::string(location)}});
    return absl::OkStatus();
  }
  if (*path == "/" || path->empty()) {
    return absl::InvalidArgumentError(absl::StrCat("refusing to delete location ", location));
  }
  std::error_code ec;
  std::filesystem::remove_all(*path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("could not delete data at ", location, ": ", ec.message()));
  }
  LogInfo("deleted data", {{"location", std::string(location)}});
  return absl::OkStatus();
}

absl::Status MoveLocation(absl::string_view from, absl::string_view to) {
  std::optional<std::string> src = LocalPath(from);
  std::optional<std::string> dst = LocalPath(to);
  if (!src || !dst) {
    LogWarning("not moving data: no file-system client for this scheme",
               {{"from", std::string(from)}, {"to", std::string(to)}});
    return absl::OkStatus();
  }
  std::error_code ec;
  if (!std::filesystem::exists(*src, ec)) return absl::OkStatus();
  if (std::filesystem::exists(*dst, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot move ", from, " to ", to, ": the destination already exists"));
  }
  std::filesystem::create_directories(std::filesystem::path(*dst).parent_path(), ec);
  std::filesystem::rename(*src, *dst, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("could not move ", from, " to ", to, ": ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace almanac

namespace almanac {

absl::Status EnsureLocation(absl::string_view location) {
  std::optional<std::string> path = LocalPath(location);
  if (!path) return absl::OkStatus();
  std::error_code ec;
  std::filesystem::create_directories(*path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat(location, " is not a directory or unable to create one: ", ec.message()));
  }
  return absl::OkStatus();
}

bool IsUnderLocation(absl::string_view location, absl::string_view prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (!absl::StartsWith(location, prefix)) return false;
  return location.size() == prefix.size() || location[prefix.size()] == '/';
}

}  // namespace almanac
