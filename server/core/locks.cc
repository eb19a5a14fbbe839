// HMS's lock calls (lock, check_lock, unlock, heartbeat, show_locks) and the lock reaper. The
// conflict rules are in lock_rules.h.

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/error_subject.h"
#include "server/core/lock_rules.h"
#include "server/core/names.h"

namespace almanac {
namespace {

// Finished transactions are kept this long, so a late commit or abort of one gets an exact answer
// ("already committed") and get_open_txns reports aborted ones; then they are purged.
constexpr int64_t kFinishedTxnRetentionMs = int64_t{24} * 3600 * 1000;

absl::Status NoSuchLock(absl::string_view separator, int64_t lock_id) {
  return WithSubject(
      absl::NotFoundError(absl::StrCat("No such lock", separator, LockIdText(lock_id))),
      ErrorSubject::kLock);
}

bool IsCallerError(const absl::Status& status) {
  return SubjectOf(status) != ErrorSubject::kNone || absl::IsInvalidArgument(status);
}

void LogReaped(const ReapResult& reaped, int64_t now_ms) {
  for (const Lock& lock : reaped.locks) {
    LogInfo("reaped a lock that was not heartbeated",
            {{"lock_id", absl::StrCat(lock.id)},
             {"txn_id", absl::StrCat(lock.txn_id)},
             {"agent_info", lock.agent_info},
             {"user", lock.user},
             {"host", lock.host},
             {"idle_ms", absl::StrCat(now_ms - lock.last_heartbeat_ms)}});
  }
  for (int64_t txn_id : reaped.aborted) {
    LogInfo("aborted a transaction that was not heartbeated", {{"txn_id", absl::StrCat(txn_id)}});
  }
}

// Grants `lock` (stored, waiting) if nothing blocks it; returns it in its resulting state.
absl::StatusOr<Lock> TryGrant(WriteTxn& txn, Lock lock, int64_t now_ms) {
  ASSIGN_OR_RETURN(std::optional<int64_t> blocker, FindBlockingLock(txn, lock));
  if (blocker.has_value()) return lock;
  RETURN_IF_ERROR(txn.SetLockState(lock.id, LockState::kAcquired, now_ms));
  lock.state = LockState::kAcquired;
  lock.acquired_ms = now_ms;
  return lock;
}

// Heartbeats an open transaction and every lock it holds.
absl::Status TouchOpenTxn(WriteTxn& txn, int64_t txn_id, int64_t now_ms) {
  RETURN_IF_ERROR(RequireOpenTxn(txn, txn_id).status());
  RETURN_IF_ERROR(txn.TouchTxn(txn_id, now_ms));
  return txn.TouchTxnLocks(txn_id, now_ms).status();
}

}  // namespace

CatalogService::~CatalogService() { StopLockReaper(); }

int64_t CatalogService::NowMillis() const {
  return clock_ ? clock_() * 1000 : absl::ToUnixMillis(absl::Now());
}

absl::Status CatalogService::LockWrite(
    const std::function<absl::Status(WriteTxn&, int64_t now_ms)>& fn, int64_t* reaped_locks) {
  const int64_t now_ms = NowMillis();
  const int64_t cutoff_ms = now_ms - options_.lock_timeout_s * 1000;
  ReapResult reaped;
  absl::Status outcome;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(reaped, ReapExpired(txn, now_ms, cutoff_ms));
    outcome = fn(txn, now_ms);
    return IsCallerError(outcome) ? absl::OkStatus() : outcome;
  }));
  LogReaped(reaped, now_ms);
  if (reaped_locks != nullptr) *reaped_locks = static_cast<int64_t>(reaped.locks.size());
  return outcome;
}

absl::StatusOr<Lock> CatalogService::AcquireLock(const LockRequest& request) {
  if (request.components.empty()) {
    return absl::InvalidArgumentError("a lock request needs at least one component");
  }
  Lock lock;
  lock.txn_id = request.txn_id;
  lock.user = request.user;
  lock.host = request.host;
  lock.agent_info = request.agent_info;
  lock.components = request.components;
  for (LockComponent& component : lock.components) {
    RETURN_IF_ERROR(NormalizeLockComponent(component));
  }
  RETURN_IF_ERROR(LockWrite([&](WriteTxn& txn, int64_t now_ms) -> absl::Status {
    if (lock.txn_id != 0) RETURN_IF_ERROR(RequireOpenTxn(txn, lock.txn_id).status());
    lock.state = LockState::kWaiting;
    lock.created_ms = now_ms;
    lock.last_heartbeat_ms = now_ms;
    ASSIGN_OR_RETURN(lock.id, txn.CreateLock(lock));
    ASSIGN_OR_RETURN(lock, TryGrant(txn, std::move(lock), now_ms));
    return absl::OkStatus();
  }));
  return lock;
}

