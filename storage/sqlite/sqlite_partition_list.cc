// Partition listings: ListPartitions, ListPartitionNames and CountPartitions.
//
// Listings stream. Without a filter, rows are read in name order in pages of at most kPageSize,
// each page a fresh keyset query ("part_name > last name seen ... LIMIT n") on the (tbl_id,
// part_name) index, so memory stays flat however many partitions there are and no statement
// stays active while the caller's visitor runs. A filter compiles (filter_sql.h) into conditions
// on the partition_values index; a filtered listing is ONE statement, stepped page by page, so
// that SQLite can drive it from those indexes (rowid lookups of the matching partitions, sorted
// once) when the statistics say the filter is selective, instead of re-running a sort or a scan
// of the table's names for every page. Its statement is a one-off, never the cached one, so a
// visitor may use the same view meanwhile.

#include <algorithm>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite/filter_sql.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

constexpr int64_t kPageSize = 1000;

// Pieces of the listing queries; the filter condition, when there is one, goes in between.
constexpr char kSqlSelectRows[] = "SELECT " ALMANAC_PARTITION_COLUMNS " FROM partitions AS p ";
constexpr char kSqlSelectNames[] = "SELECT p.part_name FROM partitions AS p ";
constexpr char kSqlCount[] = "SELECT COUNT(*) FROM partitions AS p WHERE p.tbl_id = ?";
constexpr char kSqlWhereAfterName[] = "WHERE p.tbl_id = ? AND p.part_name > ?";
constexpr char kSqlWhereName[] = "WHERE p.tbl_id = ? AND p.part_name = ?";
constexpr char kSqlPageOrder[] = " ORDER BY p.part_name LIMIT ?";
constexpr char kSqlWhereTable[] = "WHERE p.tbl_id = ?";
constexpr char kSqlStreamOrder[] = " ORDER BY p.part_name";

using FilterParam = std::variant<int64_t, std::string>;

// The compiled filter of a query: an SQL condition over alias p and its parameters.
struct CompiledFilter {
  std::string sql;  // Empty: no filter.
  std::vector<FilterParam> params;
};

absl::StatusOr<CompiledFilter> CompileFilter(const Table& table, const PartitionQuery& query) {
  CompiledFilter out;
  if (query.filter == nullptr) return out;
  auto fragment = CompileFilterSql(*query.filter, table.id, table.partition_keys);
  if (!fragment.ok()) return fragment.status();
  out.sql = absl::StrCat(" AND (", fragment->sql, ")");
  for (const auto& param : fragment->params) out.params.emplace_back(param.value);
  return out;
}

// Binds the filter's parameters from index `first` on; returns the next free index.
int BindFilter(const CompiledFilter& filter, int first, Statement& stmt) {
  for (const FilterParam& param : filter.params) {
    if (const auto* i = std::get_if<int64_t>(&param)) {
      stmt.BindInt64(first++, *i);
    } else {
      stmt.BindText(first++, std::get<std::string>(param));
    }
  }
  return first;
}

// A statement for `sql`: cached when it is one of the fixed shapes, one-off with a filter.
absl::StatusOr<Statement> PrepareListing(Connection& conn, const std::string& sql,
                                         const CompiledFilter& filter) {
  if (filter.sql.empty()) return conn.GetCachedStatement(sql.c_str());
  return conn.Prepare(sql);
}

// Reads the rows a PartitionQuery selects, in name order, one bounded page at a time. With
// query.names set it looks each name up instead of scanning the table's range.
class PartitionPager {
 public:
  PartitionPager(Connection& conn, const Table& table, const PartitionQuery& query, bool names_only)
      : conn_(conn), table_(table), names_only_(names_only), remaining_(query.max_results) {
    if (query.names.has_value()) {
      by_name_ = true;
      names_ = *query.names;
      std::sort(names_.begin(), names_.end());
      names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
    }
  }

  absl::Status Init(const PartitionQuery& query) {
    ASSIGN_OR_RETURN(filter_, CompileFilter(table_, query));
    streaming_ = !by_name_ && !filter_.sql.empty();
    const char* where = by_name_ ? kSqlWhereName : streaming_ ? kSqlWhereTable : kSqlWhereAfterName;
    const char* order = by_name_ ? "" : streaming_ ? kSqlStreamOrder : kSqlPageOrder;
    const std::string sql =
        absl::StrCat(names_only_ ? kSqlSelectNames : kSqlSelectRows, where, filter_.sql, order);
    ASSIGN_OR_RETURN(stmt_, PrepareListing(conn_, sql, filter_));
    return absl::OkStatus();
  }

  // The next page of rows; empty once everything (or max_results rows) has been returned.
  absl::StatusOr<std::vector<PartitionRow>> Next() {
    std::vector<PartitionRow> rows;
    if (done_ || remaining_ == 0) return rows;
    int64_t limit = kPageSize;
    if (remaining_ > 0) limit = std::min(limit, remaining_);
    if (by_name_) {
      RETURN_IF_ERROR(NextByName(limit, rows));
    } else if (streaming_) {
      RETURN_IF_ERROR(NextStreamed(limit, rows));
    } else {
      RETURN_IF_ERROR(NextInRange(limit, rows));
    }
    if (remaining_ > 0) remaining_ -= static_cast<int64_t>(rows.size());
    return rows;
  }

