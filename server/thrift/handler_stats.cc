// Column statistics and function calls.

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "server/core/validation.h"
#include "server/thrift/convert.h"
#include "server/thrift/errors.h"
#include "server/thrift/handler.h"
#include "server/thrift/wire_names.h"

namespace almanac::thrift_server {
namespace {

using hive::AlreadyExistsException;
using hive::InvalidInputException;
using hive::InvalidObjectException;
using hive::InvalidOperationException;
using hive::MetaException;
using hive::NoSuchObjectException;

// A ColumnStatistics from the wire with any "@cat#db" database name resolved.
ColumnStatistics StatsFromWire(const hive::ColumnStatistics& wire, const std::string& engine) {
  ColumnStatistics stats = ToDomain(wire);
  QualifiedDb db = Db(wire.statsDesc.dbName);
  stats.database = db.db();
  if (!wire.statsDesc.__isset.catName) stats.catalog = db.catalog;
  if (!engine.empty() && !wire.__isset.engine) stats.engine = engine;
  return stats;
}

// A function from the wire with its "@cat#db" database name resolved, and the fields the client
// left out. A Java server reads an owner type it does not know as null.
Function FunctionFromWire(const hive::Function& wire, MissingFunctionFields* missing) {
  Function fn = ToDomain(wire);
  QualifiedDb db = Db(wire.dbName);
  fn.database = db.db();
  if (!wire.__isset.catName) fn.catalog = db.catalog;
  missing->name = !wire.__isset.functionName;
  missing->database = !wire.__isset.dbName || !db.name;
  missing->owner_type = !wire.__isset.ownerType || wire.ownerType < hive::PrincipalType::USER ||
                        wire.ownerType > hive::PrincipalType::GROUP;
  return fn;
}

}  // namespace

bool MetastoreHandler::update_table_column_statistics(const hive::ColumnStatistics& stats_obj) {
  return Call("update_table_column_statistics", [&] {
    ColumnStatistics stats = StatsFromWire(stats_obj, "");
    stats.table_level = true;
    Check<NoSuchObjectException, InvalidObjectException, MetaException, InvalidInputException>(
        catalog_->UpdateColumnStatistics(Context(), std::move(stats)));
    return true;
  });
}

bool MetastoreHandler::update_partition_column_statistics(const hive::ColumnStatistics& stats_obj) {
  return Call("update_partition_column_statistics", [&] {
    ColumnStatistics stats = StatsFromWire(stats_obj, "");
    stats.table_level = false;
    Check<NoSuchObjectException, InvalidObjectException, MetaException, InvalidInputException>(
        catalog_->UpdateColumnStatistics(Context(), std::move(stats)));
    return true;
  });
}

// Applies every ColumnStatistics of a request (table or partition level as each says).
static void SetStats(CatalogService* catalog, const RequestContext& ctx,
                     const hive::SetPartitionsStatsRequest& req) {
  const std::string engine = req.__isset.engine ? req.engine : "";
  for (const hive::ColumnStatistics& wire : req.colStats) {
    Check<NoSuchObjectException, InvalidObjectException, MetaException, InvalidInputException>(
        catalog->UpdateColumnStatistics(ctx, StatsFromWire(wire, engine)));
  }
}

void MetastoreHandler::update_table_column_statistics_req(
    hive::SetPartitionsStatsResponse& _return, const hive::SetPartitionsStatsRequest& req) {
  Call("update_table_column_statistics_req", [&] {
    SetStats(catalog_, Context(), req);
    _return.__set_result(true);
  });
}

void MetastoreHandler::update_partition_column_statistics_req(
    hive::SetPartitionsStatsResponse& _return, const hive::SetPartitionsStatsRequest& req) {
  Call("update_partition_column_statistics_req", [&] {
    SetStats(catalog_, Context(), req);
    _return.__set_result(true);
  });
}

bool MetastoreHandler::set_aggr_stats_for(const hive::SetPartitionsStatsRequest& request) {
  return Call("set_aggr_stats_for", [&] {
    SetStats(catalog_, Context(), request);
    return true;
  });
}

void MetastoreHandler::get_table_column_statistics(hive::ColumnStatistics& _return,
                                                   const std::string& db_name,
                                                   const std::string& tbl_name,
                                                   const std::string& col_name) {
  Call("get_table_column_statistics", [&] {
    QualifiedDb db = Db(db_name);
    auto objs = Unwrap<NoSuchObjectException, MetaException>(
        catalog_->GetTableColumnStatistics(db.catalog, db.db(), tbl_name, {col_name}, "hive"));
    if (objs.empty()) {
      Check<NoSuchObjectException>(absl::NotFoundError(absl::StrCat(
          "Column statistics for ", db.db(), ".", tbl_name, ".", col_name, " do not exist")));
    }
    _return = WireStats(db.catalog, db.db(), tbl_name, "", objs);
  });
}

void MetastoreHandler::get_partition_column_statistics(hive::ColumnStatistics& _return,
                                                       const std::string& db_name,
                                                       const std::string& tbl_name,
                                                       const std::string& part_name,
                                                       const std::string& col_name) {
  Call("get_partition_column_statistics", [&] {
    QualifiedDb db = Db(db_name);
    auto per_part =
        Unwrap<NoSuchObjectException, MetaException>(catalog_->GetPartitionColumnStatistics(
            db.catalog, db.db(), tbl_name, {part_name}, {col_name}, "hive"));
    auto it = per_part.find(part_name);
    if (it == per_part.end() || it->second.empty()) {
      Check<NoSuchObjectException>(absl::NotFoundError(
          absl::StrCat("Column statistics for ", db.db(), ".", tbl_name, " partition ", part_name,
                       " column ", col_name, " do not exist")));
    }
    _return = WireStats(db.catalog, db.db(), tbl_name, part_name, it->second);
  });
}

void MetastoreHandler::get_table_statistics_req(hive::TableStatsResult& _return,
                                                const hive::TableStatsRequest& request) {
  Call("get_table_statistics_req", [&] {
    QualifiedDb db = Db(request.dbName);
    _return.__set_tableStats(
        ToWire(Unwrap<NoSuchObjectException, MetaException>(catalog_->GetTableColumnStatistics(
            CatalogOr(request.__isset.catName, request.catName), db.db(), request.tblName,
            request.colNames, request.__isset.engine ? request.engine : "hive"))));
  });
}

void MetastoreHandler::get_partitions_statistics_req(hive::PartitionsStatsResult& _return,
                                                     const hive::PartitionsStatsRequest& request) {
  Call("get_partitions_statistics_req", [&] {
    QualifiedDb db = Db(request.dbName);
    auto per_part =
        Unwrap<NoSuchObjectException, MetaException>(catalog_->GetPartitionColumnStatistics(
            CatalogOr(request.__isset.catName, request.catName), db.db(), request.tblName,
            request.partNames, request.colNames, request.__isset.engine ? request.engine : "hive"));
    std::map<std::string, std::vector<hive::ColumnStatisticsObj>> wire;
    for (const auto& [name, objs] : per_part) wire[name] = ToWire(objs);
    _return.__set_partStats(wire);
  });
}

void MetastoreHandler::get_aggr_stats_for(hive::AggrStats& _return,
                                          const hive::PartitionsStatsRequest& request) {
  Call("get_aggr_stats_for", [&] {
    QualifiedDb db = Db(request.dbName);
    int64_t found = 0;
    auto objs =
        Unwrap<NoSuchObjectException, MetaException>(catalog_->AggregatePartitionColumnStatistics(
            CatalogOr(request.__isset.catName, request.catName), db.db(), request.tblName,
            request.partNames, request.colNames, request.__isset.engine ? request.engine : "hive",
            &found));
    _return.__set_colStats(ToWire(objs));
    _return.__set_partsFound(found);
  });
}

bool MetastoreHandler::delete_partition_column_statistics(const std::string& db_name,
                                                          const std::string& tbl_name,
                                                          const std::string& part_name,
                                                          const std::string& col_name,
                                                          const std::string& engine) {
  return Call("delete_partition_column_statistics", [&] {
    QualifiedDb db = Db(db_name);
    Check<NoSuchObjectException, MetaException, InvalidObjectException, InvalidInputException>(
        catalog_->DeletePartitionColumnStatistics(Context(), db.catalog, db.db(), tbl_name,
                                                  part_name, col_name, engine));
    return true;
  });
}

bool MetastoreHandler::delete_table_column_statistics(const std::string& db_name,
                                                      const std::string& tbl_name,
                                                      const std::string& col_name,
                                                      const std::string& engine) {
  return Call("delete_table_column_statistics", [&] {
    QualifiedDb db = Db(db_name);
    Check<NoSuchObjectException, MetaException, InvalidObjectException, InvalidInputException>(
        catalog_->DeleteTableColumnStatistics(Context(), db.catalog, db.db(), tbl_name, col_name,
                                              engine));
    return true;
  });
}

// --- functions ---

// HMS refuses a null database or function name argument with MetaException; a Java client
// leaves a null name out, or sends a null database name as "@<catalog>#".
void MetastoreHandler::create_function(const hive::Function& func) {
  Call("create_function", [&] {
    MissingFunctionFields missing;
    Function fn = FunctionFromWire(func, &missing);
    Check<AlreadyExistsException, InvalidObjectException, MetaException, NoSuchObjectException>(
        catalog_->CreateFunction(Context(), std::move(fn), missing));
  });
}

void MetastoreHandler::drop_function(const std::string& dbName, const std::string& funcName) {
  Call("drop_function", [&] {
    if (!ArgumentSent(2)) Check<MetaException>(NullName("Function name"));
    QualifiedDb db = NamedDb(dbName, ArgumentSent(1));
    Check<NoSuchObjectException, MetaException>(
        catalog_->DropFunction(Context(), db.catalog, db.db(), funcName));
  });
}

// HMS answers every failed alter_function with MetaException: the invalid, missing and
// duplicate objects its checks find are not among the call's declared exceptions.
void MetastoreHandler::alter_function(const std::string& dbName, const std::string& funcName,
                                      const hive::Function& newFunc) {
  Call("alter_function", [&] {
    if (!ArgumentSent(2)) Check<MetaException>(NullName("Function name"));
    QualifiedDb db = NamedDb(dbName, ArgumentSent(1));
    MissingFunctionFields missing;
    Function fn = FunctionFromWire(newFunc, &missing);
    Check<MetaException>(
        catalog_->AlterFunction(Context(), db.catalog, db.db(), funcName, std::move(fn), missing));
  });
}

void MetastoreHandler::get_functions(std::vector<std::string>& _return, const std::string& dbName,
                                     const std::string& pattern) {
  Call("get_functions", [&] {
    QualifiedDb db = NamedDb(dbName, ArgumentSent(1));
    std::optional<std::string> given_pattern;
    if (ArgumentSent(2)) given_pattern = pattern;
    _return = Unwrap<MetaException>(catalog_->ListFunctions(db.catalog, db.db(), given_pattern));
  });
}

void MetastoreHandler::get_function(hive::Function& _return, const std::string& dbName,
                                    const std::string& funcName) {
  Call("get_function", [&] {
    if (!ArgumentSent(2)) Check<MetaException>(NullName("Function name"));
    QualifiedDb db = NamedDb(dbName, ArgumentSent(1));
    _return = ToWire(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->GetFunction(db.catalog, db.db(), funcName)));
  });
}

void MetastoreHandler::get_all_functions(hive::GetAllFunctionsResponse& _return) {
  Call("get_all_functions", [&] {
    std::vector<hive::Function> wire;
    for (const Function& fn : Unwrap<MetaException>(catalog_->ListAllFunctions(kDefaultCatalog))) {
      wire.push_back(ToWire(fn));
    }
    _return.__set_functions(wire);
  });
}

}  // namespace almanac::thrift_server
