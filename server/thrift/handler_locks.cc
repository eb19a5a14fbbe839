// Lock and transaction calls. The rules live in CatalogService (server/core/locks.cc, txns.cc);
// errors.h turns its lock- and transaction-tagged statuses into NoSuchLockException,
// NoSuchTxnException, TxnAbortedException and TxnOpenException.

#include "server/thrift/convert.h"
#include "server/thrift/errors.h"
#include "server/thrift/handler.h"

namespace almanac::thrift_server {

using hive::NoSuchLockException;
using hive::NoSuchTxnException;
using hive::TxnAbortedException;
using hive::TxnOpenException;

void MetastoreHandler::get_open_txns(hive::GetOpenTxnsResponse& _return) {
  Call("get_open_txns", [&] { _return = ToWire(Unwrap<>(catalog_->GetOpenTxns())); });
}

void MetastoreHandler::open_txns(hive::OpenTxnsResponse& _return,
                                 const hive::OpenTxnRequest& rqst) {
  Call("open_txns", [&] { _return.__set_txn_ids(Unwrap<>(catalog_->OpenTxns(ToDomain(rqst)))); });
}

void MetastoreHandler::abort_txn(const hive::AbortTxnRequest& rqst) {
  Call("abort_txn", [&] { Check<NoSuchTxnException>(catalog_->AbortTxn(rqst.txnid)); });
}

void MetastoreHandler::commit_txn(const hive::CommitTxnRequest& rqst) {
  Call("commit_txn",
       [&] { Check<NoSuchTxnException, TxnAbortedException>(catalog_->CommitTxn(rqst.txnid)); });
}

void MetastoreHandler::lock(hive::LockResponse& _return, const hive::LockRequest& rqst) {
  Call("lock", [&] {
    _return = ToWire(
        Unwrap<NoSuchTxnException, TxnAbortedException>(catalog_->AcquireLock(ToDomain(rqst))));
  });
}

void MetastoreHandler::check_lock(hive::LockResponse& _return, const hive::CheckLockRequest& rqst) {
  Call("check_lock", [&] {
    _return = ToWire(Unwrap<NoSuchTxnException, TxnAbortedException, NoSuchLockException>(
        catalog_->CheckLock(rqst.lockid)));
  });
}

void MetastoreHandler::unlock(const hive::UnlockRequest& rqst) {
  Call("unlock",
       [&] { Check<NoSuchLockException, TxnOpenException>(catalog_->Unlock(rqst.lockid)); });
}

void MetastoreHandler::show_locks(hive::ShowLocksResponse& _return,
                                  const hive::ShowLocksRequest& rqst) {
  Call("show_locks",
       [&] { _return.__set_locks(ToWire(Unwrap<>(catalog_->ShowLocks(ToDomain(rqst))))); });
}

void MetastoreHandler::heartbeat(const hive::HeartbeatRequest& ids) {
  Call("heartbeat", [&] {
    Check<NoSuchLockException, NoSuchTxnException, TxnAbortedException>(catalog_->Heartbeat(
        ids.__isset.lockid ? ids.lockid : 0, ids.__isset.txnid ? ids.txnid : 0));
  });
}

}  // namespace almanac::thrift_server
