#include "storage/sqlite/transaction.h"

namespace almanac::sqlite {
namespace {

constexpr char kSqlBeginImmediate[] = "BEGIN IMMEDIATE";
constexpr char kSqlBeginDeferred[] = "BEGIN";
constexpr char kSqlCommit[] = "COMMIT";
constexpr char kSqlRollback[] = "ROLLBACK";

}  // namespace

Transaction::~Transaction() { Rollback().IgnoreError(); }

absl::Status Transaction::Begin() {
  absl::Status status = connection_->Execute(kSqlBeginImmediate);
  open_ = status.ok();
  return status;
}

absl::Status Transaction::BeginDeferred() {
  absl::Status status = connection_->Execute(kSqlBeginDeferred);
  open_ = status.ok();
  return status;
}

absl::Status Transaction::Commit() {
  if (!open_) return absl::FailedPreconditionError("commit without an open transaction");
  absl::Status status = connection_->Execute(kSqlCommit);
  if (!status.ok()) {
    Rollback().IgnoreError();
    return status;
  }
  open_ = false;
  return absl::OkStatus();
}

absl::Status Transaction::Rollback() {
  if (!open_) return absl::OkStatus();
  open_ = false;
  // SQLite may already have rolled back on its own (e.g. after SQLITE_FULL or an I/O error).
  if (!connection_->InTransaction()) return absl::OkStatus();
  return connection_->Execute(kSqlRollback);
}

}  // namespace almanac::sqlite
