#include "server/core/locations.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

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

bool IsUnderLocation(absl::string_view location, absl::string_view prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  if (!absl::StartsWith(location, prefix)) return false;
  return location.size() == prefix.size() || location[prefix.size()] == '/';
}

}  // namespace almanac
