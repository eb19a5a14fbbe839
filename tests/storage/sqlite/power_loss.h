#pragma once

// Simulated power losses against the SQLite store, shared by the unit test and the benchmark
// (bench/power_loss.cc).
//
// A chain runs `cycles` crash cycles on one catalog directory. Each cycle plans a crash at a
// random mutating I/O call, or at a random sync, of a FaultVfs, so the machine may stop while
// the store is created or opened, in the middle of a transaction, at a commit's WAL sync, or in
// the middle of a checkpoint. It opens the store through the VFS and runs CrashWorkload steps,
// closing the store cleanly and reopening it a third of the way in and running a TRUNCATE
// checkpoint half way, until the machine stops (or stops it after the last step). The store
// then closes with all I/O failing, and the power-loss model is applied. The files are copied
// and the copy opened with the normal store (SQLite's default VFS), which must open, pass
// PRAGMA integrity_check, and hold every acknowledged step and the step in doubt entirely or
// not at all. The next cycle continues on the crashed files.
//
// Thread-safety: none.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/storage/sqlite/fault_vfs.h"

namespace almanac::testing {

struct PowerLossConfig {
  uint64_t seed = 1;
  int cycles = 10;
  int steps_per_cycle = 12;
  PowerLossOptions::Mode mode = PowerLossOptions::Mode::kDropUnsynced;
};

struct PowerLossReport {
  int64_t crashes = 0;
  // Steps acknowledged before a crash, each checked after it.
  int64_t acknowledged_checked = 0;
  // Objects (databases, tables, partitions) compared after the crashes.
  int64_t objects_checked = 0;
  // Steps that failed when the machine stopped, found after the crash applied or absent.
  int64_t in_doubt_applied = 0;
  int64_t in_doubt_absent = 0;
  // Checks that failed: an acknowledged step missing or a step half applied, and stores that
  // would not open or failed integrity_check.
  int64_t lost_or_partial = 0;
  int64_t integrity_failures = 0;
  // Where the machine stopped ("write wal", "sync main-db", ...), counted.
  std::map<std::string, int64_t> crash_sites;
  // A description of each failed check (and of any unexpected error).
  std::vector<std::string> failures;

  void Add(const PowerLossReport& other);
};

// Runs one chain in `dir` (which must exist and be empty). Internal for a harness failure
// (e.g. a file that cannot be copied); check failures are counted in `report`, not returned.
absl::Status RunPowerLossChain(const std::string& dir, FaultVfs& vfs, const PowerLossConfig& config,
                               PowerLossReport* report);

// OK if PRAGMA integrity_check on `path` (opened read-only with the default VFS) says "ok";
// DataLoss with its findings otherwise.
absl::Status CheckIntegrity(const std::string& path);

}  // namespace almanac::testing
