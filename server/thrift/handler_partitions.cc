// Partition calls: add, append, read, list and names.

#include "absl/strings/match.h"
#include "server/thrift/convert.h"
#include "server/thrift/errors.h"
#include "server/thrift/handler.h"
#include "server/thrift/wire_names.h"
#include "storage/partition_name.h"

namespace almanac::thrift_server {
namespace {

using hive::AlreadyExistsException;
using hive::InvalidObjectException;
using hive::MetaException;
using hive::NoSuchObjectException;

// The table a batch of wire partitions is added to: the first partition's, with its database
// name as sent (the core compares the others' names with it) unless it carries a catalog.
struct Target {
  std::string catalog, db, table;
};

constexpr CatalogService::PartitionNames kAsSent = CatalogService::PartitionNames::kAsSent;

// A partition's database name for the core: as sent, or without its "@cat#" prefix.
std::string WireDbName(const std::string& wire_name) {
  return wire_name.starts_with("@") ? Db(wire_name).db() : wire_name;
}

Target TargetOf(const hive::Partition& first) {
  Target t{CatalogOr(first.__isset.catName, first.catName), WireDbName(first.dbName),
           first.tableName};
  if (!first.__isset.catName && first.dbName.starts_with("@")) t.catalog = Db(first.dbName).catalog;
  return t;
}

std::vector<Partition> PartitionsToDomain(const std::vector<hive::Partition>& wire) {
  std::vector<Partition> parts = ToDomain(wire);
  for (size_t i = 0; i < parts.size(); ++i) parts[i].database = WireDbName(wire[i].dbName);
  return parts;
}

PartitionSelector Limit(int64_t max_parts) {
  PartitionSelector selector;
  selector.max_results = max_parts;
  return selector;
}

PartitionSelector PartialSpec(const std::vector<std::string>& values, int64_t max_parts) {
  PartitionSelector selector = Limit(max_parts);
  selector.partial_values = values;
  return selector;
}

PartitionSelector Filter(const std::string& filter, int64_t max_parts) {
  PartitionSelector selector = Limit(max_parts);
  selector.filter = filter;
  return selector;
}

// The selector of get_partition_names and fetch_partition_names_req, which list nothing for a
// missing table.
PartitionSelector AllNames(int64_t max_parts) {
  PartitionSelector selector = Limit(max_parts);
  selector.missing_table_lists_nothing = true;
  return selector;
}

// HMS dereferences these arguments unchecked: a null one (left out by a Java client) fails the
// call with MetaException.
void RequireSent(bool sent, const char* argument) {
  if (!sent) Check<MetaException>(absl::InvalidArgumentError(absl::StrCat(argument, " is null")));
}

// Almanac records no grants. For a table with PARTITION_LEVEL_PRIVILEGE=true, HMS's *_with_auth
// calls return each partition with the caller's privileges: here empty lists for the user (if
// given), each group, and the public role every user holds.
void AddCallerPrivileges(const Table& table, const std::string* user,
                         const std::vector<std::string>& groups,
                         std::vector<hive::Partition>& parts) {
  auto level = table.parameters.find("PARTITION_LEVEL_PRIVILEGE");
  if (level == table.parameters.end() || !absl::EqualsIgnoreCase(level->second, "true")) return;
  hive::PrincipalPrivilegeSet privileges;
  if (user != nullptr) privileges.userPrivileges[*user] = {};
  for (const std::string& group : groups) privileges.groupPrivileges[group] = {};
  privileges.rolePrivileges["public"] = {};
  for (hive::Partition& part : parts) part.__set_privileges(privileges);
}

}  // namespace

void MetastoreHandler::add_partition(hive::Partition& _return, const hive::Partition& new_part) {
  Call("add_partition", [&] {
    Target t = TargetOf(new_part);
    auto added = Unwrap<InvalidObjectException, AlreadyExistsException, MetaException>(
        catalog_->AddPartitions(Context(), t.catalog, t.db, t.table, PartitionsToDomain({new_part}),
                                false, {}, kAsSent));
    _return = ToWire(added.at(0));
  });
}

void MetastoreHandler::add_partition_with_environment_context(
    hive::Partition& _return, const hive::Partition& new_part,
    const hive::EnvironmentContext& environment_context) {
  Call("add_partition_with_environment_context", [&] {
    Target t = TargetOf(new_part);
    auto added = Unwrap<InvalidObjectException, AlreadyExistsException, MetaException>(
        catalog_->AddPartitions(Context(), t.catalog, t.db, t.table, PartitionsToDomain({new_part}),
                                false, ToDomain(environment_context), kAsSent));
    _return = ToWire(added.at(0));
  });
}

int32_t MetastoreHandler::add_partitions(const std::vector<hive::Partition>& new_parts) {
  return Call("add_partitions", [&]() -> int32_t {
    if (new_parts.empty()) return 0;
    Target t = TargetOf(new_parts.front());
    auto added = Unwrap<InvalidObjectException, AlreadyExistsException, MetaException>(
        catalog_->AddPartitions(Context(), t.catalog, t.db, t.table, PartitionsToDomain(new_parts),
                                false, {}, kAsSent));
    return static_cast<int32_t>(added.size());
  });
}

void MetastoreHandler::add_partitions_req(hive::AddPartitionsResult& _return,
                                          const hive::AddPartitionsRequest& request) {
  Call("add_partitions_req", [&] {
    std::vector<Partition> parts = PartitionsToDomain(request.parts);
    auto added = Unwrap<InvalidObjectException, AlreadyExistsException, MetaException>(
        catalog_->AddPartitions(
            Context(), CatalogOr(request.__isset.catName, request.catName),
            WireDbName(request.dbName), request.tblName, std::move(parts), request.ifNotExists,
            EnvironmentOr(request.__isset.environmentContext, request.environmentContext),
            kAsSent));
    if (!request.__isset.needResult || request.needResult) _return.__set_partitions(ToWire(added));
  });
}

void MetastoreHandler::append_partition(hive::Partition& _return, const std::string& db_name,
                                        const std::string& tbl_name,
                                        const std::vector<std::string>& part_vals) {
  Call("append_partition", [&] {
    QualifiedDb db = Db(db_name);
    _return = ToWire(Unwrap<InvalidObjectException, AlreadyExistsException, MetaException>(
        catalog_->AppendPartition(Context(), db.catalog, db.db(), tbl_name, part_vals)));
  });
}

void MetastoreHandler::append_partition_with_environment_context(
    hive::Partition& _return, const std::string& db_name, const std::string& tbl_name,
    const std::vector<std::string>& part_vals,
    const hive::EnvironmentContext& environment_context) {
  Call("append_partition_with_environment_context", [&] {
    QualifiedDb db = Db(db_name);
    _return = ToWire(Unwrap<InvalidObjectException, AlreadyExistsException, MetaException>(
        catalog_->AppendPartition(Context(), db.catalog, db.db(), tbl_name, part_vals,
                                  ToDomain(environment_context))));
  });
}

// Appends by values, or by name when only a name is given.
static Partition AppendByNameOrValues(CatalogService* catalog, const RequestContext& ctx,
                                      const std::string& cat, const std::string& db,
                                      const std::string& table,
                                      const std::optional<std::string>& name,
                                      const std::vector<std::string>& values,
                                      const EnvironmentProperties& environment) {
  return Unwrap<InvalidObjectException, AlreadyExistsException, MetaException>(
      name ? catalog->AppendPartitionByName(ctx, cat, db, table, *name, environment)
           : catalog->AppendPartition(ctx, cat, db, table, values, environment));
}

void MetastoreHandler::append_partition_req(hive::Partition& _return,
                                            const hive::AppendPartitionsRequest& req) {
  Call("append_partition_req", [&] {
    std::optional<std::string> name;
    if (req.__isset.name && !req.__isset.partVals) name = req.name;
    _return = ToWire(AppendByNameOrValues(
        catalog_, Context(), CatalogOr(req.__isset.catalogName, req.catalogName), req.dbName,
        req.tableName, name, req.partVals,
        EnvironmentOr(req.__isset.environmentContext, req.environmentContext)));
  });
}

void MetastoreHandler::append_partition_by_name(hive::Partition& _return,
                                                const std::string& db_name,
                                                const std::string& tbl_name,
                                                const std::string& part_name) {
  Call("append_partition_by_name", [&] {
    QualifiedDb db = Db(db_name);
    _return = ToWire(AppendByNameOrValues(catalog_, Context(), db.catalog, db.db(), tbl_name,
                                          part_name, {}, {}));
  });
}

void MetastoreHandler::append_partition_by_name_with_environment_context(
    hive::Partition& _return, const std::string& db_name, const std::string& tbl_name,
    const std::string& part_name, const hive::EnvironmentContext& environment_context) {
  Call("append_partition_by_name_with_environment_context", [&] {
    QualifiedDb db = Db(db_name);
    _return = ToWire(AppendByNameOrValues(catalog_, Context(), db.catalog, db.db(), tbl_name,
                                          part_name, {}, ToDomain(environment_context)));
  });
}

void MetastoreHandler::get_partition(hive::Partition& _return, const std::string& db_name,
                                     const std::string& tbl_name,
                                     const std::vector<std::string>& part_vals) {
  Call("get_partition", [&] {
    QualifiedDb db = Db(db_name);
    _return = ToWire(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->GetPartition(db.catalog, db.db(), tbl_name, part_vals)));
  });
}

