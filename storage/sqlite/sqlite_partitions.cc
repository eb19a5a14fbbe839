// Partitions: point reads and writes (listings are in sqlite_partition_list.cc).

#include <charconv>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/absl_compat.h"
#include "storage/codec.h"
#include "storage/partition_name.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

constexpr char kSqlSelectPartition[] = "SELECT " ALMANAC_PARTITION_COLUMNS
                                       " FROM partitions AS p "
                                       "WHERE p.tbl_id = ? AND p.part_name = ?";
constexpr char kSqlSelectSdTemplate[] = "SELECT body FROM sd_templates WHERE sd_id = ?";
constexpr char kSqlFindSdTemplate[] =
    "SELECT sd_id, body FROM sd_templates WHERE hash = ? ORDER BY sd_id";
constexpr char kSqlInsertSdTemplate[] = "INSERT INTO sd_templates(hash, body) VALUES (?, ?)";
constexpr char kSqlInsertPartition[] =
    "INSERT INTO partitions(part_name, vals, create_time, last_access_time, location, sd_id, "
    "params, write_id, tbl_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSqlUpdatePartition[] =
    "UPDATE partitions SET part_name = ?, vals = ?, create_time = ?, last_access_time = ?, "
    "location = ?, sd_id = ?, params = ?, write_id = ? WHERE part_id = ?";
constexpr char kSqlDeletePartition[] = "DELETE FROM partitions WHERE part_id = ?";
constexpr char kSqlInsertPartitionValue[] =
    "INSERT INTO partition_values(tbl_id, key_index, value, int_value, part_id) "
    "VALUES (?, ?, ?, ?, ?)";
constexpr char kSqlDeletePartitionValues[] = "DELETE FROM partition_values WHERE part_id = ?";
// Lengths and offsets count characters on both sides, so they agree for any UTF-8 prefix.
constexpr char kSqlMovePartitionLocations[] =
    "UPDATE partitions SET location = ? || substr(location, length(?) + 1) "
    "WHERE tbl_id = ? AND substr(location, 1, length(?)) = ?";

// Bounds the decoded templates one listing keeps.
constexpr size_t kMaxCachedTemplates = 256;

// The template of a partition stored without a storage descriptor (Partition::sd_null).
constexpr std::string_view kNullSdBody = "null";

std::string PartitionLabel(const Table& table, std::string_view part_name) {
  return absl::StrCat("partition ", AsAbsl(part_name), " of table ", table.catalog, ".",
                      table.database, ".", table.name);
}

bool IsIntegerType(std::string_view type) {
  const std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(AsAbsl(type)));
  return t == "tinyint" || t == "smallint" || t == "int" || t == "integer" || t == "bigint";
}

