#include "server/core/locations.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace almanac {

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

}  // namespace almanac
