#include "server/core/lock_rules.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/error_subject.h"
#include "server/core/names.h"

namespace almanac {
namespace {

const char* LevelName(LockLevel level) {
  switch (level) {
    case LockLevel::kDb:
      return "DB";
    case LockLevel::kTable:
      return "TABLE";
    case LockLevel::kPartition:
      return "PARTITION";
  }
  return "?";
}

bool IsKnownLevel(LockLevel level) {
  return level == LockLevel::kDb || level == LockLevel::kTable || level == LockLevel::kPartition;
}

bool IsKnownType(LockType type) {
  return type == LockType::kSharedRead || type == LockType::kSharedWrite ||
         type == LockType::kExclusive || type == LockType::kExclWrite;
}

absl::Status MissingName(LockLevel level, const char* what) {
  return absl::InvalidArgumentError(
      absl::StrCat("a ", LevelName(level), "-level lock component needs a ", what, " name"));
}

// The matrix of lock_rules.h, before the DB-level exceptions.
bool TypesConflict(LockType requested, LockType existing) {
  switch (requested) {
    case LockType::kSharedRead:
      return existing == LockType::kExclusive;
    case LockType::kSharedWrite:
      return existing == LockType::kExclWrite || existing == LockType::kExclusive;
    case LockType::kExclWrite:
      return existing != LockType::kSharedRead;
    case LockType::kExclusive:
      return true;
  }
  return true;
}

}  // namespace

absl::Status NormalizeLockComponent(LockComponent& c) {
  if (!IsKnownLevel(c.level)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown lock level ", static_cast<int>(c.level)));
  }
  if (!IsKnownType(c.type)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown lock type ", static_cast<int>(c.type)));
  }
  c.database = NormalizeName(c.database);
  c.table = NormalizeName(c.table);
  if (c.level == LockLevel::kDb) c.table.clear();
  if (c.level != LockLevel::kPartition) c.partition.clear();
  if (c.database.empty()) return MissingName(c.level, "database");
  if (c.level != LockLevel::kDb && c.table.empty()) return MissingName(c.level, "table");
  if (c.level == LockLevel::kPartition && c.partition.empty()) {
    return MissingName(c.level, "partition");
  }
  return absl::OkStatus();
}

bool LockComponentsOverlap(const LockComponent& a, const LockComponent& b) {
  if (a.database != b.database) return false;
  if (a.table.empty() || b.table.empty()) return true;
  if (a.table != b.table) return false;
  return a.partition.empty() || b.partition.empty() || a.partition == b.partition;
}

bool LockComponentsConflict(const LockComponent& requested, const LockComponent& existing) {
  if (!LockComponentsOverlap(requested, existing)) return false;
  if (!TypesConflict(requested.type, existing.type)) return false;
  // SHARED_READ on a database only guards it against being dropped; it does not conflict with an
  // EXCLUSIVE lock on one of its tables or partitions, in either order.
  if (requested.type == LockType::kSharedRead && requested.table.empty() &&
      !existing.table.empty()) {
    return false;
  }
  if (existing.type == LockType::kSharedRead && existing.table.empty() &&
      !requested.table.empty()) {
    return false;
  }
  return true;
}

absl::StatusOr<std::optional<int64_t>> FindBlockingLock(ReadView& view, const Lock& lock) {
  for (const LockComponent& requested : lock.components) {
    ASSIGN_OR_RETURN(std::vector<Lock> candidates,
                     view.ListLocksOnResource(requested.database, requested.table));
    for (const Lock& other : candidates) {
      if (other.id == lock.id) continue;
      if (lock.txn_id != 0 && other.txn_id == lock.txn_id) continue;
      if (other.state != LockState::kAcquired && other.id > lock.id) continue;
      for (const LockComponent& existing : other.components) {
        if (LockComponentsConflict(requested, existing)) return other.id;
      }
    }
  }
  return std::nullopt;
}

std::string LockIdText(int64_t lock_id) { return absl::StrCat("lockid:", lock_id); }
std::string TxnIdText(int64_t txn_id) { return absl::StrCat("txnid:", txn_id); }

absl::StatusOr<TxnInfo> RequireOpenTxn(ReadView& view, int64_t txn_id) {
  absl::StatusOr<TxnInfo> txn = view.GetTxn(txn_id);
  if (absl::IsNotFound(txn.status())) {
    return WithSubject(absl::NotFoundError(absl::StrCat("No such transaction ", TxnIdText(txn_id))),
                       ErrorSubject::kTxn);
  }
  RETURN_IF_ERROR(txn.status());
  switch (txn->state) {
    case TxnState::kOpen:
      return txn;
    case TxnState::kAborted:
      return WithSubject(
          absl::AbortedError(absl::StrCat("Transaction ", TxnIdText(txn_id), " already aborted")),
          ErrorSubject::kTxn);
    case TxnState::kCommitted:
      break;
  }
  return WithSubject(absl::NotFoundError(
                         absl::StrCat("Transaction ", TxnIdText(txn_id), " is already committed.")),
                     ErrorSubject::kTxn);
}

absl::StatusOr<ReapResult> ReapExpired(WriteTxn& txn, int64_t now_ms, int64_t cutoff_ms) {
  ReapResult result;
  ASSIGN_OR_RETURN(result.aborted, txn.ListExpiredTxns(cutoff_ms));
  for (int64_t txn_id : result.aborted) {
    RETURN_IF_ERROR(FinishTxn(txn, txn_id, TxnState::kAborted, now_ms));
  }
  ASSIGN_OR_RETURN(result.locks, txn.DeleteExpiredLocks(cutoff_ms));
  return result;
}

absl::Status FinishTxn(WriteTxn& txn, int64_t txn_id, TxnState state, int64_t now_ms) {
  RETURN_IF_ERROR(txn.SetTxnState(txn_id, state, now_ms));
  return txn.DeleteTxnLocks(txn_id).status();
}

}  // namespace almanac
