#include "server/core/location_guard.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/logging.h"
#include "common/status_macros.h"

namespace almanac {
namespace {

namespace fs = std::filesystem;

// RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ':'. Returns the scheme, or "" when
// `location` does not start with one.
absl::string_view SchemeOf(absl::string_view location) {
  if (location.empty() || !absl::ascii_isalpha(location[0])) return "";
  for (size_t i = 1; i < location.size(); ++i) {
    const char c = location[i];
    if (c == ':') return location.substr(0, i);
    if (!absl::ascii_isalnum(c) && c != '+' && c != '-' && c != '.') return "";
  }
  return "";
}

ParsedLocation Unusable(std::string problem) {
  return ParsedLocation{ParsedLocation::Kind::kUnusable, "", std::move(problem)};
}

ParsedLocation Local(absl::string_view path) {
  if (!absl::StartsWith(path, "/")) return Unusable("it is a relative path");
  return ParsedLocation{ParsedLocation::Kind::kLocal, NormalizeAbsolutePath(path), ""};
}

bool IsUnder(absl::string_view path, absl::string_view root) {
  if (root == "/") return true;
  return absl::StartsWith(path, root) && (path.size() == root.size() || path[root.size()] == '/');
}

// `path` with its symbolic links resolved; with LastLink::kKeep the last component is kept as
// it is. Components that do not exist yet are kept as they are (they hold no links).
absl::StatusOr<std::string> ResolveLinks(const std::string& path, LocationGuard::LastLink last) {
  std::error_code ec;
  fs::path p(path);
  fs::path resolved;
  if (last == LocationGuard::LastLink::kKeep && p.has_filename()) {
    resolved = fs::weakly_canonical(p.parent_path(), ec) / p.filename();
  } else {
    resolved = fs::weakly_canonical(p, ec);
  }
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("its symbolic links cannot be resolved: ", ec.message()));
  }
  return NormalizeAbsolutePath(resolved.string());
}

}  // namespace

