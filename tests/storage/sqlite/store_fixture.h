#pragma once

// A fixture that opens a fresh SQLite store in a temporary directory, plus small builders of
// catalog objects shared by the SQLite store tests.

#include <sqlite3.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/model.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"
#include "tests/storage/temp_dir.h"

namespace almanac::testing {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.path = dir_.File("data/catalog.db");
    options_.default_database_location = "file:/warehouse";
    OpenStore();
  }

  void OpenStore() {
    absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(options_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  void Reopen() {
    store_.reset();
    OpenStore();
  }

  absl::Status Write(const std::function<absl::Status(WriteTxn&)>& fn) { return store_->Write(fn); }
  absl::Status Read(const std::function<absl::Status(ReadView&)>& fn) { return store_->Read(fn); }

  // The value `fn` reads in a Read (or writes in a Write); a failure fails the test.
  template <typename T, typename F>
  T ReadValue(F fn) {
    T out{};
    absl::Status status = Read([&](ReadView& view) -> absl::Status {
      absl::StatusOr<T> v = fn(view);
      if (!v.ok()) return v.status();
      out = *std::move(v);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return out;
  }

  template <typename T, typename F>
  T WriteValue(F fn) {
    T out{};
    absl::Status status = Write([&](WriteTxn& txn) -> absl::Status {
      absl::StatusOr<T> v = fn(txn);
      if (!v.ok()) return v.status();
      out = *std::move(v);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return out;
  }

  // Runs `sql` (a query returning one integer) on a separate read-only connection.
  int64_t QueryInt(const std::string& sql) {
    absl::StatusOr<std::unique_ptr<sqlite::Connection>> conn =
        sqlite::Connection::Open(options_.path, SQLITE_OPEN_READONLY);
    EXPECT_TRUE(conn.ok()) << conn.status();
    if (!conn.ok()) return -1;
    absl::StatusOr<int64_t> value = (*conn)->QueryInt64(sql.c_str());
    EXPECT_TRUE(value.ok()) << value.status();
    return value.ok() ? *value : -1;
  }

  static Database MakeDatabase(const std::string& name) {
    Database db;
    db.name = name;
    db.description = absl::StrCat("the ", name, " database");
    db.location = absl::StrCat("file:/warehouse/", name, ".db");
    db.parameters = {{"team", "data"}};
    db.owner_name = "alice";
    db.create_time = 1700000000;
    return db;
  }

  static Table MakeTable(const std::string& db, const std::string& name,
                         std::vector<Column> partition_keys = {}) {
    Table t;
    t.database = db;
    t.name = name;
    t.owner = "alice";
    t.create_time = 1700000000;
    t.table_type = kManagedTable;
    t.sd.columns = {{"id", "bigint", ""}, {"payload", "string", "the data"}};
    t.sd.location = absl::StrCat("file:/warehouse/", db, ".db/", name);
    t.sd.input_format = "org.apache.hadoop.mapred.TextInputFormat";
    t.sd.serde.serialization_lib = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
    t.partition_keys = std::move(partition_keys);
    t.parameters = {{"transient_lastDdlTime", "1700000000"}};
    return t;
  }

  static Partition MakePartition(const Table& table, std::vector<std::string> values,
                                 const std::string& location_suffix) {
    Partition p;
    p.database = table.database;
    p.table = table.name;
    p.values = std::move(values);
    p.create_time = 1700000100;
    p.sd = table.sd;
    p.sd.location = absl::StrCat(table.sd.location, "/", location_suffix);
    p.parameters = {{"numRows", "10"}};
    return p;
  }

  // Creates `db` (if new) and `table`; returns the table as stored (with its id).
  Table CreateTable(Table table) {
    absl::Status status = Write([&](WriteTxn& txn) -> absl::Status {
      if (!txn.GetDatabase(table.catalog, table.database).ok()) {
        absl::Status s = txn.CreateDatabase(MakeDatabase(table.database));
        if (!s.ok()) return s;
      }
      absl::StatusOr<int64_t> id = txn.CreateTable(table);
      if (!id.ok()) return id.status();
      table.id = *id;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return table;
  }

  TempDir dir_;
  SqliteStoreOptions options_;
  std::unique_ptr<Store> store_;
};

}  // namespace almanac::testing
