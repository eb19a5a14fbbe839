// Partition calls that change existing partitions: alter, rename and drop.

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/thrift/convert.h"
#include "server/thrift/errors.h"
#include "server/thrift/handler.h"
#include "server/thrift/wire_names.h"

namespace almanac::thrift_server {
namespace {

using hive::InvalidOperationException;
using hive::MetaException;
using hive::NoSuchObjectException;

// HMS's alter_partition_core (behind alter_partition and rename_partition) reports the alter
// handler's AlreadyExistsException (renaming onto an existing partition) as
// InvalidOperationException, the type these methods declare.
absl::Status AsAlterError(const absl::Status& status) {
  if (absl::IsAlreadyExists(status)) {
    return absl::FailedPreconditionError(status.message());
  }
  return status;
}

// HMS's ifPurge property: dropped data skips the trash.
bool Purge(const EnvironmentProperties& environment) {
  auto purge = environment.find("ifPurge");
  return purge != environment.end() && absl::EqualsIgnoreCase(purge->second, "true");
}

// Drops one partition given by values or by name; returns whether it was dropped. A name is
// looked up as HMS does, and a name that names no partition is NoSuchObjectException.
bool DropOne(CatalogService* catalog, const RequestContext& ctx, const std::string& cat,
             const std::string& db, const std::string& table,
             const std::optional<std::string>& name, std::vector<std::string> values,
             bool delete_data, const EnvironmentProperties& environment = {}) {
  if (name) {
    Table t = Unwrap<NoSuchObjectException, MetaException>(catalog->GetTable(cat, db, table));
    values = Unwrap<NoSuchObjectException, MetaException>(catalog->LookupValuesFromName(t, *name));
  }
  auto dropped = Unwrap<NoSuchObjectException, MetaException>(catalog->DropPartitions(
      ctx, cat, db, table, {values}, delete_data, false, Purge(environment)));
  return !dropped.empty();
}

}  // namespace

void MetastoreHandler::alter_partition(const std::string& db_name, const std::string& tbl_name,
                                       const hive::Partition& new_part) {
  Call("alter_partition", [&] {
    QualifiedDb db = Db(db_name);
    Check<InvalidOperationException, MetaException>(AsAlterError(
        catalog_->AlterPartitions(Context(), db.catalog, db.db(), tbl_name, {ToDomain(new_part)})));
  });
}

void MetastoreHandler::alter_partitions(const std::string& db_name, const std::string& tbl_name,
                                        const std::vector<hive::Partition>& new_parts) {
  Call("alter_partitions", [&] {
    QualifiedDb db = Db(db_name);
    Check<InvalidOperationException, MetaException>(
        catalog_->AlterPartitions(Context(), db.catalog, db.db(), tbl_name, ToDomain(new_parts)));
  });
}

void MetastoreHandler::alter_partitions_with_environment_context(
    const std::string& db_name, const std::string& tbl_name,
    const std::vector<hive::Partition>& new_parts,
    const hive::EnvironmentContext& environment_context) {
  Call("alter_partitions_with_environment_context", [&] {
    QualifiedDb db = Db(db_name);
    Check<InvalidOperationException, MetaException>(
        catalog_->AlterPartitions(Context(), db.catalog, db.db(), tbl_name, ToDomain(new_parts),
                                  ToDomain(environment_context)));
  });
}

void MetastoreHandler::alter_partition_with_environment_context(
    const std::string& db_name, const std::string& tbl_name, const hive::Partition& new_part,
    const hive::EnvironmentContext& environment_context) {
  Call("alter_partition_with_environment_context", [&] {
    QualifiedDb db = Db(db_name);
    Check<InvalidOperationException, MetaException>(AsAlterError(
        catalog_->AlterPartitions(Context(), db.catalog, db.db(), tbl_name, {ToDomain(new_part)},
                                  ToDomain(environment_context))));
  });
}

void MetastoreHandler::alter_partitions_req(hive::AlterPartitionsResponse&,
                                            const hive::AlterPartitionsRequest& req) {
  Call("alter_partitions_req", [&] {
    Check<InvalidOperationException, MetaException>(catalog_->AlterPartitions(
        Context(), CatalogOr(req.__isset.catName, req.catName), req.dbName, req.tableName,
        ToDomain(req.partitions),
        EnvironmentOr(req.__isset.environmentContext, req.environmentContext)));
  });
}

void MetastoreHandler::rename_partition(const std::string& db_name, const std::string& tbl_name,
                                        const std::vector<std::string>& part_vals,
                                        const hive::Partition& new_part) {
  Call("rename_partition", [&] {
    QualifiedDb db = Db(db_name);
    Check<InvalidOperationException, MetaException>(AsAlterError(catalog_->RenamePartition(
        Context(), db.catalog, db.db(), tbl_name, part_vals, ToDomain(new_part))));
  });
}

void MetastoreHandler::rename_partition_req(hive::RenamePartitionResponse&,
                                            const hive::RenamePartitionRequest& req) {
  Call("rename_partition_req", [&] {
    Check<InvalidOperationException, MetaException>(AsAlterError(
        catalog_->RenamePartition(Context(), CatalogOr(req.__isset.catName, req.catName),
                                  req.dbName, req.tableName, req.partVals, ToDomain(req.newPart))));
  });
}

bool MetastoreHandler::drop_partition(const std::string& db_name, const std::string& tbl_name,
                                      const std::vector<std::string>& part_vals,
                                      const bool deleteData) {
  return Call("drop_partition", [&] {
    QualifiedDb db = Db(db_name);
    return DropOne(catalog_, Context(), db.catalog, db.db(), tbl_name, std::nullopt, part_vals,
                   deleteData);
  });
}

bool MetastoreHandler::drop_partition_with_environment_context(
    const std::string& db_name, const std::string& tbl_name,
    const std::vector<std::string>& part_vals, const bool deleteData,
    const hive::EnvironmentContext& environment_context) {
  return Call("drop_partition_with_environment_context", [&] {
    QualifiedDb db = Db(db_name);
    return DropOne(catalog_, Context(), db.catalog, db.db(), tbl_name, std::nullopt, part_vals,
                   deleteData, ToDomain(environment_context));
  });
}

bool MetastoreHandler::drop_partition_by_name(const std::string& db_name,
                                              const std::string& tbl_name,
                                              const std::string& part_name, const bool deleteData) {
  return Call("drop_partition_by_name", [&] {
    QualifiedDb db = Db(db_name);
    return DropOne(catalog_, Context(), db.catalog, db.db(), tbl_name, part_name, {}, deleteData);
  });
}

bool MetastoreHandler::drop_partition_by_name_with_environment_context(
    const std::string& db_name, const std::string& tbl_name, const std::string& part_name,
    const bool deleteData, const hive::EnvironmentContext& environment_context) {
  return Call("drop_partition_by_name_with_environment_context", [&] {
    QualifiedDb db = Db(db_name);
    return DropOne(catalog_, Context(), db.catalog, db.db(), tbl_name, part_name, {}, deleteData,
                   ToDomain(environment_context));
  });
}

bool MetastoreHandler::drop_partition_req(const hive::DropPartitionRequest& req) {
  return Call("drop_partition_req", [&] {
    std::optional<std::string> name;
    if (req.__isset.partName && !req.__isset.partVals) name = req.partName;
    return DropOne(catalog_, Context(), CatalogOr(req.__isset.catName, req.catName), req.dbName,
                   req.tblName, name, req.partVals, req.__isset.deleteData && req.deleteData,
                   EnvironmentOr(req.__isset.environmentContext, req.environmentContext));
  });
}

void MetastoreHandler::drop_partitions_req(hive::DropPartitionsResult& _return,
                                           const hive::DropPartitionsRequest& req) {
  Call("drop_partitions_req", [&] {
    if (req.parts.__isset.exprs && !req.parts.__isset.names) {
      Check<MetaException>(absl::UnimplementedError(
          "drop_partitions_req by expression is not supported; drop by partition names"));
    }
    const std::string cat = CatalogOr(req.__isset.catName, req.catName);
    QualifiedDb db = Db(req.dbName);
    Table table =
        Unwrap<NoSuchObjectException, MetaException>(catalog_->GetTable(cat, db.db(), req.tblName));
    std::vector<std::vector<std::string>> values;
    for (const std::string& name : req.parts.names) {
      values.push_back(Unwrap<NoSuchObjectException, MetaException>(
          catalog_->PartitionValuesFromName(table, name)));
    }
    const bool if_exists = !req.__isset.ifExists || req.ifExists;
    const bool purge = Purge(EnvironmentOr(req.__isset.environmentContext, req.environmentContext));
    auto dropped = Unwrap<NoSuchObjectException, MetaException>(
        catalog_->DropPartitions(Context(), cat, db.db(), req.tblName, values,
                                 req.__isset.deleteData && req.deleteData, if_exists, purge));
    if (!req.__isset.needResult || req.needResult) _return.__set_partitions(ToWire(dropped));
  });
}

}  // namespace almanac::thrift_server