void MetastoreHandler::get_partition_req(hive::GetPartitionResponse& _return,
                                         const hive::GetPartitionRequest& req) {
  Call("get_partition_req", [&] {
    _return.__set_partition(
        ToWire(Unwrap<MetaException, NoSuchObjectException>(catalog_->GetPartition(
            CatalogOr(req.__isset.catName, req.catName), req.dbName, req.tblName, req.partVals))));
  });
}

void MetastoreHandler::get_partition_with_auth(hive::Partition& _return, const std::string& db_name,
                                               const std::string& tbl_name,
                                               const std::vector<std::string>& part_vals,
                                               const std::string& user_name,
                                               const std::vector<std::string>& group_names) {
  Call("get_partition_with_auth", [&] {
    QualifiedDb db = NamedDb(db_name);
    RequireSent(ArgumentSent(2), "tbl_name");
    std::vector<hive::Partition> part{ToWire(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->GetPartition(db.catalog, db.db(), tbl_name, part_vals)))};
    const Table table = Unwrap<MetaException, NoSuchObjectException>(
        catalog_->GetTable(db.catalog, db.db(), tbl_name));
    AddCallerPrivileges(table, ArgumentSent(4) ? &user_name : nullptr, group_names, part);
    _return = std::move(part[0]);
  });
}

