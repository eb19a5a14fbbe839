// Table calls.

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/core/error_subject.h"
#include "server/core/stats_merge.h"
#include "server/core/table_rules.h"
#include "server/thrift/convert.h"
#include "server/thrift/errors.h"
#include "server/thrift/handler.h"
#include "server/thrift/wire_names.h"

namespace almanac::thrift_server {
namespace {

using hive::AlreadyExistsException;
using hive::InvalidObjectException;
using hive::InvalidOperationException;
using hive::MetaException;
using hive::NoSuchObjectException;
using hive::UnknownDBException;
using hive::UnknownTableException;

// HMS dereferences these fields of a table it creates or alters, so a definition without them
// fails there with a MetaException; an empty name or type, by contrast, is validated as a name
// or type. Only the wire tells a missing field from an empty one.
absl::Status CheckTableFieldsPresent(const hive::Table& wire) {
  std::string missing;
  if (!wire.__isset.dbName) {
    missing = "database name";
  } else if (!wire.__isset.tableName) {
    missing = "table name";
  } else if (!wire.__isset.sd) {
    missing = "storage descriptor";
  } else if (!wire.sd.__isset.cols) {
    missing = "column list";
  } else if (!wire.sd.__isset.serdeInfo) {
    missing = "serde info";
  } else {
    for (const hive::FieldSchema& column : wire.sd.cols) {
      if (!column.__isset.type) {
        missing = absl::StrCat("type for column ", column.name);
        break;
      }
    }
  }
  if (missing.empty()) return absl::OkStatus();
  return WithSubject(
      absl::InvalidArgumentError(absl::StrCat("The table definition has no ", missing)),
      ErrorSubject::kMalformedRequest);
}

// A table from the wire: its catalog comes from the table itself or a "@cat#db" database name.
// Throws MetaException for a definition CheckTableFieldsPresent refuses.
Table TableFromWire(const hive::Table& wire) {
  Check<MetaException>(CheckTableFieldsPresent(wire));
  Table table = ToDomain(wire);
  QualifiedDb db = Db(wire.dbName);
  table.database = db.db();
  if (!wire.__isset.catName || wire.catName.empty()) table.catalog = db.catalog;
  return table;
}

// The new definition an alter call carries: without a catName of its own it stays in the
// catalog the call names, as HMS sets it.
Table AlteredTableFromWire(const hive::Table& wire, const std::string& catalog) {
  Table table = TableFromWire(wire);
  if (!wire.__isset.catName || wire.catName.empty()) table.catalog = catalog;
  return table;
}

AlterTableOptions OptionsFrom(const hive::EnvironmentContext& context) {
  AlterTableOptions options;
  const auto& props = context.properties;
  if (auto it = props.find("CASCADE"); it != props.end()) {
    options.cascade = absl::EqualsIgnoreCase(it->second, "true");
  }
  if (auto key = props.find("expected_parameter_key"); key != props.end()) {
    options.expected_key = key->second;
    if (auto value = props.find("expected_parameter_value"); value != props.end()) {
      options.expected_value = value->second;
    }
  }
  options.environment = ToDomain(context);
  return options;
}

std::vector<hive::FieldSchema> Fields(CatalogService* catalog, const std::string& cat,
                                      const std::string& db, const std::string& table,
                                      bool with_partition_keys) {
  Table t = Unwrap<MetaException, UnknownTableException, UnknownDBException>(
      catalog->GetTable(cat, db, table));
  std::vector<Column> columns = t.sd.columns;
  if (with_partition_keys) {
    columns.insert(columns.end(), t.partition_keys.begin(), t.partition_keys.end());
  }
  return ToWire(columns);
}

// create_table_req and create_table_with_constraints, which HMS 4 runs as one: it answers a
// missing database (or catalog) with InvalidObjectException.
void CreateTableAsRequested(CatalogService* catalog, const RequestContext& ctx,
                            const hive::Table& table, CreateTableOptions options) {
  absl::Status created = catalog->CreateTable(ctx, TableFromWire(table), options).status();
  if (absl::IsNotFound(created)) created = absl::InvalidArgumentError(created.message());
  Check<AlreadyExistsException, InvalidObjectException, MetaException, NoSuchObjectException>(
      created);
}

}  // namespace

void MetastoreHandler::create_table(const hive::Table& tbl) {
  Call("create_table", [&] {
    Check<AlreadyExistsException, InvalidObjectException, MetaException, NoSuchObjectException>(
        catalog_->CreateTable(Context(), TableFromWire(tbl), CreateOptions(tbl, nullptr)).status());
  });
}

void MetastoreHandler::create_table_with_environment_context(
    const hive::Table& tbl, const hive::EnvironmentContext& environment_context) {
  Call("create_table_with_environment_context", [&] {
    Check<AlreadyExistsException, InvalidObjectException, MetaException, NoSuchObjectException>(
        catalog_
            ->CreateTable(Context(), TableFromWire(tbl), CreateOptions(tbl, &environment_context))
            .status());
  });
}

void MetastoreHandler::create_table_req(const hive::CreateTableRequest& request) {
  Call("create_table_req", [&] {
    const hive::EnvironmentContext* context =
        request.__isset.envContext ? &request.envContext : nullptr;
    CreateTableOptions options = CreateOptions(request.table, context);
    options.constraints = {
        .primary_keys = ToDomain(request.primaryKeys),
        .foreign_keys = ToDomain(request.foreignKeys),
        .unique_constraints = ToDomain(request.uniqueConstraints),
        .not_null_constraints = ToDomain(request.notNullConstraints),
        .default_constraints = ToDomain(request.defaultConstraints),
        .check_constraints = ToDomain(request.checkConstraints),
    };
    CreateTableAsRequested(catalog_, Context(), request.table, std::move(options));
  });
}

void MetastoreHandler::create_table_with_constraints(
    const hive::Table& tbl, const std::vector<hive::SQLPrimaryKey>& primaryKeys,
    const std::vector<hive::SQLForeignKey>& foreignKeys,
    const std::vector<hive::SQLUniqueConstraint>& uniqueConstraints,
    const std::vector<hive::SQLNotNullConstraint>& notNullConstraints,
    const std::vector<hive::SQLDefaultConstraint>& defaultConstraints,
    const std::vector<hive::SQLCheckConstraint>& checkConstraints) {
  Call("create_table_with_constraints", [&] {
    CreateTableOptions options = CreateOptions(tbl, nullptr);
    options.constraints = {
        .primary_keys = ToDomain(primaryKeys),
        .foreign_keys = ToDomain(foreignKeys),
        .unique_constraints = ToDomain(uniqueConstraints),
        .not_null_constraints = ToDomain(notNullConstraints),
        .default_constraints = ToDomain(defaultConstraints),
        .check_constraints = ToDomain(checkConstraints),
    };
    CreateTableAsRequested(catalog_, Context(), tbl, std::move(options));
  });
}

void MetastoreHandler::get_table(hive::Table& _return, const std::string& dbname,
                                 const std::string& tbl_name) {
  Call("get_table", [&] {
    QualifiedDb db = Db(dbname);
    _return = ToWire(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->GetTable(db.catalog, db.db(), tbl_name)));
  });
}

