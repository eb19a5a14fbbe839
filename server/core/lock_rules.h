#pragma once

// HMS's lock rules, shared by the lock calls (locks.cc) and the transaction calls (txns.cc):
// validation of lock components, when two components overlap, Hive's compatibility matrix, and
// the steps both kinds of call take inside one store write transaction.
//
// The matrix is Hive 4's (metastore-server CheckLockFunction). With R the requested component and
// E an overlapping component of another lock:
//
//   R \ E          SHARED_READ  SHARED_WRITE  EXCL_WRITE  EXCLUSIVE
//   SHARED_READ        -            -             -          X(1)
//   SHARED_WRITE       -            -             X          X
//   EXCL_WRITE         -            X             X          X
//   EXCLUSIVE         X(2)          X             X          X
//
//   (1) not when R is DB-level and E is on a table or partition;
//   (2) not when E is DB-level and R is on a table or partition.
//
// A DB-level component overlaps every component on its database; a TABLE-level one overlaps the
// table and each of its partitions; PARTITION-level ones overlap when they name the same
// partition. Locks of the same (non-zero) transaction never conflict with each other.
//
// Thread-safety: pure functions, or functions confined to the caller's store transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/model.h"
#include "storage/store.h"

namespace almanac {

// Lower-cases the names, clears the names the level does not use (a DB-level component names no
// table), and checks that the level's names are present: InvalidArgument otherwise.
absl::Status NormalizeLockComponent(LockComponent& component);

// Whether the resources of two components overlap (see above).
bool LockComponentsOverlap(const LockComponent& a, const LockComponent& b);

// Whether `requested` must wait for `existing`: they overlap and the matrix says they conflict.
bool LockComponentsConflict(const LockComponent& requested, const LockComponent& existing);

// The id of a lock that keeps `lock` (stored, kWaiting) from being granted: a lock of another
// transaction with a conflicting component that is kAcquired, or that is kWaiting and older
// (a smaller id), which makes waiting locks go first-in, first-out. nullopt if none.
absl::StatusOr<std::optional<int64_t>> FindBlockingLock(ReadView& view, const Lock& lock);

// Hive's names for ids in messages: "lockid:12", "txnid:7".
std::string LockIdText(int64_t lock_id);
std::string TxnIdText(int64_t txn_id);

// The open transaction `txn_id`, or a status tagged ErrorSubject::kTxn with Hive's text:
// NotFound "No such transaction txnid:N" or "Transaction txnid:N is already committed.", Aborted
// "Transaction txnid:N already aborted".
absl::StatusOr<TxnInfo> RequireOpenTxn(ReadView& view, int64_t txn_id);

// What one reaping pass removed.
struct ReapResult {
  std::vector<Lock> locks;       // Expired locks, deleted (without their components).
  std::vector<int64_t> aborted;  // Expired open transactions, now aborted with their locks.
};

// Aborts open transactions and deletes locks last heartbeated before `cutoff_ms`.
absl::StatusOr<ReapResult> ReapExpired(WriteTxn& txn, int64_t now_ms, int64_t cutoff_ms);

// Ends an open transaction in `state` (committed or aborted) and releases its locks.
absl::Status FinishTxn(WriteTxn& txn, int64_t txn_id, TxnState state, int64_t now_ms);

}  // namespace almanac