void MetastoreHandler::get_partition_by_name(hive::Partition& _return, const std::string& db_name,
                                             const std::string& tbl_name,
                                             const std::string& part_name) {
  Call("get_partition_by_name", [&] {
    QualifiedDb db = NamedDb(db_name);
    RequireSent(ArgumentSent(2), "tbl_name");
    _return = ToWire(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->GetPartitionByName(db.catalog, db.db(), tbl_name, part_name)));
  });
}

void MetastoreHandler::get_partitions(std::vector<hive::Partition>& _return,
                                      const std::string& db_name, const std::string& tbl_name,
                                      const int16_t max_parts) {
  Call("get_partitions", [&] {
    QualifiedDb db = Db(db_name);
    _return = ToWire(Unwrap<NoSuchObjectException, MetaException>(
        catalog_->ListPartitions(db.catalog, db.db(), tbl_name, Limit(max_parts))));
  });
}

void MetastoreHandler::get_partitions_req(hive::PartitionsResponse& _return,
                                          const hive::PartitionsRequest& req) {
  Call("get_partitions_req", [&] {
    _return.__set_partitions(ToWire(Unwrap<NoSuchObjectException, MetaException>(
        catalog_->ListPartitions(CatalogOr(req.__isset.catName, req.catName), req.dbName,
                                 req.tblName, Limit(req.maxParts)))));
  });
}