void MetastoreHandler::get_table_req(hive::GetTableResult& _return,
                                     const hive::GetTableRequest& req) {
  Call("get_table_req", [&] {
    const std::string cat = CatalogOr(req.__isset.catName, req.catName);
    Table table = Unwrap<MetaException, NoSuchObjectException>(
        catalog_->GetTable(cat, req.dbName, req.tblName));
    hive::Table wire = ToWire(table);
    // Hive 4 asks for the table with its column statistics: those of the engine, for the columns
    // that COLUMN_STATS_ACCURATE lists, and none at all when there are none (as in Hive).
    if (req.__isset.getColumnStats && req.getColumnStats) {
      const std::vector<std::string> columns = ColumnsWithStats(table.parameters);
      const std::string engine = req.__isset.engine && !req.engine.empty() ? req.engine : "hive";
      if (!columns.empty()) {
        auto objs = Unwrap<MetaException, NoSuchObjectException>(
            catalog_->GetTableColumnStatistics(cat, table.database, table.name, columns, engine));
        if (!objs.empty()) {
          hive::ColumnStatistics stats = WireStats(cat, table.database, table.name, "", objs);
          stats.__set_engine(engine);
          wire.__set_colStats(stats);
        }
      }
    }
    _return.table = std::move(wire);  // A required field: no isset flag.
  });
}

