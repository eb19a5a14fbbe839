#pragma once

// A scoped SQLite transaction, in the style of Chromium's sql::Transaction: it rolls back in its
// destructor unless Commit() succeeded.
//
// Thread-safety: none (as its Connection). Ownership: does not own the connection, which must
// outlive it.

#include "absl/status/status.h"
#include "storage/sqlite/connection.h"

namespace almanac::sqlite {

class Transaction {
 public:
  explicit Transaction(Connection* connection) : connection_(connection) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // BEGIN IMMEDIATE: takes the write lock up front, so later statements never fail with
  // SQLITE_BUSY. Unavailable if another process holds the lock past the busy timeout.
  absl::Status Begin();
  // BEGIN (deferred): for read-only transactions; the snapshot starts at the first read.
  absl::Status BeginDeferred();
  // COMMIT. On failure the transaction is rolled back and the error returned.
  absl::Status Commit();
  // ROLLBACK, if a transaction is still open. Idempotent.
  absl::Status Rollback();

  bool is_open() const { return open_; }

 private:
  Connection* connection_;  // Not owned.
  bool open_ = false;
};

}  // namespace almanac::sqlite