 private:
  PartitionRow Read() const {
    if (!names_only_) return ReadPartitionRow(stmt_);
    PartitionRow row;
    row.part_name = stmt_.ColumnText(0);
    return row;
  }

  absl::Status NextInRange(int64_t limit, std::vector<PartitionRow>& rows) {
    stmt_.BindInt64(0, table_.id);
    stmt_.BindText(1, cursor_);
    stmt_.BindInt64(BindFilter(filter_, 2, stmt_), limit);
    while (true) {
      absl::StatusOr<bool> row = stmt_.Step();
      if (!row.ok()) {
        stmt_.Reset();
        return row.status();
      }
      if (!*row) break;
      rows.push_back(Read());
    }
    stmt_.Reset();
    if (static_cast<int64_t>(rows.size()) < limit) done_ = true;
    if (!rows.empty()) cursor_ = rows.back().part_name;
    return absl::OkStatus();
  }

  // Steps the one filtered statement on; it stays positioned between pages.
  absl::Status NextStreamed(int64_t limit, std::vector<PartitionRow>& rows) {
    if (!started_) {
      stmt_.BindInt64(0, table_.id);
      BindFilter(filter_, 1, stmt_);
      started_ = true;
    }
    while (static_cast<int64_t>(rows.size()) < limit) {
      absl::StatusOr<bool> row = stmt_.Step();
      if (!row.ok() || !*row) {
        stmt_.Reset();
        done_ = true;
        return row.status();
      }
      rows.push_back(Read());
    }
    return absl::OkStatus();
  }

  absl::Status NextByName(int64_t limit, std::vector<PartitionRow>& rows) {
    while (next_name_ < names_.size() && static_cast<int64_t>(rows.size()) < limit) {
      stmt_.BindInt64(0, table_.id);
      stmt_.BindText(1, names_[next_name_++]);
      BindFilter(filter_, 2, stmt_);
      absl::StatusOr<bool> row = stmt_.Step();
      if (row.ok() && *row) rows.push_back(Read());
      stmt_.Reset();
      if (!row.ok()) return row.status();
    }
    if (next_name_ == names_.size()) done_ = true;
    return absl::OkStatus();
  }

  Connection& conn_;
  const Table& table_;
  const bool names_only_;
  bool by_name_ = false;
  bool streaming_ = false;  // A filtered range listing: one statement for all pages.
  bool started_ = false;
  int64_t remaining_;  // Rows still allowed by max_results; negative means no limit.
  CompiledFilter filter_;
  Statement stmt_;
  std::string cursor_;  // The last name returned by a range page.
  std::vector<std::string> names_;
  size_t next_name_ = 0;
  bool done_ = false;
};

}  // namespace

absl::Status SqliteTxn::ListPartitions(const Table& table, const PartitionQuery& query,
                                       const PartitionVisitor& visit) {
  PartitionPager pager(*conn_, table, query, /*names_only=*/false);
  RETURN_IF_ERROR(pager.Init(query));
  SdCache templates;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<PartitionRow> rows, pager.Next());
    if (rows.empty()) return absl::OkStatus();
    for (PartitionRow& row : rows) {
      ASSIGN_OR_RETURN(Partition part, DecodePartition(table, std::move(row), templates));
      if (!visit(std::move(part))) return absl::OkStatus();
    }
  }
}

absl::Status SqliteTxn::ListPartitionNames(const Table& table, const PartitionQuery& query,
                                           const NameVisitor& visit) {
  PartitionPager pager(*conn_, table, query, /*names_only=*/true);
  RETURN_IF_ERROR(pager.Init(query));
  while (true) {
    ASSIGN_OR_RETURN(std::vector<PartitionRow> rows, pager.Next());
    if (rows.empty()) return absl::OkStatus();
    for (PartitionRow& row : rows) {
      if (!visit(std::move(row.part_name))) return absl::OkStatus();
    }
  }
}

absl::StatusOr<int64_t> SqliteTxn::CountPartitions(const Table& table,
                                                   const PartitionQuery& query) {
  if (query.names.has_value()) {
    int64_t count = 0;
    PartitionQuery all = {query.filter, query.names, -1};
    RETURN_IF_ERROR(ListPartitionNames(table, all, [&count](std::string&&) {
      ++count;
      return true;
    }));
    return count;
  }
  ASSIGN_OR_RETURN(const CompiledFilter filter, CompileFilter(table, query));
  ASSIGN_OR_RETURN(Statement stmt,
                   PrepareListing(*conn_, absl::StrCat(kSqlCount, filter.sql), filter));
  stmt.BindInt64(0, table.id);
  BindFilter(filter, 1, stmt);
  ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? stmt.ColumnInt64(0) : 0;
}

}  // namespace almanac::sqlite
