// Table constraints (see sqlite_txn.h and the version 4 schema in migrations.cc).

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

// HMS's ENABLE_VALIDATE_RELY bits.
constexpr int kEnableBit = 4;
constexpr int kValidateBit = 2;
constexpr int kRelyBit = 1;

// The table holding the constraint and, for a foreign key, the referenced one.
#define ALMANAC_CONSTRAINT_SELECT                                                                \
  "SELECT c.kind, d.catalog, d.name, t.name, c.column_name, c.position, c.name, c.flags, "       \
  "pd.name, pt.name, c.parent_column, c.update_rule, c.delete_rule, c.value "                    \
  "FROM constraints AS c JOIN tbls AS t ON t.tbl_id = c.tbl_id JOIN dbs AS d ON d.db_id = "      \
  "t.db_id LEFT JOIN tbls AS pt ON pt.tbl_id = c.parent_tbl_id LEFT JOIN dbs AS pd ON pd.db_id " \
  "= pt.db_id "

constexpr char kSqlListOnTable[] =
    ALMANAC_CONSTRAINT_SELECT "WHERE c.tbl_id = ? ORDER BY c.constraint_id";
constexpr char kSqlListOnTableOfKind[] =
    ALMANAC_CONSTRAINT_SELECT "WHERE c.tbl_id = ? AND c.kind = ? ORDER BY c.constraint_id";
constexpr char kSqlListReferencing[] =
    ALMANAC_CONSTRAINT_SELECT "WHERE c.parent_tbl_id = ? ORDER BY c.constraint_id";
constexpr char kSqlListOnTableReferencing[] =
    ALMANAC_CONSTRAINT_SELECT "WHERE c.tbl_id = ? AND c.parent_tbl_id = ? ORDER BY c.constraint_id";

#undef ALMANAC_CONSTRAINT_SELECT

constexpr char kSqlNameOnTable[] = "SELECT 1 FROM constraints WHERE tbl_id = ? AND name = ?";
constexpr char kSqlNameReferencing[] =
    "SELECT 1 FROM constraints WHERE parent_tbl_id = ? AND name = ?";
constexpr char kSqlInsert[] =
    "INSERT INTO constraints(tbl_id, name, position, kind, column_name, flags, parent_tbl_id, "
    "parent_column, update_rule, delete_rule, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSqlDeleteOnTable[] = "DELETE FROM constraints WHERE tbl_id = ? AND name = ?";
constexpr char kSqlDeleteReferencing[] =
    "DELETE FROM constraints WHERE parent_tbl_id = ? AND name = ?";

ConstraintColumn ReadConstraint(const Statement& stmt) {
  ConstraintColumn c;
  c.kind = static_cast<ConstraintKind>(stmt.ColumnInt(0));
  c.catalog = stmt.ColumnText(1);
  c.database = stmt.ColumnText(2);
  c.table = stmt.ColumnText(3);
  c.column = stmt.ColumnText(4);
  c.position = stmt.ColumnInt(5);
  c.name = stmt.ColumnText(6);
  const int flags = stmt.ColumnInt(7);
  c.enable = (flags & kEnableBit) != 0;
  c.validate = (flags & kValidateBit) != 0;
  c.rely = (flags & kRelyBit) != 0;
  if (!stmt.ColumnIsNull(8)) c.parent_database = stmt.ColumnText(8);
  if (!stmt.ColumnIsNull(9)) c.parent_table = stmt.ColumnText(9);
  c.parent_column = stmt.ColumnText(10);
  c.update_rule = stmt.ColumnInt(11);
  c.delete_rule = stmt.ColumnInt(12);
  c.value = stmt.ColumnText(13);
  return c;
}

}  // namespace

absl::StatusOr<std::vector<ConstraintColumn>> SqliteTxn::ListConstraints(
    const ConstraintFilter& filter) {
  const bool on = filter.table_id != 0;
  const bool referencing = filter.parent_table_id != 0;
  if (!on && !referencing) {
    return absl::InvalidArgumentError("a constraint listing must name a table");
  }
  const bool by_kind = on && !referencing && filter.kind.has_value();
  const char* sql = on && referencing ? kSqlListOnTableReferencing
                    : referencing     ? kSqlListReferencing
                    : by_kind         ? kSqlListOnTableOfKind
                                      : kSqlListOnTable;
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(sql));
  int index = 0;
  if (on) stmt.BindInt64(index++, filter.table_id);
  if (referencing) stmt.BindInt64(index++, filter.parent_table_id);
  if (by_kind) stmt.BindInt64(index++, static_cast<int>(*filter.kind));
  std::vector<ConstraintColumn> result;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    ConstraintColumn c = ReadConstraint(stmt);
    if (filter.kind.has_value() && c.kind != *filter.kind) continue;
    result.push_back(std::move(c));
  }
  return result;
}

absl::StatusOr<bool> SqliteTxn::ConstraintNameInUse(int64_t table_id, const std::string& name) {
  for (const char* sql : {kSqlNameOnTable, kSqlNameReferencing}) {
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(sql));
    stmt.BindInt64(0, table_id);
    stmt.BindText(1, name);
    ASSIGN_OR_RETURN(const bool found, stmt.Step());
    if (found) return true;
  }
  return false;
}

absl::Status SqliteTxn::AddConstraint(int64_t table_id, int64_t parent_table_id,
                                      const std::vector<ConstraintColumn>& columns) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsert));
  for (const ConstraintColumn& c : columns) {
    stmt.BindInt64(0, table_id);
    stmt.BindText(1, c.name);
    stmt.BindInt64(2, c.position);
    stmt.BindInt64(3, static_cast<int>(c.kind));
    stmt.BindText(4, c.column);
    stmt.BindInt64(
        5, (c.enable ? kEnableBit : 0) | (c.validate ? kValidateBit : 0) | (c.rely ? kRelyBit : 0));
    if (parent_table_id != 0) {
      stmt.BindInt64(6, parent_table_id);
    } else {
      stmt.BindNull(6);
    }
    stmt.BindText(7, c.parent_column);
    stmt.BindInt64(8, c.update_rule);
    stmt.BindInt64(9, c.delete_rule);
    stmt.BindText(10, c.value);
    absl::Status status = stmt.Run();
    if (absl::IsAlreadyExists(status)) {
      return absl::AlreadyExistsError(absl::StrCat("the table already has column ", c.position,
                                                   " of a constraint named ", c.name));
    }
    RETURN_IF_ERROR(status);
    stmt.Reset();
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteTxn::DeleteConstraint(int64_t table_id, const std::string& name) {
  int64_t deleted = 0;
  for (const char* sql : {kSqlDeleteOnTable, kSqlDeleteReferencing}) {
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(sql));
    stmt.BindInt64(0, table_id);
    stmt.BindText(1, name);
    RETURN_IF_ERROR(stmt.Run());
    deleted += conn_->Changes();
  }
  return deleted;
}

}  // namespace almanac::sqlite
