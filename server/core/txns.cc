// HMS's transaction calls as lock users make them: open_txns, commit_txn, abort_txn and
// get_open_txns. A transaction here owns locks and nothing else: Almanac allocates no write ids,
// so ACID tables (which need get_valid_write_ids, allocate_table_write_ids, ...) are not served.

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/lock_rules.h"

namespace almanac {
namespace {

// Hive's default metastore.txn.max.open.batch.
constexpr int32_t kMaxTxnsPerOpen = 1000;

}  // namespace

absl::StatusOr<std::vector<int64_t>> CatalogService::OpenTxns(const OpenTxnsRequest& request) {
  if (request.count < 1 || request.count > kMaxTxnsPerOpen) {
    return absl::InvalidArgumentError(absl::StrCat("cannot open ", request.count,
                                                   " transactions at once: the limit is 1 to ",
                                                   kMaxTxnsPerOpen));
  }
  std::vector<int64_t> ids;
  RETURN_IF_ERROR(LockWrite([&](WriteTxn& txn, int64_t now_ms) -> absl::Status {
    TxnInfo info;
    info.state = TxnState::kOpen;
    info.user = request.user;
    info.host = request.host;
    info.agent_info = request.agent_info;
    info.type = request.type;
    info.started_ms = now_ms;
    info.last_heartbeat_ms = now_ms;
    for (int32_t i = 0; i < request.count; ++i) {
      ASSIGN_OR_RETURN(int64_t id, txn.CreateTxn(info));
      ids.push_back(id);
    }
    return absl::OkStatus();
  }));
  return ids;
}

absl::Status CatalogService::CommitTxn(int64_t txn_id) {
  return LockWrite([&](WriteTxn& txn, int64_t now_ms) -> absl::Status {
    // A repeated commit (a client retrying after a lost answer) succeeds, as in Hive.
    absl::StatusOr<TxnInfo> info = txn.GetTxn(txn_id);
    if (info.ok() && info->state == TxnState::kCommitted) return absl::OkStatus();
    RETURN_IF_ERROR(RequireOpenTxn(txn, txn_id).status());
    return FinishTxn(txn, txn_id, TxnState::kCommitted, now_ms);
  });
}

absl::Status CatalogService::AbortTxn(int64_t txn_id) {
  return LockWrite([&](WriteTxn& txn, int64_t now_ms) -> absl::Status {
    absl::StatusOr<TxnInfo> open = RequireOpenTxn(txn, txn_id);
    // Aborting twice, or a transaction the reaper already aborted, succeeds, as in Hive.
    if (absl::IsAborted(open.status())) return absl::OkStatus();
    RETURN_IF_ERROR(open.status());
    return FinishTxn(txn, txn_id, TxnState::kAborted, now_ms);
  });
}

absl::StatusOr<OpenTxnList> CatalogService::GetOpenTxns() {
  OpenTxnList list;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(list.high_water_mark, view.GetTxnHighWaterMark());
    ASSIGN_OR_RETURN(list.txns, view.ListTxns(TxnState::kOpen));
    ASSIGN_OR_RETURN(std::vector<TxnInfo> aborted, view.ListTxns(TxnState::kAborted));
    list.txns.insert(list.txns.end(), std::make_move_iterator(aborted.begin()),
                     std::make_move_iterator(aborted.end()));
    return absl::OkStatus();
  }));
  std::sort(list.txns.begin(), list.txns.end(),
            [](const TxnInfo& a, const TxnInfo& b) { return a.id < b.id; });
  return list;
}

}  // namespace almanac