std::string NormalizeAbsolutePath(absl::string_view path) {
  std::vector<absl::string_view> kept;
  for (absl::string_view segment : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    if (segment == ".") continue;
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  return absl::StrCat("/", absl::StrJoin(kept, "/"));
}

ParsedLocation ParseLocation(absl::string_view location) {
  if (location.empty()) return Unusable("it is empty");
  if (absl::StrContains(location, absl::string_view("\0", 1))) {
    return Unusable("it contains a NUL byte");
  }
  if (absl::StartsWith(location, "/")) return Local(location);
  const absl::string_view scheme = SchemeOf(location);
  if (scheme.empty()) return Unusable("it is a relative path");
  if (!absl::EqualsIgnoreCase(scheme, "file")) {
    return ParsedLocation{ParsedLocation::Kind::kForeign, "", ""};
  }
  absl::string_view rest = location.substr(scheme.size() + 1);
  if (!absl::StartsWith(rest, "//")) return Local(rest);
  rest.remove_prefix(2);
  const size_t slash = rest.find('/');
  const absl::string_view host = rest.substr(0, slash);
  if (!host.empty() && !absl::EqualsIgnoreCase(host, "localhost")) {
    return Unusable(absl::StrCat("it names the host '", host, "', not this one"));
  }
  if (slash == absl::string_view::npos) return Unusable("it has no path");
  return Local(rest.substr(slash));
}

absl::StatusOr<std::string> ParseRoot(absl::string_view root) {
  ParsedLocation parsed = ParseLocation(root);
  if (parsed.kind == ParsedLocation::Kind::kLocal) return parsed.path;
  const std::string why = parsed.kind == ParsedLocation::Kind::kForeign
                              ? "only file: URIs and absolute paths can be allowed roots"
                              : parsed.problem;
  return absl::InvalidArgumentError(absl::StrCat("allowed root '", root, "' is unusable: ", why));
}

LocationGuard::LocationGuard(const std::vector<std::string>& roots, const std::string& trash) {
  if (!trash.empty()) {
    absl::StatusOr<std::string> path = ParseRoot(trash);
    if (path.ok()) {
      trash_ = *path;
    } else {
      LogWarning("not a trash directory", {{"trash", trash}, {"error", path.status().ToString()}});
    }
  }
  for (const std::string& root : roots) {
    absl::StatusOr<std::string> path = ParseRoot(root);
    if (!path.ok()) {
      LogWarning("not an allowed root", {{"root", root}, {"error", path.status().ToString()}});
      continue;
    }
    if (std::find(roots_.begin(), roots_.end(), *path) == roots_.end()) roots_.push_back(*path);
  }
}

std::string LocationGuard::RootsText() const {
  return roots_.empty() ? "(none)" : absl::StrJoin(roots_, ",");
}

bool LocationGuard::IsAllowedPath(const std::string& resolved) const {
  for (const std::string& root : roots_) {
    absl::StatusOr<std::string> resolved_root = ResolveLinks(root, LastLink::kFollow);
    if (resolved_root.ok() && IsUnder(resolved, *resolved_root)) return true;
  }
  return false;
}

LocationGuard::Target LocationGuard::Check(absl::string_view location, LastLink last) const {
  Target target;
  ParsedLocation parsed = ParseLocation(location);
  if (parsed.kind == ParsedLocation::Kind::kForeign) {
    target.kind = Target::Kind::kForeign;
    return target;
  }
  if (parsed.kind == ParsedLocation::Kind::kUnusable) {
    target.reason = absl::StrCat("not a usable local path: ", parsed.problem);
    return target;
  }
  absl::StatusOr<std::string> resolved = ResolveLinks(parsed.path, last);
  if (!resolved.ok()) {
    target.reason = std::string(resolved.status().message());
    return target;
  }
  target.path = *resolved;
  for (const std::string& root : roots_) {
    absl::StatusOr<std::string> resolved_root = ResolveLinks(root, LastLink::kFollow);
    if (!resolved_root.ok() || !IsUnder(target.path, *resolved_root)) continue;
    target.kind = Target::Kind::kAllowed;
    target.is_root = target.is_root || target.path == *resolved_root;
  }
  if (target.kind != Target::Kind::kAllowed) target.reason = "outside the allowed roots";
  return target;
}

void LocationGuard::LogSkipped(absl::string_view action, absl::string_view location,
                               const Target& target) const {
  if (target.kind == Target::Kind::kForeign) {
    LogWarning(absl::StrCat("not going to ", action, ": no file-system client for this scheme"),
               {{"location", std::string(location)}});
    return;
  }
  LogWarning(
      absl::StrCat("not going to ", action, ": ", target.reason),
      {{"location", std::string(location)}, {"path", target.path}, {"allowed_roots", RootsText()}});
}

LocationGuard::Target LocationGuard::DeletableTarget(absl::string_view location) const {
  Target target = Check(location, LastLink::kKeep);
  if (target.kind == Target::Kind::kAllowed && target.is_root) {
    target.kind = Target::Kind::kRefused;
    target.reason = "it is an allowed root";
  }
  return target;
}

absl::Status LocationGuard::Delete(absl::string_view location) const {
  const Target target = DeletableTarget(location);
  if (target.kind != Target::Kind::kAllowed) {
    LogSkipped("delete data", location, target);
    return absl::OkStatus();
  }
  std::error_code ec;
  fs::remove_all(target.path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("could not delete data at ", location, ": ", ec.message()));
  }
  LogInfo("deleted data", {{"location", std::string(location)}, {"path", target.path}});
  return absl::OkStatus();
}

absl::Status LocationGuard::Discard(absl::string_view location, bool purge) const {
  if (purge || trash_.empty()) return Delete(location);
  const Target target = DeletableTarget(location);
  if (target.kind != Target::Kind::kAllowed) {
    LogSkipped("move data to the trash", location, target);
    return absl::OkStatus();
  }
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(target.path, ec))) return absl::OkStatus();
  // Hadoop's layout: the data keeps its absolute path under "<trash>/Current".
  const std::string base = absl::StrCat(trash_, "/Current", target.path);
  std::string destination = base;
  for (int attempt = 0; fs::exists(fs::symlink_status(destination, ec)); ++attempt) {
    if (attempt == 100) {
      return absl::InternalError(absl::StrCat("could not move ", location,
                                              " to the trash: every name at ", base, " is taken"));
    }
    destination = absl::StrCat(base, absl::ToUnixMillis(absl::Now()) + attempt);
  }
  ec.clear();
  fs::create_directories(fs::path(destination).parent_path(), ec);
  if (!ec) fs::rename(target.path, destination, ec);
  if (ec) {
    return absl::InternalError(absl::StrCat("could not move ", location, " to the trash at ",
                                            destination, ": ", ec.message()));
  }
  LogInfo("moved data to the trash",
          {{"location", std::string(location)}, {"path", target.path}, {"trash", destination}});
  return absl::OkStatus();
}

