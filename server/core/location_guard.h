#pragma once

// Where almanacd may touch the local file system. Clients choose the locations of databases,
// tables and partitions, so before the server deletes, creates, moves or lists anything at a
// "file:" location it normalises the path, resolves its symbolic links and checks that the
// result lies under an allowed root: the warehouse root or one of the configured roots.
// Outside them the catalog still records the location (Hive accepts any), but the file system
// is left alone and a warning names the location and the allowed roots.
//
// Every operation acts on the resolved path it checked, never on the client's text again.
//
// Thread-safety: immutable after construction; safe to share between threads.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace almanac {

// Lexically normalises an absolute path: repeated slashes and "." segments go, ".." removes the
// segment before it ("/.." is "/"), and there is no trailing slash except for "/" itself.
std::string NormalizeAbsolutePath(absl::string_view path);

// How a location relates to the local file system.
struct ParsedLocation {
  enum class Kind {
    kLocal,     // `path` is the normalised absolute local path.
    kForeign,   // Another scheme (hdfs:, s3a:, ...): the server has no client for it.
    kUnusable,  // Meant as local but not usable; `problem` says why.
  };
  Kind kind = Kind::kUnusable;
  std::string path;
  std::string problem;
};

// Parses "file:/x", "file:///x", "file://localhost/x" and bare absolute paths as local.
// Relative paths ("x/y", "file:x"), "file://<another host>/x", empty locations and paths with a
// NUL byte are unusable.
ParsedLocation ParseLocation(absl::string_view location);

// The local path of an allowed root given as a "file:" URI or an absolute path.
// InvalidArgument (naming the root and why) for anything else.
absl::StatusOr<std::string> ParseRoot(absl::string_view root);

class LocationGuard {
 public:
  // Where the server may act for one location.
  struct Target {
    enum class Kind {
      kAllowed,  // `path` (links resolved) lies under an allowed root.
      kForeign,  // Not a local location: nothing to do here.
      kRefused,  // Unusable or outside the roots; `reason` says why.
    };
    Kind kind = Kind::kRefused;
    std::string path;
    std::string reason;
    bool is_root = false;  // kAllowed and `path` is an allowed root itself.
  };

  // Whether the last component of a path is followed when it is a symbolic link. Deleting or
  // moving a link acts on the link itself; creating or listing follows it.
  enum class LastLink { kFollow, kKeep };

  // `roots` are "file:" URIs or absolute paths; those that are not local (an "hdfs:" warehouse,
  // say) are logged and ignored. `trash` (optional, a "file:" URI or absolute path) is the
  // Hadoop-style trash root that Discard moves data into; an unusable one is logged and
  // ignored, leaving no trash.
  explicit LocationGuard(const std::vector<std::string>& roots, const std::string& trash = "");

  // The normalised roots, as given (before resolving links), for messages.
  const std::vector<std::string>& roots() const { return roots_; }
  // The roots joined with commas, as logged.
  std::string RootsText() const;

  Target Check(absl::string_view location, LastLink last = LastLink::kFollow) const;
  // True when the absolute path `resolved`, whose links are already resolved, lies under a root.
  bool IsAllowedPath(const std::string& resolved) const;

  // Recursively deletes an allowed location (a missing one is fine). A foreign, unusable or
  // outside location, or a root itself, is logged and left alone. Returns Internal only when the
  // file system refuses an allowed deletion.
  absl::Status Delete(absl::string_view location) const;
  // Deletes an allowed location as Delete does, or, when a trash is configured and `purge` is
  // false, moves it to "<trash>/Current/<its resolved absolute path>" as Hadoop's trash does
  // (with a millisecond suffix when that name is taken). The trash is the one place outside the
  // roots where the server creates directories, and only to receive data from inside them.
  // Internal when the file system refuses (a move across file systems, say).
  absl::Status Discard(absl::string_view location, bool purge) const;
  // Removes the allowed directory `location` if it is empty and not a root; leaves anything else
  // alone. Internal when the file system refuses.
  absl::Status RemoveIfEmpty(absl::string_view location) const;
  // Creates an allowed directory and its parents if missing; logs and skips otherwise. Internal
  // when the file system refuses.
  absl::Status Ensure(absl::string_view location) const;
  // Renames an existing directory when both ends are allowed (and neither is a root); logs and
  // skips otherwise. FailedPrecondition when the destination exists; Internal when the file
  // system refuses.
  absl::Status Move(absl::string_view from, absl::string_view to) const;

  // The directory that holds an allowed `location` when its permission bits do not let this
  // process write it, as Hadoop's permission check reads them: the owner's bits for the owner,
  // the group's for a member of the group, the others' for anyone else, with no exception for
  // root. nullopt when it is writable, or when the location is not allowed (nothing is deleted
  // there anyway).
  std::optional<std::string> UnwritableParent(absl::string_view location) const;

  // FailedPrecondition, naming the location and the reason, when EmptyDirectory would refuse
  // `location`: a foreign, unusable or outside location, or a root itself.
  absl::Status CheckEmptiable(absl::string_view location) const;
  // Deletes everything inside an allowed directory, hidden entries included, and keeps the
  // directory (creating it if missing), as HMS's truncate does. Entries are removed without
  // following symbolic links. The refusals of CheckEmptiable; Internal when the file system
  // refuses.
  absl::Status EmptyDirectory(absl::string_view location) const;

  // Logs a warning saying why the server will not `action` (e.g. "delete data") at `location`,
  // naming the location, the resolved path and the allowed roots.
  void LogSkipped(absl::string_view action, absl::string_view location, const Target& target) const;

 private:
  // The deletable target for `location`, or a refused one (also for a root itself).
  Target DeletableTarget(absl::string_view location) const;
  // The resolved path EmptyDirectory would empty, or CheckEmptiable's refusal.
  absl::StatusOr<std::string> EmptiablePath(absl::string_view location) const;

  std::vector<std::string> roots_;
  std::string trash_;  // Normalised trash root; empty: none.
};

}  // namespace almanac
