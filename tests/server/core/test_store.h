#pragma once

// The SQLite store the core's tests run on: a fresh catalog file in the test's temporary
// directory, whose default database lives at "file:<dir>/warehouse".

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/sqlite/sqlite_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {

// Opens the store into `*store`; a failure fails the calling test (use ASSERT_NO_FATAL_FAILURE).
inline void OpenTestStore(const testing::TempDir& dir, std::unique_ptr<Store>* store) {
  SqliteStoreOptions options;
  options.path = dir.File("catalog.db");
  options.default_database_location = "file:" + dir.File("warehouse");
  auto opened = OpenSqliteStore(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  *store = *std::move(opened);
}

}  // namespace almanac
