#pragma once

// Default locations of databases, tables and partitions. The file-system work behind them
// (creating directories, deleteData, managed-table renames) goes through LocationGuard
// (server/core/location_guard.h), which touches only "file:" locations under allowed roots.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace almanac {

// Joins a location and a child path segment with exactly one '/'.
std::string JoinLocation(absl::string_view base, absl::string_view child);

// "<root>/<db>.db", or the root itself for the "default" database, as Hive does.
std::string DefaultDatabaseLocation(absl::string_view warehouse_root, absl::string_view db);

// Turns a bare absolute path into a "file:" URI; leaves URIs unchanged.
std::string NormalizeLocation(absl::string_view location);

// True when the path of `location` (after any "scheme:" and "//authority") is empty or "/":
// "hdfs://nn:8020", "file:/", "/". A blank location is not a root.
bool IsRootLocation(absl::string_view location);

// True when `location` equals `prefix` or lies below it.
bool IsUnderLocation(absl::string_view location, absl::string_view prefix);

// HMS reads a location it creates a directory for as a Hadoop Path qualified by its file
// system, which needs a valid scheme (if any) and an absolute path: "x/y", or "host:8080/y"
// (scheme "host", path "8080/y"), is refused. InvalidArgument says which part is wrong.
absl::Status CheckPathLocation(absl::string_view location);

}  // namespace almanac
