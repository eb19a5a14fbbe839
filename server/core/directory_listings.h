#pragma once

// The file-system facts behind the quick stats (server/core/quick_stats.h): whether a data
// directory exists, and how many files and bytes it holds as Hive counts them.
//
// A call gathers them before its write transaction, so that no directory is listed while the
// catalog's single writer (or a reader connection) is held: it reads the objects involved,
// runs its quick-stats rules over drafts of them with the listings open (each location is
// probed and listed on first use), then freezes the listings and runs the same rules inside
// its transaction. There, a location that was not gathered before (the catalog changed in
// between) reads as one that cannot be listed.
//
// Only locations that LocationGuard allows are listed, and one call's listings share a budget
// of directory entries and of time. When it runs out, the location being listed, and every
// later one, is not counted, and a warning is logged.
//
// Thread-safety: one object per call, used by one thread at a time.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/core/location_guard.h"

namespace almanac {

// What a directory holds, as Hive counts it.
struct DirectoryStats {
  int64_t num_files = 0;
  int64_t total_size = 0;  // Bytes.
};

// Where a table's or partition's directory stands before the metastore would create it.
// kNotLocal: another scheme, a location the server may not touch, or one not gathered.
enum class DirState { kNotLocal, kMissing, kDirectory };

// The work a call's listings may still do: `max_entries` directory entries, read within
// `timeout` of the first one and before the deadline of the request open on the thread.
class ListingBudget {
 public:
  ListingBudget(int64_t max_entries, absl::Duration timeout);

  // Accounts for one more directory entry. False once the entries or the time have run out.
  bool Spend();
  bool exhausted() const { return exhausted_; }
  int64_t max_entries() const { return max_entries_; }
  absl::Duration timeout() const { return timeout_; }

 private:
  int64_t max_entries_;
  absl::Duration timeout_;
  int64_t spent_ = 0;
  absl::Time deadline_ = absl::InfiniteFuture();
  bool exhausted_ = false;
};

// Lists `location` as Hive's FileUtils.getFileStatusRecurse does: recursively, skipping entries
// whose names start with '.' or '_' (hidden directories are not entered), counting files (and
// not directories) with their sizes. Symbolic links are followed, except those that lead
// outside the allowed roots. A location that does not exist, or a listing error, counts as
// empty; a location that is itself a file counts as that one file. Returns nullopt when
// `location` is not one `guard` allows, or when `budget` runs out.
std::optional<DirectoryStats> ScanLocation(const LocationGuard& guard, absl::string_view location,
                                           ListingBudget& budget);

class DirectoryListings {
 public:
  // `guard` is not owned and must outlive this object.
  DirectoryListings(const LocationGuard* guard, int64_t max_entries, absl::Duration timeout);
  DirectoryListings(const DirectoryListings&) = delete;
  DirectoryListings& operator=(const DirectoryListings&) = delete;

  // From now on nothing new is probed or listed.
  void Freeze() { frozen_ = true; }

  DirState Probe(absl::string_view location);
  // The stats of `location` (ScanLocation); nullopt when it cannot be counted.
  std::optional<DirectoryStats> Count(absl::string_view location);
  // True when the directory holds no entry that Hive's hidden-file filter lets through
  // (Warehouse.isEmptyDir); false when unknown.
  bool HasNoVisibleEntries(absl::string_view location);

 private:
  struct Facts {
    LocationGuard::Target target;
    std::optional<DirState> state;
    std::optional<std::optional<DirectoryStats>> stats;
    std::optional<bool> no_visible_entries;
  };
  // The facts of `location`, added when first asked for. Once frozen, a new location is one
  // that was not gathered: it reads as not listable.
  Facts* Find(absl::string_view location);

  const LocationGuard* guard_;
  ListingBudget budget_;
  bool frozen_ = false;
  std::map<std::string, Facts, std::less<>> facts_;
};

}  // namespace almanac