absl::StatusOr<Lock> CatalogService::CheckLock(int64_t lock_id) {
  Lock lock;
  RETURN_IF_ERROR(LockWrite([&](WriteTxn& txn, int64_t now_ms) -> absl::Status {
    absl::StatusOr<Lock> found = txn.GetLock(lock_id);
    if (absl::IsNotFound(found.status())) return NoSuchLock(" ", lock_id);
    RETURN_IF_ERROR(found.status());
    lock = *std::move(found);
    if (lock.txn_id != 0) {
      RETURN_IF_ERROR(TouchOpenTxn(txn, lock.txn_id, now_ms));
    } else {
      RETURN_IF_ERROR(txn.TouchLock(lock_id, now_ms, /*count=*/false));
    }
    lock.last_heartbeat_ms = now_ms;
    if (lock.state == LockState::kAcquired) return absl::OkStatus();
    ASSIGN_OR_RETURN(lock, TryGrant(txn, std::move(lock), now_ms));
    return absl::OkStatus();
  }));
  return lock;
}

absl::Status CatalogService::Unlock(int64_t lock_id) {
  return LockWrite([&](WriteTxn& txn, int64_t /*now_ms*/) -> absl::Status {
    absl::StatusOr<Lock> lock = txn.GetLock(lock_id);
    // As in Hive 3.1 and later, releasing a lock that is already gone (reaped, or released
    // before) succeeds: a client whose commit outlived its lock must not report it as failed.
    if (absl::IsNotFound(lock.status())) return absl::OkStatus();
    RETURN_IF_ERROR(lock.status());
    // A waiting lock of a transaction may be given up; an acquired one lives until the
    // transaction ends.
    if (lock->txn_id != 0 && lock->state == LockState::kAcquired) {
      return WithSubject(
          absl::FailedPreconditionError(absl::StrCat(
              "Unlocking locks associated with transaction not permitted.  ", LockIdText(lock_id),
              " is associated with transaction ", TxnIdText(lock->txn_id))),
          ErrorSubject::kTxn);
    }
    return txn.DeleteLock(lock_id);
  });
}

absl::Status CatalogService::Heartbeat(int64_t lock_id, int64_t txn_id) {
  return LockWrite([&](WriteTxn& txn, int64_t now_ms) -> absl::Status {
    if (txn_id != 0) RETURN_IF_ERROR(TouchOpenTxn(txn, txn_id, now_ms));
    if (lock_id == 0) return absl::OkStatus();
    absl::Status touched = txn.TouchLock(lock_id, now_ms, /*count=*/true);
    if (absl::IsNotFound(touched)) return NoSuchLock(": ", lock_id);
    return touched;
  });
}

absl::StatusOr<std::vector<Lock>> CatalogService::ShowLocks(LockFilter filter) {
  if (filter.database) filter.database = NormalizeName(*filter.database);
  if (filter.table) filter.table = NormalizeName(*filter.table);
  const int64_t cutoff_ms = NowMillis() - options_.lock_timeout_s * 1000;
  std::vector<Lock> locks;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(locks, view.ListLocks(filter));
    return absl::OkStatus();
  }));
  // Expired locks that no call has reaped yet are already gone for every other call.
  std::erase_if(locks, [&](const Lock& lock) { return lock.last_heartbeat_ms < cutoff_ms; });
  return locks;
}

absl::StatusOr<int64_t> CatalogService::ReapExpiredLocks() {
  int64_t reaped = 0;
  RETURN_IF_ERROR(LockWrite(
      [&](WriteTxn& txn, int64_t now_ms) -> absl::Status {
        return txn.DeleteFinishedTxns(now_ms - kFinishedTxnRetentionMs).status();
      },
      &reaped));
  return reaped;
}

void CatalogService::StartLockReaper(absl::Duration interval) {
  StopLockReaper();
  absl::MutexLock lock(&reaper_mu_);
  reaper_ = std::make_unique<PeriodicTask>(interval, [this] {
    absl::StatusOr<int64_t> reaped = ReapExpiredLocks();
    if (!reaped.ok()) {
      LogWarning("reaping expired locks failed",
                 {{"error", std::string(reaped.status().message())}});
    }
  });
}

void CatalogService::StopLockReaper() {
  std::unique_ptr<PeriodicTask> reaper;
  {
    absl::MutexLock lock(&reaper_mu_);
    reaper = std::move(reaper_);
  }
  reaper.reset();  // Joins the thread outside the mutex.
}

}  // namespace almanac
