#pragma once

// Conversions between the Thrift wire types (generated from thrift/hive_metastore.thrift) and
// the domain model. The only file of the Thrift front end that knows both.

#include <vector>

#include "hive_metastore_types.h"
#include "server/core/catalog_service.h"
#include "storage/model.h"

namespace almanac::thrift_server {

namespace hive = ::Apache::Hadoop::Hive;

Column ToDomain(const hive::FieldSchema& in);
hive::FieldSchema ToWire(const Column& in);
std::vector<Column> ToDomain(const std::vector<hive::FieldSchema>& in);
std::vector<hive::FieldSchema> ToWire(const std::vector<Column>& in);

StorageDescriptor ToDomain(const hive::StorageDescriptor& in);
// A partition's storage descriptor, with what the client left null marked (columns_null,
// serde_null, column_field_null), for the core to apply HMS's rules.
StorageDescriptor PartitionSdToDomain(const hive::StorageDescriptor& in);
hive::StorageDescriptor ToWire(const StorageDescriptor& in);

Catalog ToDomain(const hive::Catalog& in);
hive::Catalog ToWire(const Catalog& in);

Database ToDomain(const hive::Database& in);
hive::Database ToWire(const Database& in);

Table ToDomain(const hive::Table& in);
hive::Table ToWire(const Table& in);
// The create_table options a call carries: its EnvironmentContext (null: none) and the
// "setStatsStateForCreateTable" entry of the table's dictionary (Hive 4 clients).
CreateTableOptions CreateOptions(const hive::Table& table, const hive::EnvironmentContext* context);
hive::TableMeta ToWire(const TableMeta& in);

Partition ToDomain(const hive::Partition& in);
hive::Partition ToWire(const Partition& in);
std::vector<Partition> ToDomain(const std::vector<hive::Partition>& in);
std::vector<hive::Partition> ToWire(const std::vector<Partition>& in);

Function ToDomain(const hive::Function& in);
hive::Function ToWire(const Function& in);

ColumnStatistics ToDomain(const hive::ColumnStatistics& in);
ColumnStatsObj ToDomain(const hive::ColumnStatisticsObj& in);
hive::ColumnStatisticsObj ToWire(const ColumnStatsObj& in);
std::vector<hive::ColumnStatisticsObj> ToWire(const std::vector<ColumnStatsObj>& in);
// The ColumnStatistics of a table (empty `part_name`) or of one partition: a description (with
// the latest lastAnalyzed of `objs`) and `objs`.
hive::ColumnStatistics WireStats(const std::string& cat, const std::string& db,
                                 const std::string& table, const std::string& part_name,
                                 const std::vector<ColumnStatsObj>& objs);

EnvironmentProperties ToDomain(const hive::EnvironmentContext& in);
// The properties of a request's optional EnvironmentContext; none when it is not set.
EnvironmentProperties EnvironmentOr(bool isset, const hive::EnvironmentContext& in);

// Locks and transactions (convert_locks.cc).
LockRequest ToDomain(const hive::LockRequest& in);
hive::LockResponse ToWire(const Lock& in);
// One element per component of each lock, as HMS lists them.
std::vector<hive::ShowLocksResponseElement> ToWire(const std::vector<Lock>& in);
LockFilter ToDomain(const hive::ShowLocksRequest& in);
OpenTxnsRequest ToDomain(const hive::OpenTxnRequest& in);
hive::GetOpenTxnsResponse ToWire(const OpenTxnList& in);

// Partition specs and values (convert_partition_specs.cc). Unset wire fields become nullopt
// where the core tells them from empty ones.
PartitionSpec ToDomain(const hive::PartitionSpec& in);
hive::PartitionSpec ToWire(const PartitionSpec& in);
std::vector<hive::PartitionSpec> ToWire(const std::vector<PartitionSpec>& in);
PartitionValuesQuery ToDomain(const hive::PartitionValuesRequest& in);
hive::PartitionValuesResponse ToWire(const std::vector<std::vector<std::string>>& rows);

// Table constraints (convert_constraints.cc): one struct per column. A struct without a catalog
// converts to an empty one, which the core replaces by the call's default catalog.
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLPrimaryKey>& in);
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLForeignKey>& in);
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLUniqueConstraint>& in);
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLNotNullConstraint>& in);
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLDefaultConstraint>& in);
std::vector<ConstraintColumn> ToDomain(const std::vector<hive::SQLCheckConstraint>& in);
std::vector<hive::SQLPrimaryKey> PrimaryKeysToWire(const std::vector<ConstraintColumn>& in);
std::vector<hive::SQLForeignKey> ForeignKeysToWire(const std::vector<ConstraintColumn>& in);
std::vector<hive::SQLUniqueConstraint> UniqueConstraintsToWire(
    const std::vector<ConstraintColumn>& in);
std::vector<hive::SQLNotNullConstraint> NotNullConstraintsToWire(
    const std::vector<ConstraintColumn>& in);
std::vector<hive::SQLDefaultConstraint> DefaultConstraintsToWire(
    const std::vector<ConstraintColumn>& in);
std::vector<hive::SQLCheckConstraint> CheckConstraintsToWire(
    const std::vector<ConstraintColumn>& in);
// Every list is set, empty ones too, as HMS answers.
hive::SQLAllTableConstraints ToWire(const TableConstraints& in);
// Scheduled queries, runtime statistics and replication metrics
// (convert_scheduled_queries.cc).
ScheduledQuery ToDomain(const hive::ScheduledQuery& in);
hive::ScheduledQuery ToWire(const ScheduledQuery& in);
hive::ScheduledQueryPollResponse ToWire(const std::optional<PolledQuery>& in);
ScheduledQueryProgress ToDomain(const hive::ScheduledQueryProgressInfo& in);
RuntimeStat ToDomain(const hive::RuntimeStat& in);
hive::RuntimeStat ToWire(const RuntimeStat& in);
ReplicationMetrics ToDomain(const hive::ReplicationMetrics& in);
hive::ReplicationMetrics ToWire(const ReplicationMetrics& in);

}  // namespace almanac::thrift_server
