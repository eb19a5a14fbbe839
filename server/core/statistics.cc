// Column statistics: validation of the target, reads, per-column aggregation over partitions.

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/names.h"
#include "server/core/stats_merge.h"

namespace almanac {
namespace {

const Column* FindColumn(const Table& table, const std::string& name) {
  for (const Column& c : table.sd.columns) {
    if (c.name == name) return &c;
  }
  for (const Column& c : table.partition_keys) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::vector<std::string> NormalizeAll(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const std::string& n : names) out.push_back(NormalizeName(n));
  return out;
}

}  // namespace

absl::Status CatalogService::UpdateColumnStatistics(const RequestContext& ctx,
                                                    ColumnStatistics stats) {
  stats.catalog = NormalizeName(stats.catalog.empty() ? kDefaultCatalog : stats.catalog);
  stats.database = NormalizeName(stats.database);
  stats.table = NormalizeName(stats.table);
  if (stats.engine.empty()) stats.engine = "hive";
  if (stats.last_analyzed == 0) stats.last_analyzed = Now();
  for (ColumnStatsObj& obj : stats.columns) obj.column = NormalizeName(obj.column);
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Table table, ReadTable(txn, stats.catalog, stats.database, stats.table));
    for (const ColumnStatsObj& obj : stats.columns) {
      if (FindColumn(table, obj.column) == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(
            "Column ", obj.column, " does not exist in table ", table.database, ".", table.name));
      }
    }
    std::vector<std::string> columns;
    for (const ColumnStatsObj& obj : stats.columns) columns.push_back(obj.column);
    // As Hive Metastore does, the table or partition records in its COLUMN_STATS_ACCURATE
    // parameter that these columns now have statistics. This is no change of the table's
    // definition: it writes no table version.
    if (stats.table_level) {
      RETURN_IF_ERROR(txn.UpsertTableColumnStats(table, stats));
      RecordColumnsWithStats(table.parameters, columns);
      RETURN_IF_ERROR(txn.UpdateTable(table.id, table));
      return RecordEvent(txn, ctx, "UPDATE_TABLE_COLUMN_STAT", table.catalog, table.database,
                         table.name, "")
          .status();
    }
    ASSIGN_OR_RETURN(std::vector<std::string> values,
                     PartitionValuesFromName(table, stats.partition_name));
    absl::StatusOr<Partition> part = txn.GetPartition(table, values);
    if (absl::IsNotFound(part.status())) {
      return absl::NotFoundError(absl::StrCat("Partition ", stats.partition_name, " of table ",
                                              table.database, ".", table.name, " does not exist"));
    }
    RETURN_IF_ERROR(part.status());
    RETURN_IF_ERROR(txn.UpsertPartitionColumnStats(table, values, stats));
    RecordColumnsWithStats(part->parameters, columns);
    RETURN_IF_ERROR(txn.UpdatePartition(table, values, *part));
    return RecordEvent(txn, ctx, "UPDATE_PARTITION_COLUMN_STAT", table.catalog, table.database,
                       table.name, stats.partition_name)
        .status();
  });
}

absl::StatusOr<std::vector<ColumnStatsObj>> CatalogService::GetTableColumnStatistics(
    const std::string& catalog, const std::string& db, const std::string& table_name,
    const std::vector<std::string>& columns, const std::string& engine) {
  std::vector<ColumnStatsObj> result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(Table table,
                     ReadTable(view, catalog, NormalizeName(db), NormalizeName(table_name)));
    ASSIGN_OR_RETURN(result, view.GetTableColumnStats(table, engine.empty() ? "hive" : engine,
                                                      NormalizeAll(columns)));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::map<std::string, std::vector<ColumnStatsObj>>>
CatalogService::GetPartitionColumnStatistics(const std::string& catalog, const std::string& db,
                                             const std::string& table_name,
                                             const std::vector<std::string>& partition_names,
                                             const std::vector<std::string>& columns,
                                             const std::string& engine) {
  std::map<std::string, std::vector<ColumnStatsObj>> result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(Table table,
                     ReadTable(view, catalog, NormalizeName(db), NormalizeName(table_name)));
    ASSIGN_OR_RETURN(result, view.GetPartitionColumnStats(table, engine.empty() ? "hive" : engine,
                                                          partition_names, NormalizeAll(columns)));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::vector<ColumnStatsObj>> CatalogService::AggregatePartitionColumnStatistics(
    const std::string& catalog, const std::string& db, const std::string& table,
    const std::vector<std::string>& partition_names, const std::vector<std::string>& columns,
    const std::string& engine, int64_t* parts_found) {
  ASSIGN_OR_RETURN(auto per_partition, GetPartitionColumnStatistics(
                                           catalog, db, table, partition_names, columns, engine));
  std::vector<std::string> wanted = NormalizeAll(columns);
  std::map<std::string, ColumnStatsObj> merged;
  int64_t found = 0;
  for (const auto& [name, objs] : per_partition) {
    size_t matched = 0;
    for (const ColumnStatsObj& obj : objs) {
      if (std::find(wanted.begin(), wanted.end(), obj.column) == wanted.end()) continue;
      ++matched;
      auto [it, inserted] = merged.emplace(obj.column, obj);
      if (!inserted) MergeColumnStats(it->second.data, obj.data);
    }
    if (matched == wanted.size()) ++found;
  }
  if (parts_found != nullptr) *parts_found = found;
  std::vector<ColumnStatsObj> result;
  for (const std::string& column : wanted) {
    auto it = merged.find(column);
    if (it != merged.end()) result.push_back(std::move(it->second));
  }
  return result;
}

absl::Status CatalogService::DeleteTableColumnStatistics(
    const RequestContext& ctx, const std::string& catalog, const std::string& db,
    const std::string& table_name, const std::string& column, const std::string& engine) {
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Table table,
                     ReadTable(txn, catalog, NormalizeName(db), NormalizeName(table_name)));
    ASSIGN_OR_RETURN(
        int64_t deleted,
        txn.DeleteTableColumnStats(table, engine.empty() ? "hive" : engine, NormalizeName(column)));
    if (deleted == 0) {
      return absl::NotFoundError(absl::StrCat("Column stats doesn't exist for table=",
                                              table.database, ".", table.name, " col=", column));
    }
    return RecordEvent(txn, ctx, "DELETE_TABLE_COLUMN_STAT", table.catalog, table.database,
                       table.name, column)
        .status();
  });
}

absl::Status CatalogService::DeletePartitionColumnStatistics(
    const RequestContext& ctx, const std::string& catalog, const std::string& db,
    const std::string& table_name, const std::string& partition_name, const std::string& column,
    const std::string& engine) {
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Table table,
                     ReadTable(txn, catalog, NormalizeName(db), NormalizeName(table_name)));
    ASSIGN_OR_RETURN(std::vector<std::string> values,
                     PartitionValuesFromName(table, partition_name));
    ASSIGN_OR_RETURN(int64_t deleted,
                     txn.DeletePartitionColumnStats(table, values, engine.empty() ? "hive" : engine,
                                                    NormalizeName(column)));
    if (deleted == 0) {
      return absl::NotFoundError(
          absl::StrCat("Column stats doesn't exist for table=", table.database, ".", table.name,
                       " partition=", partition_name, " col=", column));
    }
    return RecordEvent(txn, ctx, "DELETE_PARTITION_COLUMN_STAT", table.catalog, table.database,
                       table.name, partition_name)
        .status();
  });
}

}  // namespace almanac
