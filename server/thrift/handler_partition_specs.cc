// Partition calls in HMS's compact forms: partition specs (add_partitions_pspec,
// get_partitions_pspec, get_part_specs_by_filter), partition values (get_partition_values), and
// exchanging partitions between tables (exchange_partition, exchange_partitions).

#include <thrift/TApplicationException.h>

#include "server/thrift/convert.h"
#include "server/thrift/errors.h"
#include "server/thrift/handler.h"
#include "server/thrift/wire_names.h"

namespace almanac::thrift_server {
namespace {

using hive::AlreadyExistsException;
using hive::InvalidObjectException;
using hive::MetaException;
using hive::NoSuchObjectException;

PartitionSelector SpecSelector(const std::optional<std::string>& filter, int32_t max_parts) {
  PartitionSelector selector;
  selector.filter = filter;
  selector.max_results = max_parts;
  return selector;
}

TableRef Ref(const std::string& db_name, const std::string& table) {
  QualifiedDb db = Db(db_name);
  return TableRef{db.catalog, db.db(), table};
}

}  // namespace

int32_t MetastoreHandler::add_partitions_pspec(const std::vector<hive::PartitionSpec>& new_parts) {
  return Call("add_partitions_pspec", [&]() -> int32_t {
    std::vector<PartitionSpec> specs;
    specs.reserve(new_parts.size());
    for (const hive::PartitionSpec& spec : new_parts) specs.push_back(ToDomain(spec));
    return static_cast<int32_t>(
        Unwrap<InvalidObjectException, AlreadyExistsException, MetaException>(
            catalog_->AddPartitionSpecs(Context(), std::move(specs))));
  });
}

void MetastoreHandler::get_partitions_pspec(std::vector<hive::PartitionSpec>& _return,
                                            const std::string& db_name, const std::string& tbl_name,
                                            const int32_t max_parts) {
  Call("get_partitions_pspec", [&] {
    // HMS parses a null database name into a MetaException, and dereferences a null table name
    // unchecked: the client receives an application error.
    if (!ArgumentSent(1)) Check<MetaException>(absl::InvalidArgumentError("db_name is null"));
    if (!ArgumentSent(2)) {
      throw apache::thrift::TApplicationException(
          apache::thrift::TApplicationException::INTERNAL_ERROR, "tbl_name is null");
    }
    QualifiedDb db = NamedDb(db_name);
    _return = ToWire(Unwrap<NoSuchObjectException, MetaException>(catalog_->ListPartitionSpecs(
        db.catalog, db.db(), tbl_name, SpecSelector(std::nullopt, max_parts))));
  });
}

void MetastoreHandler::get_part_specs_by_filter(std::vector<hive::PartitionSpec>& _return,
                                                const std::string& db_name,
                                                const std::string& tbl_name,
                                                const std::string& filter,
                                                const int32_t max_parts) {
  Call("get_part_specs_by_filter", [&] {
    if (!ArgumentSent(1) || !ArgumentSent(2)) {
      Check<MetaException>(absl::InvalidArgumentError("db_name and tbl_name must not be null"));
    }
    QualifiedDb db = NamedDb(db_name);
    _return = ToWire(Unwrap<MetaException, NoSuchObjectException>(catalog_->ListPartitionSpecs(
        db.catalog, db.db(), tbl_name, SpecSelector(filter, max_parts))));
  });
}

void MetastoreHandler::get_partition_values(hive::PartitionValuesResponse& _return,
                                            const hive::PartitionValuesRequest& request) {
  Call("get_partition_values", [&] {
    // HMS reports a missing table here as MetaException too.
    _return = ToWire(Unwrap<MetaException>(catalog_->ListPartitionValues(ToDomain(request))));
  });
}

void MetastoreHandler::exchange_partition(hive::ExchangedPartition&,
                                          const std::map<std::string, std::string>& partitionSpecs,
                                          const std::string& source_db,
                                          const std::string& source_table_name,
                                          const std::string& dest_db,
                                          const std::string& dest_table_name) {
  Call("exchange_partition", [&] {
    // HMS answers every failure of an exchange with MetaException.
    Unwrap<MetaException>(catalog_->ExchangePartitions(Context(), partitionSpecs,
                                                       Ref(source_db, source_table_name),
                                                       Ref(dest_db, dest_table_name)));
  });
}

void MetastoreHandler::exchange_partitions(std::vector<hive::Partition>& _return,
                                           const std::map<std::string, std::string>& partitionSpecs,
                                           const std::string& source_db,
                                           const std::string& source_table_name,
                                           const std::string& dest_db,
                                           const std::string& dest_table_name) {
  Call("exchange_partitions", [&] {
    _return = ToWire(Unwrap<MetaException>(
        catalog_->ExchangePartitions(Context(), partitionSpecs, Ref(source_db, source_table_name),
                                     Ref(dest_db, dest_table_name))));
  });
}

}  // namespace almanac::thrift_server
