// Column statistics of tables and partitions (see sqlite_txn.h).

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "common/status_macros.h"
#include "storage/absl_compat.h"
#include "storage/codec.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

constexpr char kSqlUpsertTableStats[] =
    "INSERT INTO tab_col_stats(tbl_id, engine, column_name, column_type, last_analyzed, data) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tbl_id, engine, column_name) DO UPDATE SET "
    "column_type = excluded.column_type, last_analyzed = excluded.last_analyzed, "
    "data = excluded.data";
constexpr char kSqlUpsertPartitionStats[] =
    "INSERT INTO part_col_stats(part_id, engine, column_name, column_type, last_analyzed, data) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (part_id, engine, column_name) DO UPDATE SET "
    "column_type = excluded.column_type, last_analyzed = excluded.last_analyzed, "
    "data = excluded.data";
constexpr char kSqlSelectTableStats[] =
    "SELECT column_type, data, last_analyzed FROM tab_col_stats "
    "WHERE tbl_id = ? AND engine = ? AND column_name = ?";
constexpr char kSqlSelectPartitionStats[] =
    "SELECT s.column_name, s.column_type, s.data, s.last_analyzed FROM partitions AS p "
    "JOIN part_col_stats AS s ON s.part_id = p.part_id "
    "WHERE p.tbl_id = ? AND p.part_name = ? AND s.engine = ? ORDER BY s.column_name";
constexpr char kSqlDeleteTableStats[] =
    "DELETE FROM tab_col_stats WHERE tbl_id = ? AND engine = ? AND column_name = ?";
constexpr char kSqlDeleteAllTableStats[] =
    "DELETE FROM tab_col_stats WHERE tbl_id = ? AND engine = ?";
constexpr char kSqlDeletePartitionStats[] =
    "DELETE FROM part_col_stats WHERE part_id = ? AND engine = ? AND column_name = ?";
constexpr char kSqlDeleteAllPartitionStats[] =
    "DELETE FROM part_col_stats WHERE part_id = ? AND engine = ?";

// Upserts every column of `stats` for the owner (tbl_id or part_id) `owner_id`.
absl::Status UpsertStats(Connection& conn, const char* sql, int64_t owner_id,
                         const ColumnStatistics& stats) {
  ASSIGN_OR_RETURN(Statement stmt, conn.GetCachedStatement(sql));
  for (const ColumnStatsObj& obj : stats.columns) {
    stmt.BindInt64(0, owner_id);
    stmt.BindText(1, stats.engine);
    stmt.BindText(2, obj.column);
    stmt.BindText(3, obj.type);
    stmt.BindInt64(4, stats.last_analyzed);
    stmt.BindText(5, EncodeColumnStatsData(obj.data));
    RETURN_IF_ERROR(stmt.Run());
    stmt.Reset();
  }
  return absl::OkStatus();
}

// Deletes one column's statistics, or all of them for an empty `column`; returns the count.
absl::StatusOr<int64_t> DeleteStats(Connection& conn, const char* one_sql, const char* all_sql,
                                    int64_t owner_id, const std::string& engine,
                                    const std::string& column) {
  ASSIGN_OR_RETURN(Statement stmt, conn.GetCachedStatement(column.empty() ? all_sql : one_sql));
  stmt.BindInt64(0, owner_id);
  stmt.BindText(1, engine);
  if (!column.empty()) stmt.BindText(2, column);
  RETURN_IF_ERROR(stmt.Run());
  return conn.Changes();
}

}  // namespace

absl::Status SqliteTxn::UpsertTableColumnStats(const Table& table, const ColumnStatistics& stats) {
  return UpsertStats(*conn_, kSqlUpsertTableStats, table.id, stats);
}

absl::Status SqliteTxn::UpsertPartitionColumnStats(const Table& table,
                                                   const std::vector<std::string>& values,
                                                   const ColumnStatistics& stats) {
  ASSIGN_OR_RETURN(const PartitionRow row, FindPartition(table, values));
  return UpsertStats(*conn_, kSqlUpsertPartitionStats, row.part_id, stats);
}

absl::StatusOr<std::vector<ColumnStatsObj>> SqliteTxn::GetTableColumnStats(
    const Table& table, const std::string& engine, const std::vector<std::string>& columns) {
  std::vector<ColumnStatsObj> out;
  absl::flat_hash_set<std::string> seen;
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectTableStats));
  for (const std::string& column : columns) {
    if (!seen.insert(column).second) continue;
    stmt.BindInt64(0, table.id);
    stmt.BindText(1, engine);
    stmt.BindText(2, column);
    ASSIGN_OR_RETURN(const bool found, stmt.Step());
    if (found) {
      ColumnStatsObj obj{column, stmt.ColumnText(0), {}, 0};
      ASSIGN_OR_RETURN(obj.data, DecodeColumnStatsData(stmt.ColumnTextView(1)));
      obj.last_analyzed = stmt.ColumnInt64(2);
      out.push_back(std::move(obj));
    }
    stmt.Reset();
  }
  return out;
}

absl::StatusOr<std::map<std::string, std::vector<ColumnStatsObj>>>
SqliteTxn::GetPartitionColumnStats(const Table& table, const std::string& engine,
                                   const std::vector<std::string>& partition_names,
                                   const std::vector<std::string>& columns) {
  // Position of each requested column, so results come back in the order asked.
  absl::flat_hash_map<std::string, size_t> wanted;
  for (const std::string& column : columns) wanted.emplace(column, wanted.size());
  std::map<std::string, std::vector<ColumnStatsObj>> out;
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectPartitionStats));
  for (const std::string& name : partition_names) {
    if (out.contains(name)) continue;
    stmt.BindInt64(0, table.id);
    stmt.BindText(1, name);
    stmt.BindText(2, engine);
    std::vector<std::pair<size_t, ColumnStatsObj>> found;
    while (true) {
      ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      auto it = wanted.find(AsAbsl(stmt.ColumnTextView(0)));
      if (it == wanted.end()) continue;
      ColumnStatsObj obj{stmt.ColumnText(0), stmt.ColumnText(1), {}, 0};
      ASSIGN_OR_RETURN(obj.data, DecodeColumnStatsData(stmt.ColumnTextView(2)));
      obj.last_analyzed = stmt.ColumnInt64(3);
      found.emplace_back(it->second, std::move(obj));
    }
    stmt.Reset();
    if (found.empty()) continue;
    std::sort(found.begin(), found.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<ColumnStatsObj>& objs = out[name];
    for (auto& [position, obj] : found) objs.push_back(std::move(obj));
  }
  return out;
}

absl::StatusOr<int64_t> SqliteTxn::DeleteTableColumnStats(const Table& table,
                                                          const std::string& engine,
                                                          const std::string& column) {
  return DeleteStats(*conn_, kSqlDeleteTableStats, kSqlDeleteAllTableStats, table.id, engine,
                     column);
}

absl::StatusOr<int64_t> SqliteTxn::DeletePartitionColumnStats(
    const Table& table, const std::vector<std::string>& values, const std::string& engine,
    const std::string& column) {
  ASSIGN_OR_RETURN(const PartitionRow row, FindPartition(table, values));
  return DeleteStats(*conn_, kSqlDeletePartitionStats, kSqlDeleteAllPartitionStats, row.part_id,
                     engine, column);
}

}  // namespace almanac::sqlite
