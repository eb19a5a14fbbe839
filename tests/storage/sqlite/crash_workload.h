#pragma once

// A deterministic mixed workload for crash and I/O-fault tests of a Store, with a model of what
// the store acknowledged and a checker of what it holds afterwards.
//
// Each step is one Store::Write that creates a database, creates a partitioned table, adds a
// batch of partitions, bumps a table's counter parameter or drops a partition, and appends one
// change-feed event naming the step in the same transaction. A step that returned OK is
// acknowledged. A step that failed is in doubt: the checker accepts the store with it applied
// entirely or not at all, and then records which (Resolve). Anything else (an acknowledged
// step missing, a step half applied, a change no step made) is an error.
//
// Thread-safety: none; one test thread drives a workload.

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "storage/store.h"

namespace almanac::testing {

class CrashWorkload {
 public:
  // What a store holds, as far as the workload's checks go.
  struct TableState {
    int64_t counter = 0;
    std::set<std::string> partitions;
    bool operator==(const TableState&) const = default;
  };
  struct CatalogState {
    std::map<std::string, std::map<std::string, TableState>> databases;
    std::set<int64_t> steps;  // Ids of the steps whose event is present.
    bool operator==(const CatalogState&) const = default;
  };
  enum class Outcome { kAbsent, kApplied };

  // With `uniform`, once a database and a table exist every step adds the same number of
  // partitions to that table, so that steps do the same I/O (for I/O-error loops).
  explicit CrashWorkload(uint64_t seed, bool uniform = false) : rng_(seed), uniform_(uniform) {}

  // Runs the next step as one Write. Returns its status; after an error the step is in doubt
  // and Step must not be called again before Verify.
  absl::Status Step(Store& store);

  // Checks `store` against the acknowledged steps and the step in doubt, if any. Returns the
  // in doubt step's outcome (kAbsent when there is none); DataLoss describing the difference
  // when the store matches neither outcome. Afterwards nothing is in doubt.
  absl::StatusOr<Outcome> Verify(Store& store);

  bool in_doubt() const { return in_doubt_.has_value(); }
  int64_t acknowledged() const { return acknowledged_; }
  // Objects the last Verify compared (databases, tables and partitions).
  int64_t objects_checked() const { return objects_checked_; }

 private:
  enum class Kind { kCreateDatabase, kCreateTable, kAddPartitions, kBumpCounter, kDropPartition };
  struct Op {
    int64_t id = 0;
    Kind kind = Kind::kCreateDatabase;
    std::string database;
    std::string table;
    std::vector<std::string> partitions;
  };

  Op NextOp();
  absl::Status Apply(const Op& op, WriteTxn& txn) const;
  static void ApplyToModel(const Op& op, CatalogState& state);
  static absl::StatusOr<CatalogState> ReadState(Store& store);

  std::mt19937_64 rng_;
  const bool uniform_;
  CatalogState model_;
  std::optional<Op> in_doubt_;
  int64_t next_id_ = 1;
  int64_t next_name_ = 0;
  int64_t acknowledged_ = 0;
  int64_t objects_checked_ = 0;
};

}  // namespace almanac::testing
