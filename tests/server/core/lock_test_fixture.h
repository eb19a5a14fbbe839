#pragma once

// A fixture for the lock manager tests: CatalogService over a real SQLite store in a temporary
// directory, with an injected clock (now_, in seconds).

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/core/catalog_service.h"
#include "storage/sqlite/sqlite_store.h"
#include "tests/server/core/test_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {

inline constexpr int64_t kStart = 1'700'000'000;
inline constexpr LockType kSR = LockType::kSharedRead;
inline constexpr LockType kSW = LockType::kSharedWrite;
inline constexpr LockType kX = LockType::kExclusive;
inline constexpr LockType kEW = LockType::kExclWrite;

inline LockComponent OnDb(LockType type, const std::string& db) {
  return LockComponent{type, LockLevel::kDb, db, "", ""};
}
inline LockComponent OnTable(LockType type, const std::string& db, const std::string& table) {
  return LockComponent{type, LockLevel::kTable, db, table, ""};
}
inline LockComponent OnPartition(LockType type, const std::string& db, const std::string& table,
                                 const std::string& partition) {
  return LockComponent{type, LockLevel::kPartition, db, table, partition};
}

class LockManagerTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &store_));
    CatalogOptions catalog_options;
    catalog_options.warehouse_root = dir_.File("warehouse");
    catalog_options.lock_timeout_s = 300;
    catalog_ =
        std::make_unique<CatalogService>(store_.get(), catalog_options, [this] { return now_; });
  }

  void Reopen() {
    catalog_.reset();
    store_.reset();
    Open();
  }

  Lock Acquire(std::vector<LockComponent> components, int64_t txn_id = 0,
               const std::string& agent = "agent") {
    LockRequest request;
    request.components = std::move(components);
    request.txn_id = txn_id;
    request.user = "alice";
    request.host = "host-1";
    request.agent_info = agent;
    absl::StatusOr<Lock> lock = catalog_->AcquireLock(request);
    EXPECT_TRUE(lock.ok()) << lock.status();
    return lock.ok() ? *lock : Lock{};
  }

  LockState Check(int64_t lock_id) {
    absl::StatusOr<Lock> lock = catalog_->CheckLock(lock_id);
    EXPECT_TRUE(lock.ok()) << lock.status();
    return lock.ok() ? lock->state : LockState::kAbort;
  }

  void Release(int64_t lock_id) {
    absl::Status status = catalog_->Unlock(lock_id);
    EXPECT_TRUE(status.ok()) << status;
  }

  // Lock ids of the stored rows, reaped or not (bypassing ShowLocks' filter).
  std::vector<int64_t> StoredLockIds() {
    std::vector<int64_t> ids;
    EXPECT_TRUE(store_
                    ->Read([&](ReadView& view) -> absl::Status {
                      absl::StatusOr<std::vector<Lock>> locks = view.ListLocks({});
                      if (!locks.ok()) return locks.status();
                      for (const Lock& lock : *locks) ids.push_back(lock.id);
                      return absl::OkStatus();
                    })
                    .ok());
    return ids;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CatalogService> catalog_;
  int64_t now_ = kStart;
};

}  // namespace almanac