void MetastoreHandler::get_table_objects_by_name(std::vector<hive::Table>& _return,
                                                 const std::string& dbname,
                                                 const std::vector<std::string>& tbl_names) {
  Call("get_table_objects_by_name", [&] {
    QualifiedDb db = Db(dbname);
    std::vector<Table> tables =
        Unwrap<MetaException>(catalog_->GetTables(db.catalog, db.db(), tbl_names));
    _return.clear();
    for (const Table& t : tables) _return.push_back(ToWire(t));
  });
}

void MetastoreHandler::get_table_objects_by_name_req(hive::GetTablesResult& _return,
                                                     const hive::GetTablesRequest& req) {
  Call("get_table_objects_by_name_req", [&] {
    if (req.__isset.projectionSpec) {
      const hive::GetProjectionsSpec& spec = req.projectionSpec;
      std::optional<std::vector<std::string>> fields;
      if (spec.__isset.fieldList) fields = spec.fieldList;
      Check<MetaException, InvalidOperationException>(CheckTableProjection(
          fields, spec.__isset.includeParamKeyPattern || spec.__isset.excludeParamKeyPattern));
    }
    const std::string cat = CatalogOr(req.__isset.catName, req.catName);
    std::vector<Table> tables;
    if (!req.__isset.tblNames) {
      // Without names, HMS lists by pattern; the database name is a pattern too.
      if (!req.__isset.tablesPattern) {
        Check<InvalidOperationException>(
            absl::FailedPreconditionError(absl::StrCat(req.dbName, " cannot find null tables")));
      }
      tables = Unwrap<MetaException, InvalidOperationException, UnknownDBException>(
          catalog_->ListTablesMatching(cat, req.dbName, req.tablesPattern));
    } else {
      absl::Status db_exists = catalog_->GetDatabase(cat, req.dbName).status();
      if (absl::IsNotFound(db_exists)) {
        hive::UnknownDBException e;
        e.__set_message(std::string(db_exists.message()));
        throw e;
      }
      Check<MetaException>(db_exists);
      tables = Unwrap<MetaException, UnknownDBException>(
          catalog_->GetTables(cat, req.dbName, req.tblNames));
    }
    std::vector<hive::Table> wire;
    for (const Table& t : tables) wire.push_back(ToWire(t));
    _return.__set_tables(wire);
  });
}

void MetastoreHandler::get_tables(std::vector<std::string>& _return, const std::string& db_name,
                                  const std::string& pattern) {
  Call("get_tables", [&] {
    QualifiedDb db = Db(db_name);
    _return =
        Unwrap<MetaException>(catalog_->ListTables(db.catalog, db.db(), pattern, std::nullopt));
  });
}

void MetastoreHandler::get_tables_by_type(std::vector<std::string>& _return,
                                          const std::string& db_name, const std::string& pattern,
                                          const std::string& tableType) {
  Call("get_tables_by_type", [&] {
    QualifiedDb db = Db(db_name);
    std::optional<std::string> type;
    if (!tableType.empty()) type = tableType;
    _return = Unwrap<MetaException>(catalog_->ListTables(db.catalog, db.db(), pattern, type));
  });
}

void MetastoreHandler::get_materialized_views_for_rewriting(std::vector<std::string>& _return,
                                                            const std::string& db_name) {
  Call("get_materialized_views_for_rewriting", [&] {
    QualifiedDb db = Db(db_name);
    _return =
        Unwrap<MetaException>(catalog_->ListMaterializedViewsForRewriting(db.catalog, db.db()));
  });
}

void MetastoreHandler::get_all_tables(std::vector<std::string>& _return,
                                      const std::string& db_name) {
  Call("get_all_tables", [&] {
    QualifiedDb db = Db(db_name);
    _return = Unwrap<MetaException>(catalog_->ListTables(db.catalog, db.db(), "", std::nullopt));
  });
}