void MetastoreHandler::get_partitions_with_auth(std::vector<hive::Partition>& _return,
                                                const std::string& db_name,
                                                const std::string& tbl_name,
                                                const int16_t max_parts,
                                                const std::string& user_name,
                                                const std::vector<std::string>& group_names) {
  Call("get_partitions_with_auth", [&] {
    QualifiedDb db = Db(db_name);
    Table table;
    _return = ToWire(Unwrap<NoSuchObjectException, MetaException>(
        catalog_->ListPartitions(db.catalog, db.db(), tbl_name, Limit(max_parts), &table)));
    AddCallerPrivileges(table, ArgumentSent(4) ? &user_name : nullptr, group_names, _return);
  });
}

void MetastoreHandler::get_partitions_ps(std::vector<hive::Partition>& _return,
                                         const std::string& db_name, const std::string& tbl_name,
                                         const std::vector<std::string>& part_vals,
                                         const int16_t max_parts) {
  Call("get_partitions_ps", [&] {
    QualifiedDb db = Db(db_name);
    _return = ToWire(Unwrap<MetaException, NoSuchObjectException>(catalog_->ListPartitions(
        db.catalog, db.db(), tbl_name, PartialSpec(part_vals, max_parts))));
  });
}

void MetastoreHandler::get_partitions_ps_with_auth(
    std::vector<hive::Partition>& _return, const std::string& db_name, const std::string& tbl_name,
    const std::vector<std::string>& part_vals, const int16_t max_parts,
    const std::string& user_name, const std::vector<std::string>& group_names) {
  Call("get_partitions_ps_with_auth", [&] {
    QualifiedDb db = Db(db_name);
    Table table;
    _return = ToWire(Unwrap<NoSuchObjectException, MetaException>(catalog_->ListPartitions(
        db.catalog, db.db(), tbl_name, PartialSpec(part_vals, max_parts), &table)));
    AddCallerPrivileges(table, ArgumentSent(5) ? &user_name : nullptr, group_names, _return);
  });
}

void MetastoreHandler::get_partitions_ps_with_auth_req(
    hive::GetPartitionsPsWithAuthResponse& _return,
    const hive::GetPartitionsPsWithAuthRequest& req) {
  Call("get_partitions_ps_with_auth_req", [&] {
    PartitionSelector selector = Limit(req.maxParts);
    if (req.__isset.partVals) selector.partial_values = req.partVals;
    if (req.__isset.partNames) selector.names = req.partNames;
    Table table;
    std::vector<hive::Partition> parts = ToWire(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->ListPartitions(CatalogOr(req.__isset.catName, req.catName), req.dbName,
                                 req.tblName, selector, &table)));
    AddCallerPrivileges(table, req.__isset.userName ? &req.userName : nullptr, req.groupNames,
                        parts);
    _return.__set_partitions(std::move(parts));
  });
}

void MetastoreHandler::get_partition_names(std::vector<std::string>& _return,
                                           const std::string& db_name, const std::string& tbl_name,
                                           const int16_t max_parts) {
  Call("get_partition_names", [&] {
    QualifiedDb db = Db(db_name);
    _return = Unwrap<NoSuchObjectException, MetaException>(
        catalog_->ListPartitionNames(db.catalog, db.db(), tbl_name, AllNames(max_parts)));
  });
}

void MetastoreHandler::get_partition_names_ps(std::vector<std::string>& _return,
                                              const std::string& db_name,
                                              const std::string& tbl_name,
                                              const std::vector<std::string>& part_vals,
                                              const int16_t max_parts) {
  Call("get_partition_names_ps", [&] {
    QualifiedDb db = Db(db_name);
    _return = Unwrap<MetaException, NoSuchObjectException>(catalog_->ListPartitionNames(
        db.catalog, db.db(), tbl_name, PartialSpec(part_vals, max_parts)));
  });
}