absl::Status LocationGuard::RemoveIfEmpty(absl::string_view location) const {
  const Target target = DeletableTarget(location);
  if (target.kind != Target::Kind::kAllowed) return absl::OkStatus();
  std::error_code ec;
  const fs::file_status status = fs::symlink_status(target.path, ec);
  if (!fs::is_directory(status) || !fs::is_empty(target.path, ec) || ec) return absl::OkStatus();
  fs::remove(target.path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("could not remove the empty directory ", location, ": ", ec.message()));
  }
  return absl::OkStatus();
}

std::optional<std::string> LocationGuard::UnwritableParent(absl::string_view location) const {
  const Target target = Check(location, LastLink::kKeep);
  if (target.kind != Target::Kind::kAllowed || target.path == "/") return std::nullopt;
  const std::string parent = fs::path(target.path).parent_path().string();
  struct stat st;
  if (::stat(parent.c_str(), &st) != 0) return std::nullopt;
  mode_t bit = S_IWOTH;
  if (st.st_uid == ::geteuid()) {
    bit = S_IWUSR;
  } else if (st.st_gid == ::getegid()) {
    bit = S_IWGRP;
  }
  if ((st.st_mode & bit) != 0) return std::nullopt;
  return parent;
}

absl::StatusOr<std::string> LocationGuard::EmptiablePath(absl::string_view location) const {
  Target target = Check(location, LastLink::kFollow);
  std::string reason = target.reason;
  if (target.kind == Target::Kind::kForeign) {
    reason = "the server has no file-system client for its scheme";
  } else if (target.kind == Target::Kind::kAllowed && target.is_root) {
    reason = "it is an allowed root";
  } else if (target.kind == Target::Kind::kAllowed) {
    return std::move(target.path);
  }
  return absl::FailedPreconditionError(absl::StrCat("cannot delete the data at ", location, ": ",
                                                    reason, " (allowed roots: ", RootsText(), ")"));
}

absl::Status LocationGuard::CheckEmptiable(absl::string_view location) const {
  return EmptiablePath(location).status();
}

absl::Status LocationGuard::EmptyDirectory(absl::string_view location) const {
  ASSIGN_OR_RETURN(const std::string path, EmptiablePath(location));
  std::error_code ec;
  fs::create_directories(path, ec);
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(it->path());
  }
  for (const fs::path& entry : entries) {
    if (ec) break;
    fs::remove_all(entry, ec);
  }
  if (ec) {
    return absl::InternalError(
        absl::StrCat("could not delete the data at ", location, ": ", ec.message()));
  }
  LogInfo("deleted data", {{"location", std::string(location)}, {"path", path}});
  return absl::OkStatus();
}

absl::Status LocationGuard::Ensure(absl::string_view location) const {
  const Target target = Check(location, LastLink::kFollow);
  if (target.kind == Target::Kind::kForeign) return absl::OkStatus();
  if (target.kind != Target::Kind::kAllowed) {
    LogSkipped("create a directory", location, target);
    return absl::OkStatus();
  }
  std::error_code ec;
  fs::create_directories(target.path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat(location, " is not a directory or unable to create one: ", ec.message()));
  }
  return absl::OkStatus();
}

absl::Status LocationGuard::Move(absl::string_view from, absl::string_view to) const {
  Target src = Check(from, LastLink::kKeep);
  Target dst = Check(to, LastLink::kKeep);
  for (Target* end : {&src, &dst}) {
    if (end->kind == Target::Kind::kAllowed && end->is_root) {
      end->kind = Target::Kind::kRefused;
      end->reason = "it is an allowed root";
    }
  }
  if (src.kind != Target::Kind::kAllowed) {
    LogSkipped(absl::StrCat("move data to ", to), from, src);
    return absl::OkStatus();
  }
  if (dst.kind != Target::Kind::kAllowed) {
    LogSkipped(absl::StrCat("move data from ", from), to, dst);
    return absl::OkStatus();
  }
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(src.path, ec))) return absl::OkStatus();
  if (fs::exists(fs::symlink_status(dst.path, ec))) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot move ", from, " to ", to, ": the destination already exists"));
  }
  ec.clear();
  fs::create_directories(fs::path(dst.path).parent_path(), ec);
  fs::rename(src.path, dst.path, ec);
  if (ec) {
    return absl::InternalError(
        absl::StrCat("could not move ", from, " to ", to, ": ", ec.message()));
  }
  return absl::OkStatus();
}

}  // namespace almanac