void MetastoreHandler::get_table_meta(std::vector<hive::TableMeta>& _return,
                                      const std::string& db_patterns,
                                      const std::string& tbl_patterns,
                                      const std::vector<std::string>& tbl_types) {
  Call("get_table_meta", [&] {
    QualifiedDb db = Db(db_patterns);
    // A null pattern ("@cat#", or nothing at all from clients without catalogs) matches every
    // database; only Hive 3+ clients can send an empty one ("@cat#!").
    std::optional<std::string> db_pattern;
    if (db.name && (!db.name->empty() || absl::EndsWith(db_patterns, "#!"))) {
      db_pattern = *db.name;
    }
    std::vector<TableMeta> metas = Unwrap<MetaException>(
        catalog_->GetTableMeta(db.catalog, db_pattern, tbl_patterns, tbl_types));
    _return.clear();
    for (const TableMeta& m : metas) _return.push_back(ToWire(m));
  });
}

void MetastoreHandler::get_table_names_by_filter(std::vector<std::string>& _return,
                                                 const std::string& dbname,
                                                 const std::string& filter,
                                                 const int16_t max_tables) {
  Call("get_table_names_by_filter", [&] {
    QualifiedDb db = Db(dbname);
    _return = Unwrap<MetaException, InvalidOperationException, UnknownDBException>(
        catalog_->ListTableNamesByFilter(db.catalog, db.db(), filter, max_tables));
  });
}

void MetastoreHandler::get_fields(std::vector<hive::FieldSchema>& _return,
                                  const std::string& db_name, const std::string& table_name) {
  Call("get_fields", [&] {
    QualifiedDb db = Db(db_name);
    _return = Fields(catalog_, db.catalog, db.db(), table_name, false);
  });
}

void MetastoreHandler::get_fields_with_environment_context(std::vector<hive::FieldSchema>& _return,
                                                           const std::string& db_name,
                                                           const std::string& table_name,
                                                           const hive::EnvironmentContext&) {
  Call("get_fields_with_environment_context", [&] {
    QualifiedDb db = Db(db_name);
    _return = Fields(catalog_, db.catalog, db.db(), table_name, false);
  });
}

void MetastoreHandler::get_fields_req(hive::GetFieldsResponse& _return,
                                      const hive::GetFieldsRequest& req) {
  Call("get_fields_req", [&] {
    _return.__set_fields(Fields(catalog_, CatalogOr(req.__isset.catName, req.catName), req.dbName,
                                req.tblName, false));
  });
}

void MetastoreHandler::get_schema(std::vector<hive::FieldSchema>& _return,
                                  const std::string& db_name, const std::string& table_name) {
  Call("get_schema", [&] {
    QualifiedDb db = Db(db_name);
    _return = Fields(catalog_, db.catalog, db.db(), table_name, true);
  });
}

void MetastoreHandler::get_schema_with_environment_context(std::vector<hive::FieldSchema>& _return,
                                                           const std::string& db_name,
                                                           const std::string& table_name,
                                                           const hive::EnvironmentContext&) {
  Call("get_schema_with_environment_context", [&] {
    QualifiedDb db = Db(db_name);
    _return = Fields(catalog_, db.catalog, db.db(), table_name, true);
  });
}

void MetastoreHandler::get_schema_req(hive::GetSchemaResponse& _return,
                                      const hive::GetSchemaRequest& req) {
  Call("get_schema_req", [&] {
    _return.__set_fields(Fields(catalog_, CatalogOr(req.__isset.catName, req.catName), req.dbName,
                                req.tblName, true));
  });
}

void MetastoreHandler::alter_table(const std::string& dbname, const std::string& tbl_name,
                                   const hive::Table& new_tbl) {
  Call("alter_table", [&] {
    QualifiedDb db = Db(dbname);
    Check<InvalidOperationException, MetaException>(
        catalog_->AlterTable(Context(), db.catalog, db.db(), tbl_name,
                             AlteredTableFromWire(new_tbl, db.catalog), AlterTableOptions{}));
  });
}