void MetastoreHandler::get_partition_names_ps_req(hive::GetPartitionNamesPsResponse& _return,
                                                  const hive::GetPartitionNamesPsRequest& req) {
  Call("get_partition_names_ps_req", [&] {
    RequireSent(req.__isset.partValues, "partValues");
    PartitionSelector selector = PartialSpec(req.partValues, req.maxParts);
    _return.__set_names(Unwrap<MetaException, NoSuchObjectException>(catalog_->ListPartitionNames(
        CatalogOr(req.__isset.catName, req.catName), req.dbName, req.tblName, selector)));
  });
}

void MetastoreHandler::fetch_partition_names_req(std::vector<std::string>& _return,
                                                 const hive::PartitionsRequest& req) {
  Call("fetch_partition_names_req", [&] {
    _return = Unwrap<NoSuchObjectException, MetaException>(
        catalog_->ListPartitionNames(CatalogOr(req.__isset.catName, req.catName), req.dbName,
                                     req.tblName, AllNames(req.maxParts)));
  });
}

void MetastoreHandler::get_partitions_by_names(std::vector<hive::Partition>& _return,
                                               const std::string& db_name,
                                               const std::string& tbl_name,
                                               const std::vector<std::string>& names) {
  Call("get_partitions_by_names", [&] {
    QualifiedDb db = Db(db_name);
    PartitionSelector selector;
    selector.names = names;
    _return = ToWire(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->ListPartitions(db.catalog, db.db(), tbl_name, selector)));
  });
}

void MetastoreHandler::get_partitions_by_names_req(hive::GetPartitionsByNamesResult& _return,
                                                   const hive::GetPartitionsByNamesRequest& req) {
  Call("get_partitions_by_names_req", [&] {
    RequireSent(req.__isset.names, "names");
    QualifiedDb db = Db(req.db_name);
    PartitionSelector selector;
    selector.names = req.names;
    _return.__set_partitions(ToWire(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->ListPartitions(db.catalog, db.db(), req.tbl_name, selector))));
  });
}

void MetastoreHandler::get_partitions_by_filter(std::vector<hive::Partition>& _return,
                                                const std::string& db_name,
                                                const std::string& tbl_name,
                                                const std::string& filter,
                                                const int16_t max_parts) {
  Call("get_partitions_by_filter", [&] {
    QualifiedDb db = Db(db_name);
    _return = ToWire(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->ListPartitions(db.catalog, db.db(), tbl_name, Filter(filter, max_parts))));
  });
}

void MetastoreHandler::get_partitions_by_filter_req(std::vector<hive::Partition>& _return,
                                                    const hive::GetPartitionsByFilterRequest& req) {
  Call("get_partitions_by_filter_req", [&] {
    RequireSent(req.__isset.dbName, "dbName");
    RequireSent(req.__isset.tblName, "tblName");
    _return = ToWire(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->ListPartitions(CatalogOr(req.__isset.catName, req.catName), req.dbName,
                                 req.tblName, Filter(req.filter, req.maxParts))));
  });
}

int32_t MetastoreHandler::get_num_partitions_by_filter(const std::string& db_name,
                                                       const std::string& tbl_name,
                                                       const std::string& filter) {
  return Call("get_num_partitions_by_filter", [&] {
    QualifiedDb db = NamedDb(db_name);
    RequireSent(ArgumentSent(2), "tbl_name");
    return static_cast<int32_t>(Unwrap<MetaException, NoSuchObjectException>(
        catalog_->CountPartitions(db.catalog, db.db(), tbl_name, Filter(filter, -1))));
  });
}

void MetastoreHandler::partition_name_to_vals(std::vector<std::string>& _return,
                                              const std::string& part_name) {
  Call("partition_name_to_vals", [&] {
    auto pairs = Unwrap<MetaException>(ParsePartitionName(part_name));
    _return.clear();
    for (auto& [key, value] : pairs) _return.push_back(value);
  });
}

void MetastoreHandler::partition_name_to_spec(std::map<std::string, std::string>& _return,
                                              const std::string& part_name) {
  Call("partition_name_to_spec", [&] {
    auto pairs = Unwrap<MetaException>(ParsePartitionName(part_name));
    _return.clear();
    for (auto& [key, value] : pairs) _return[key] = value;
  });
}

}  // namespace almanac::thrift_server
