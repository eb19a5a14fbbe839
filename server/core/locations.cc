#include "server/core/locations.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace almanac {
namespace {

// RFC 3986: a letter, then letters, digits, '+', '-' or '.'.
bool IsUriScheme(absl::string_view scheme) {
  if (scheme.empty() || !absl::ascii_isalpha(scheme.front())) return false;
  for (char c : scheme) {
    if (!absl::ascii_isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace

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

bool IsRootLocation(absl::string_view location) {
  location = absl::StripAsciiWhitespace(location);
  if (location.empty()) return false;
  const size_t colon = location.find_first_of(":/");
  if (colon != absl::string_view::npos && location[colon] == ':' && colon > 0) {
    location.remove_prefix(colon + 1);
    if (absl::ConsumePrefix(&location, "//")) {
      const size_t path = location.find('/');
      location = path == absl::string_view::npos ? "" : location.substr(path);
    }
  }
  return location.find_first_not_of('/') == absl::string_view::npos;
}

bool IsUnderLocation(absl::string_view location, absl::string_view prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (!absl::StartsWith(location, prefix)) return false;
  return location.size() == prefix.size() || location[prefix.size()] == '/';
}

absl::Status CheckPathLocation(absl::string_view location) {
  absl::string_view path = location;
  // As Hadoop's Path: a ':' before the first '/' ends the scheme, and "//" starts an authority.
  const size_t colon = path.find(':');
  const size_t slash = path.find('/');
  if (colon != absl::string_view::npos && (slash == absl::string_view::npos || colon < slash)) {
    if (!IsUriScheme(path.substr(0, colon))) {
      return absl::InvalidArgumentError(absl::StrCat("'", location, "' is not a valid location: '",
                                                     path.substr(0, colon),
                                                     "' is not a URI scheme"));
    }
    path.remove_prefix(colon + 1);
  }
  bool has_authority = false;
  if (absl::StartsWith(path, "//") && path.size() > 2) {
    const size_t end = path.find('/', 2);
    path = end == absl::string_view::npos ? absl::string_view() : path.substr(end);
    has_authority = true;
  }
  if (path.empty() ? has_authority : path.front() == '/') return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("'", location, "' is not a valid location: its path is not absolute"));
}

}  // namespace almanac
