#pragma once

// Default locations of databases, tables and partitions, and the file-system work behind
// deleteData and managed-table renames.
//
// Only "file:" locations (and bare absolute paths) are touched on disk. For other schemes
// (hdfs:, s3a:, ...) the metastore has no file-system client: the action is logged and skipped,
// and the engine that owns the data is expected to manage it, as is documented in the README.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace almanac {

// The local path of a "file:" URI ("file:/x", "file:///x") or of a bare absolute path; nullopt
// for any other scheme.
std::optional<std::string> LocalPath(absl::string_view location);

// Joins a location and a child path segment with exactly one '/'.
std::string JoinLocation(absl::string_view base, absl::string_view child);

// "<root>/<db>.db", or the root itself for the "default" database, as Hive does.
std::string DefaultDatabaseLocation(absl::string_view warehouse_root, absl::string_view db);

// Turns a bare absolute path into a "file:" URI; leaves URIs unchanged.
std::string NormalizeLocation(absl::string_view location);

// Recursively deletes a "file:" location. Missing directories are fine. Other schemes are
// logged and left alone. Returns Internal when the file system refuses.
absl::Status DeleteLocation(absl::string_view location);

// Renames a "file:" directory (if it exists). Other schemes are logged and left alone.
absl::Status MoveLocation(absl::string_view from, absl::string_view to);

}  // namespace almanac

namespace almanac {

// Creates a "file:" directory and its parents if missing. Other schemes are left alone.
absl::Status EnsureLocation(absl::string_view location);

// True when `location` equals `prefix` or lies below it.
bool IsUnderLocation(absl::string_view location, absl::string_view prefix);

}  // namespace almanac