// The value of an integer partition key as an int64, if it is written as one.
std::optional<int64_t> ParseInt64(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  if (text.empty() || text[0] == '+') return std::nullopt;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Finds or creates the sd_templates row of each partition's storage descriptor (without its
// location). Partitions of one table nearly always share one template, so the last answer and
// every body seen are remembered for the duration of one call.
class SdTemplateResolver {
 public:
  explicit SdTemplateResolver(Connection& conn) : conn_(conn) {}

  absl::StatusOr<int64_t> Resolve(const Partition& part) {
    if (!part.sd_null) return Resolve(part.sd);
    if (!null_id_.has_value()) {
      ASSIGN_OR_RETURN(null_id_, FindOrInsert(std::string(kNullSdBody)));
    }
    return *null_id_;
  }

 private:
  absl::StatusOr<int64_t> Resolve(const StorageDescriptor& sd) {
    StorageDescriptor tmpl = sd;
    tmpl.location.clear();
    if (last_.has_value() && *last_ == tmpl) return last_id_;
    std::string body = EncodeStorageDescriptor(tmpl);
    auto it = by_body_.find(body);
    int64_t sd_id;
    if (it != by_body_.end()) {
      sd_id = it->second;
    } else {
      ASSIGN_OR_RETURN(sd_id, FindOrInsert(body));
      by_body_.emplace(std::move(body), sd_id);
    }
    last_ = std::move(tmpl);
    last_id_ = sd_id;
    return sd_id;
  }

  absl::StatusOr<int64_t> FindOrInsert(const std::string& body) {
    const auto hash = static_cast<int64_t>(Fnv1a64(body));
    {
      ASSIGN_OR_RETURN(Statement find, conn_.GetCachedStatement(kSqlFindSdTemplate));
      find.BindInt64(0, hash);
      while (true) {
        ASSIGN_OR_RETURN(const bool row, find.Step());
        if (!row) break;
        if (find.ColumnTextView(1) == body) return find.ColumnInt64(0);
      }
    }
    ASSIGN_OR_RETURN(Statement insert, conn_.GetCachedStatement(kSqlInsertSdTemplate));
    insert.BindInt64(0, hash);
    insert.BindText(1, body);
    RETURN_IF_ERROR(insert.Run());
    return conn_.LastInsertRowId();
  }

  Connection& conn_;
  std::optional<StorageDescriptor> last_;
  int64_t last_id_ = 0;
  std::optional<int64_t> null_id_;
  absl::flat_hash_map<std::string, int64_t> by_body_;
};

// Binds the columns shared by INSERT and UPDATE (indices 0-7).
void BindPartition(const std::string& name, const Partition& part, int64_t sd_id, Statement& stmt) {
  stmt.BindText(0, name);
  stmt.BindText(1, EncodeStringList(part.values));
  stmt.BindInt64(2, part.create_time);
  stmt.BindInt64(3, part.last_access_time);
  stmt.BindText(4, part.sd.location);
  stmt.BindInt64(5, sd_id);
  stmt.BindText(6, EncodeParams(part.parameters));
  stmt.BindInt64(7, part.write_id);
}

absl::Status InsertPartitionValues(Connection& conn, const Table& table, int64_t part_id,
                                   const std::vector<std::string>& values) {
  ASSIGN_OR_RETURN(Statement stmt, conn.GetCachedStatement(kSqlInsertPartitionValue));
  for (size_t i = 0; i < values.size(); ++i) {
    stmt.BindInt64(0, table.id);
    stmt.BindInt64(1, static_cast<int64_t>(i));
    stmt.BindText(2, values[i]);
    std::optional<int64_t> int_value;
    if (IsIntegerType(table.partition_keys[i].type)) int_value = ParseInt64(values[i]);
    if (int_value.has_value()) {
      stmt.BindInt64(3, *int_value);
    } else {
      stmt.BindNull(3);
    }
    stmt.BindInt64(4, part_id);
    RETURN_IF_ERROR(stmt.Run());
    stmt.Reset();
  }
  return absl::OkStatus();
}

absl::Status DeletePartitionValues(Connection& conn, int64_t part_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn.GetCachedStatement(kSqlDeletePartitionValues));
  stmt.BindInt64(0, part_id);
  return stmt.Run();
}

}  // namespace

PartitionRow ReadPartitionRow(const Statement& stmt) {
  PartitionRow row;
  row.part_id = stmt.ColumnInt64(0);
  row.part_name = stmt.ColumnText(1);
  row.vals = stmt.ColumnText(2);
  row.create_time = stmt.ColumnInt64(3);
  row.last_access_time = stmt.ColumnInt64(4);
  row.location = stmt.ColumnText(5);
  row.sd_id = stmt.ColumnInt64(6);
  row.params = stmt.ColumnText(7);
  row.write_id = stmt.ColumnInt64(8);
  return row;
}

absl::StatusOr<std::string> SqliteTxn::PartitionName(const Table& table,
                                                     const std::vector<std::string>& values) {
  if (table.partition_keys.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("table ", table.catalog, ".", table.database,
                                                   ".", table.name, " is not partitioned"));
  }
  if (values.size() != table.partition_keys.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "table ", table.catalog, ".", table.database, ".", table.name, " has ",
        table.partition_keys.size(), " partition keys but ", values.size(), " values were given"));
  }
  return MakePartitionName(table.partition_keys, values);
}

absl::StatusOr<PartitionRow> SqliteTxn::FindPartition(const Table& table,
                                                      const std::vector<std::string>& values) {
  ASSIGN_OR_RETURN(const std::string name, PartitionName(table, values));
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectPartition));
  stmt.BindInt64(0, table.id);
  stmt.BindText(1, name);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat(PartitionLabel(table, name), " does not exist"));
  }
  return ReadPartitionRow(stmt);
}