void MetastoreHandler::alter_table_with_environment_context(
    const std::string& dbname, const std::string& tbl_name, const hive::Table& new_tbl,
    const hive::EnvironmentContext& environment_context) {
  Call("alter_table_with_environment_context", [&] {
    QualifiedDb db = Db(dbname);
    Check<InvalidOperationException, MetaException>(catalog_->AlterTable(
        Context(), db.catalog, db.db(), tbl_name, AlteredTableFromWire(new_tbl, db.catalog),
        OptionsFrom(environment_context)));
  });
}

void MetastoreHandler::alter_table_with_cascade(const std::string& dbname,
                                                const std::string& tbl_name,
                                                const hive::Table& new_tbl, const bool cascade) {
  Call("alter_table_with_cascade", [&] {
    QualifiedDb db = Db(dbname);
    AlterTableOptions options;
    options.cascade = cascade;
    Check<InvalidOperationException, MetaException>(
        catalog_->AlterTable(Context(), db.catalog, db.db(), tbl_name,
                             AlteredTableFromWire(new_tbl, db.catalog), options));
  });
}

void MetastoreHandler::alter_table_req(hive::AlterTableResponse&,
                                       const hive::AlterTableRequest& req) {
  Call("alter_table_req", [&] {
    AlterTableOptions options;
    if (req.__isset.environmentContext) options = OptionsFrom(req.environmentContext);
    if (req.__isset.expectedParameterKey) {
      options.expected_key = req.expectedParameterKey;
      options.expected_value = req.expectedParameterValue;
    }
    const std::string catalog = CatalogOr(req.__isset.catName, req.catName);
    Check<InvalidOperationException, MetaException>(
        catalog_->AlterTable(Context(), catalog, req.dbName, req.tableName,
                             AlteredTableFromWire(req.table, catalog), options));
  });
}

void MetastoreHandler::drop_table(const std::string& dbname, const std::string& name,
                                  const bool deleteData) {
  Call("drop_table", [&] {
    QualifiedDb db = Db(dbname);
    Check<NoSuchObjectException, MetaException>(
        catalog_->DropTable(Context(), db.catalog, db.db(), name, deleteData));
  });
}

void MetastoreHandler::drop_table_with_environment_context(const std::string& dbname,
                                                           const std::string& name,
                                                           const bool deleteData,
                                                           const hive::EnvironmentContext&) {
  Call("drop_table_with_environment_context", [&] {
    QualifiedDb db = Db(dbname);
    Check<NoSuchObjectException, MetaException>(
        catalog_->DropTable(Context(), db.catalog, db.db(), name, deleteData));
  });
}

void MetastoreHandler::drop_table_req(const hive::DropTableRequest& req) {
  Call("drop_table_req", [&] {
    Check<NoSuchObjectException, MetaException>(
        catalog_->DropTable(Context(), CatalogOr(req.__isset.catalogName, req.catalogName),
                            req.dbName, req.tableName, req.__isset.deleteData && req.deleteData));
  });
}

void MetastoreHandler::truncate_table(const std::string& dbName, const std::string& tableName,
                                      const std::vector<std::string>& partNames) {
  Call("truncate_table", [&] {
    QualifiedDb db = Db(dbName);
    // The legacy call cannot tell an absent list from an empty one; HMS's clients send null
    // for "every partition", which arrives as an empty list.
    std::optional<std::vector<std::string>> names;
    if (!partNames.empty()) names = partNames;
    Check<MetaException>(catalog_->TruncateTable(Context(), db.catalog, db.db(), tableName, names));
  });
}

void MetastoreHandler::truncate_table_req(hive::TruncateTableResponse&,
                                          const hive::TruncateTableRequest& req) {
  Call("truncate_table_req", [&] {
    QualifiedDb db = Db(req.dbName);
    std::optional<std::vector<std::string>> names;
    if (req.__isset.partNames) names = req.partNames;
    Check<MetaException>(
        catalog_->TruncateTable(Context(), db.catalog, db.db(), req.tableName, names));
  });
}

}  // namespace almanac::thrift_server