absl::StatusOr<Partition> SqliteTxn::DecodePartition(const Table& table, PartitionRow&& row,
                                                     SdCache& cache) {
  auto it = cache.find(row.sd_id);
  if (it == cache.end()) {
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectSdTemplate));
    stmt.BindInt64(0, row.sd_id);
    ASSIGN_OR_RETURN(const bool found, stmt.Step());
    if (!found) {
      return absl::DataLossError(absl::StrCat(PartitionLabel(table, row.part_name),
                                              " refers to a missing storage descriptor"));
    }
    std::optional<StorageDescriptor> sd;
    if (stmt.ColumnTextView(0) != kNullSdBody) {
      ASSIGN_OR_RETURN(sd, DecodeStorageDescriptor(stmt.ColumnTextView(0)));
    }
    if (cache.size() >= kMaxCachedTemplates) cache.clear();
    it = cache.emplace(row.sd_id, std::move(sd)).first;
  }
  Partition part;
  part.catalog = table.catalog;
  part.database = table.database;
  part.table = table.name;
  ASSIGN_OR_RETURN(part.values, DecodeStringList(row.vals));
  part.create_time = static_cast<int32_t>(row.create_time);
  part.last_access_time = static_cast<int32_t>(row.last_access_time);
  if (it->second.has_value()) {
    part.sd = *it->second;
  } else {
    part.sd_null = true;
  }
  part.sd.location = std::move(row.location);
  ASSIGN_OR_RETURN(part.parameters, DecodeParams(row.params));
  part.write_id = row.write_id;
  return part;
}

absl::StatusOr<Partition> SqliteTxn::GetPartition(const Table& table,
                                                  const std::vector<std::string>& values) {
  ASSIGN_OR_RETURN(PartitionRow row, FindPartition(table, values));
  SdCache cache;
  return DecodePartition(table, std::move(row), cache);
}

absl::Status SqliteTxn::AddPartitions(const Table& table, const std::vector<Partition>& parts) {
  SdTemplateResolver templates(*conn_);
  for (const Partition& part : parts) {
    ASSIGN_OR_RETURN(const std::string name, PartitionName(table, part.values));
    ASSIGN_OR_RETURN(const int64_t sd_id, templates.Resolve(part));
    {
      ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertPartition));
      BindPartition(name, part, sd_id, stmt);
      stmt.BindInt64(8, table.id);
      absl::Status status = stmt.Run();
      if (absl::IsAlreadyExists(status)) {
        return absl::AlreadyExistsError(
            absl::StrCat(PartitionLabel(table, name), " already exists"));
      }
      RETURN_IF_ERROR(status);
    }
    RETURN_IF_ERROR(InsertPartitionValues(*conn_, table, conn_->LastInsertRowId(), part.values));
    ++partitions_added_;
  }
  return absl::OkStatus();
}

absl::Status SqliteTxn::UpdatePartition(const Table& table,
                                        const std::vector<std::string>& old_values,
                                        const Partition& part) {
  ASSIGN_OR_RETURN(const PartitionRow row, FindPartition(table, old_values));
  ASSIGN_OR_RETURN(const std::string name, PartitionName(table, part.values));
  SdTemplateResolver templates(*conn_);
  ASSIGN_OR_RETURN(const int64_t sd_id, templates.Resolve(part));
  {
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlUpdatePartition));
    BindPartition(name, part, sd_id, stmt);
    stmt.BindInt64(8, row.part_id);
    absl::Status status = stmt.Run();
    if (absl::IsAlreadyExists(status)) {
      return absl::AlreadyExistsError(absl::StrCat(PartitionLabel(table, name), " already exists"));
    }
    RETURN_IF_ERROR(status);
  }
  if (old_values == part.values) return absl::OkStatus();
  RETURN_IF_ERROR(DeletePartitionValues(*conn_, row.part_id));
  return InsertPartitionValues(*conn_, table, row.part_id, part.values);
}

absl::Status SqliteTxn::DeletePartition(const Table& table,
                                        const std::vector<std::string>& values) {
  ASSIGN_OR_RETURN(const PartitionRow row, FindPartition(table, values));
  RETURN_IF_ERROR(DeletePartitionValues(*conn_, row.part_id));
  // Cascades to the partition's column statistics.
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeletePartition));
  stmt.BindInt64(0, row.part_id);
  return stmt.Run();
}

absl::Status SqliteTxn::MovePartitionLocations(int64_t table_id, const std::string& old_prefix,
                                               const std::string& new_prefix) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlMovePartitionLocations));
  stmt.BindText(0, new_prefix);
  stmt.BindText(1, old_prefix);
  stmt.BindInt64(2, table_id);
  stmt.BindText(3, old_prefix);
  stmt.BindText(4, old_prefix);
  return stmt.Run();
}

}  // namespace almanac::sqlite
