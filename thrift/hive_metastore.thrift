// Almanac: Thrift interface of the metastore server.
//
// Wire-compatible with Hive Metastore (service ThriftHiveMetastore). Only the
// part of the API that Almanac serves is declared; a call to any other method
// is answered with TApplicationException UNKNOWN_METHOD by the generated code.
//
// Rules for editing this file
//  * Field ids, field types, argument ids/types and exception ids are the wire
//    contract. Never renumber, retype or reuse them. Names are kept identical
//    too, because generated APIs and non-binary protocols depend on them.
//  * Every struct carries all fields a Hive 4 client may send or expect, so
//    nothing a client writes is silently dropped on a read/modify/write cycle.
//  * No field is `required`. Fields that Hive declares `required` appear here
//    with default requiredness and the marker `// hive:required`: readers then
//    accept older clients that omit them, and the generated writers still
//    always emit them (Hive's readers reject replies that lack them).
//  * `optional` fields and their default values follow Hive exactly, with one
//    exception marked `// hive:default`: a field Hive declares with default
//    requiredness but leaves null in some replies, where clients tell null from
//    empty. Java omits a null field; the generated C++ writer always emits a
//    default-requiredness one, so such a field is `optional` here and is set
//    only when it has a value.
//  * Hive's `byte` is spelled `i8` (same wire type).

include "fb303.thrift"

namespace cpp Apache.Hadoop.Hive
namespace py almanac_thrift.hive_metastore

// ===========================================================================
// Constants
// ===========================================================================

// Table/partition parameter holding the last DDL time (seconds).
const string DDL_TIME = "transient_lastDdlTime"

// Keys usable in get_table_names_by_filter filter strings.
const string HIVE_FILTER_FIELD_OWNER = "hive_filter_field_owner__"
const string HIVE_FILTER_FIELD_PARAMS = "hive_filter_field_params__"
const string HIVE_FILTER_FIELD_LAST_ACCESS = "hive_filter_field_last_access__"
const string HIVE_FILTER_FIELD_TABLE_NAME = "hive_filter_field_tableName__"
const string HIVE_FILTER_FIELD_TABLE_TYPE = "hive_filter_field_tableType__"

// Well-known table parameter keys.
const string TABLE_IS_TRANSACTIONAL = "transactional"
const string TABLE_TRANSACTIONAL_PROPERTIES = "transactional_properties"
const string META_TABLE_STORAGE = "storage_handler"

// EnvironmentContext property keys.
const string IF_PURGE = "ifPurge"
const string TXN_ID = "txnId"
const string WRITE_ID = "writeId"
// Optimistic concurrency on alter: the stored parameter named by KEY must
// currently equal VALUE, otherwise the alter fails.
const string EXPECTED_PARAMETER_KEY = "expected_parameter_key"
const string EXPECTED_PARAMETER_VALUE = "expected_parameter_value"

// Values of Table.accessType (bit flags).
const i8 ACCESSTYPE_NONE = 1
const i8 ACCESSTYPE_READONLY = 2
const i8 ACCESSTYPE_WRITEONLY = 4
const i8 ACCESSTYPE_READWRITE = 8

// ===========================================================================
// Enums
// ===========================================================================

enum PrincipalType {
  USER = 1,
  ROLE = 2,
  GROUP = 3,
}

enum DatabaseType {
  NATIVE = 1,
  REMOTE = 2,
}

enum SerdeType {
  HIVE = 1,
  SCHEMA_REGISTRY = 2,
}

enum ClientCapability {
  TEST_CAPABILITY = 1,
  INSERT_ONLY_TABLES = 2,
}

enum FunctionType {
  JAVA = 1,
}

enum ResourceType {
  JAR = 1,
  FILE = 2,
  ARCHIVE = 3,
}

enum TxnType {
  DEFAULT = 0,
  REPL_CREATED = 1,
  READ_ONLY = 2,
  COMPACTION = 3,
  MATER_VIEW_REBUILD = 4,
  SOFT_DELETE = 5,
  REBALANCE_COMPACTION = 6,
}

enum LockLevel {
  DB = 1,
  TABLE = 2,
  PARTITION = 3,
}

enum LockState {
  ACQUIRED = 1,
  WAITING = 2,       // caller should poll with check_lock
  ABORT = 3,
  NOT_ACQUIRED = 4,  // only for no-wait requests
}

enum LockType {
  SHARED_READ = 1,
  SHARED_WRITE = 2,
  EXCLUSIVE = 3,
  EXCL_WRITE = 4,
}

enum DataOperationType {
  SELECT = 1,
  INSERT = 2,
  UPDATE = 3,
  DELETE = 4,
  UNSET = 5,   // sent by clients that do not set the field
  NO_TXN = 6,  // non-transactional write (drop, insert overwrite, ...)
}

// ===========================================================================
// Exceptions (each carries a single human-readable message)
// ===========================================================================

exception MetaException {
  1: string message
}

exception NoSuchObjectException {
  1: string message
}

exception AlreadyExistsException {
  1: string message
}

exception InvalidObjectException {
  1: string message
}

exception InvalidOperationException {
  1: string message
}

exception InvalidInputException {
  1: string message
}

exception UnknownDBException {
  1: string message
}

exception UnknownTableException {
  1: string message
}

exception ConfigValSecurityException {
  1: string message
}

exception NoSuchTxnException {
  1: string message
}

exception TxnAbortedException {
  1: string message
}

exception TxnOpenException {
  1: string message
}

exception NoSuchLockException {
  1: string message
}

// ===========================================================================
// Shared building blocks
// ===========================================================================

// One column: name, type string (e.g. "int", "map<string,int>") and comment.
struct FieldSchema {
  1: string name,
  2: string type,
  3: optional string comment,      // hive:default (null when there is none)
}

// Free-form key/value properties passed along with DDL calls.
struct EnvironmentContext {
  1: map<string, string> properties,
}

// Sort column; order is 1 for ascending, 0 for descending.
struct Order {
  1: string col,
  2: i32 order,
}

struct SkewedInfo {
  1: list<string> skewedColNames,
  2: list<list<string>> skewedColValues,
  3: map<list<string>, string> skewedColValueLocationMaps,
}

struct SerDeInfo {
  1: optional string name,         // hive:default (null unless the client named it)
  2: string serializationLib,
  3: map<string, string> parameters,
  4: optional string description,
  5: optional string serializerClass,
  6: optional string deserializerClass,
  7: optional SerdeType serdeType,
}

// Physical layout of a table's or a partition's data.
struct StorageDescriptor {
  1: optional list<FieldSchema> cols,  // hive:default (a partition added without columns)
  2: optional string location,     // hive:default (a view has none)
  3: string inputFormat,
  4: string outputFormat,
  5: bool compressed,
  6: i32 numBuckets,
  7: SerDeInfo serdeInfo,
  8: list<string> bucketCols,
  9: list<Order> sortCols,
  10: map<string, string> parameters,
  11: optional SkewedInfo skewedInfo,
  12: optional bool storedAsSubDirectories,
}

struct PrivilegeGrantInfo {
  1: string privilege,
  2: i32 createTime,
  3: string grantor,
  4: PrincipalType grantorType,
  5: bool grantOption,
}

// Privileges keyed by user, group and role name.
struct PrincipalPrivilegeSet {
  1: map<string, list<PrivilegeGrantInfo>> userPrivileges,
  2: map<string, list<PrivilegeGrantInfo>> groupPrivileges,
  3: map<string, list<PrivilegeGrantInfo>> rolePrivileges,
}

// ===========================================================================
// Catalogs
// ===========================================================================

struct Catalog {
  1: string name,
  2: optional string description,
  3: string locationUri,           // default root for new databases
  4: optional i32 createTime,      // seconds since epoch
}

struct CreateCatalogRequest {
  1: Catalog catalog,
}

// `name` is the catalog to change; newCat carries its new description and location (blank
// fields are kept). Renaming a catalog is refused.
struct AlterCatalogRequest {
  1: string name,
  2: Catalog newCat,
}

struct GetCatalogRequest {
  1: string name,
}

struct GetCatalogResponse {
  1: Catalog catalog,
}

struct GetCatalogsResponse {
  1: list<string> names,
}

struct DropCatalogRequest {
  1: string name,
}

// ===========================================================================
// Databases
// ===========================================================================

struct Database {
  1: string name,
  2: optional string description,  // hive:default (null when none was given)
  3: string locationUri,
  4: map<string, string> parameters,
  5: optional PrincipalPrivilegeSet privileges,
  6: optional string ownerName,
  7: optional PrincipalType ownerType,
  8: optional string catalogName,
  9: optional i32 createTime,            // seconds since epoch
  10: optional string managedLocationUri,
  11: optional DatabaseType type,
  12: optional string connector_name,
  13: optional string remote_dbname,
}

struct GetDatabaseRequest {
  1: optional string name,
  2: optional string catalogName,
  3: optional list<string> processorCapabilities,
  4: optional string processorIdentifier,
}

// Hive 4's HiveMetaStoreClient.createDatabase sends this instead of create_database.
struct CreateDatabaseRequest {
  1: string databaseName,                // hive:required
  2: optional string description,
  3: optional string locationUri,
  4: optional map<string, string> parameters,
  5: optional PrincipalPrivilegeSet privileges,
  6: optional string ownerName,
  7: optional PrincipalType ownerType,
  8: optional string catalogName,
  9: optional i32 createTime,
  10: optional string managedLocationUri,
  11: optional DatabaseType type,
  12: optional string dataConnectorName,
  13: optional string remote_dbname,
}

// Hive 4's HiveMetaStoreClient.alterDatabase sends this instead of alter_database; oldDbName is
// catalog-qualified ("@hive#db").
struct AlterDatabaseRequest {
  1: string oldDbName,                   // hive:required
  2: Database newDb,                     // hive:required
}

struct DropDatabaseRequest {
  1: string name,                        // hive:required
  2: optional string catalogName,
  3: bool ignoreUnknownDb,               // hive:required
  4: bool deleteData,                    // hive:required
  5: bool cascade,                       // hive:required
  6: optional bool softDelete = false,
  7: optional i64 txnId = 0,
  8: optional bool deleteManagedDir = true,
}

// ===========================================================================
// Column statistics
// ===========================================================================

struct BooleanColumnStatsData {
  1: i64 numTrues,                       // hive:required
  2: i64 numFalses,                      // hive:required
  3: i64 numNulls,                       // hive:required
  4: optional binary bitVectors,
}

struct LongColumnStatsData {
  1: optional i64 lowValue,
  2: optional i64 highValue,
  3: i64 numNulls,                       // hive:required
  4: i64 numDVs,                         // hive:required
  5: optional binary bitVectors,
  6: optional binary histogram,
}

struct DoubleColumnStatsData {
  1: optional double lowValue,
  2: optional double highValue,
  3: i64 numNulls,                       // hive:required
  4: i64 numDVs,                         // hive:required
  5: optional binary bitVectors,
  6: optional binary histogram,
}

struct StringColumnStatsData {
  1: i64 maxColLen,                      // hive:required
  2: double avgColLen,                   // hive:required
  3: i64 numNulls,                       // hive:required
  4: i64 numDVs,                         // hive:required
  5: optional binary bitVectors,
}

struct BinaryColumnStatsData {
  1: i64 maxColLen,                      // hive:required
  2: double avgColLen,                   // hive:required
  3: i64 numNulls,                       // hive:required
  4: optional binary bitVectors,
}

// Unscaled big-endian two's-complement value plus scale. Field 3 is
// declared (and therefore written) before field 1, as Hive does.
struct Decimal {
  3: i16 scale,                          // hive:required
  1: binary unscaled,                    // hive:required
}

struct DecimalColumnStatsData {
  1: optional Decimal lowValue,
  2: optional Decimal highValue,
  3: i64 numNulls,                       // hive:required
  4: i64 numDVs,                         // hive:required
  5: optional binary bitVectors,
  6: optional binary histogram,
}

struct Date {
  1: i64 daysSinceEpoch,                 // hive:required
}

struct DateColumnStatsData {
  1: optional Date lowValue,
  2: optional Date highValue,
  3: i64 numNulls,                       // hive:required
  4: i64 numDVs,                         // hive:required
  5: optional binary bitVectors,
  6: optional binary histogram,
}

struct Timestamp {
  1: i64 secondsSinceEpoch,              // hive:required
}

struct TimestampColumnStatsData {
  1: optional Timestamp lowValue,
  2: optional Timestamp highValue,
  3: i64 numNulls,                       // hive:required
  4: i64 numDVs,                         // hive:required
  5: optional binary bitVectors,
  6: optional binary histogram,
}

// Exactly one member is set, chosen by the column's type.
union ColumnStatisticsData {
  1: BooleanColumnStatsData booleanStats,
  2: LongColumnStatsData longStats,
  3: DoubleColumnStatsData doubleStats,
  4: StringColumnStatsData stringStats,
  5: BinaryColumnStatsData binaryStats,
  6: DecimalColumnStatsData decimalStats,
  7: DateColumnStatsData dateStats,
  8: TimestampColumnStatsData timestampStats,
}

struct ColumnStatisticsObj {
  1: string colName,                     // hive:required
  2: string colType,                     // hive:required
  3: ColumnStatisticsData statsData,     // hive:required
}

// Which table (or partition, when isTblLevel is false) the stats belong to.
struct ColumnStatisticsDesc {
  1: bool isTblLevel,                    // hive:required
  2: string dbName,                      // hive:required
  3: string tableName,                   // hive:required
  4: optional string partName,
  5: optional i64 lastAnalyzed,
  6: optional string catName,
}

struct ColumnStatistics {
  1: ColumnStatisticsDesc statsDesc,     // hive:required
  2: list<ColumnStatisticsObj> statsObj, // hive:required
  3: optional bool isStatsCompliant,
  4: optional string engine = "hive",
}

struct AggrStats {
  1: list<ColumnStatisticsObj> colStats, // hive:required
  2: i64 partsFound,                     // hive:required
  3: optional bool isStatsCompliant,
}

struct SetPartitionsStatsRequest {
  1: list<ColumnStatistics> colStats,    // hive:required
  2: optional bool needMerge,
  3: optional i64 writeId = -1,
  4: optional string validWriteIdList,
  5: optional string engine = "hive",
}

struct SetPartitionsStatsResponse {
  1: bool result,                        // hive:required
}

struct TableStatsRequest {
  1: string dbName,                      // hive:required
  2: string tblName,                     // hive:required
  3: list<string> colNames,              // hive:required
  4: optional string catName,
  5: optional string validWriteIdList,
  6: optional string engine = "hive",
  7: optional i64 id = -1,               // table id
}

struct TableStatsResult {
  1: list<ColumnStatisticsObj> tableStats, // hive:required
  2: optional bool isStatsCompliant,
}

struct PartitionsStatsRequest {
  1: string dbName,                      // hive:required
  2: string tblName,                     // hive:required
  3: list<string> colNames,              // hive:required
  4: list<string> partNames,             // hive:required
  5: optional string catName,
  6: optional string validWriteIdList,
  7: optional string engine = "hive",
}

struct PartitionsStatsResult {
  1: map<string, list<ColumnStatisticsObj>> partStats, // hive:required
  2: optional bool isStatsCompliant,
}

// ===========================================================================
// Tables
// ===========================================================================

// Opaque per-file metadata blobs for execution engines (type 1 = Impala).
struct FileMetadata {
  1: i8 type = 1,
  2: i8 version = 1,
  3: list<binary> data,
}

// Shared objects referenced by index from other fields of a reply.
struct ObjectDictionary {
  1: map<string, list<binary>> values,   // hive:required
}

// Materialized-view bookkeeping. Declared before Table (which embeds it);
// SourceTable, which embeds a Table, follows Table.
struct CreationMetadata {
  1: string catName,                     // hive:required
  2: string dbName,                      // hive:required
  3: string tblName,                     // hive:required
  4: set<string> tablesUsed,             // hive:required
  5: optional string validTxnList,
  6: optional i64 materializationTime,
  7: optional list<SourceTable> sourceTables,
}

struct Table {
  1: string tableName,
  2: string dbName,
  3: optional string owner,              // Hive: default requiredness; absent when null
  4: i32 createTime,                     // seconds since epoch
  5: i32 lastAccessTime,
  6: i32 retention,
  7: StorageDescriptor sd,
  8: list<FieldSchema> partitionKeys,
  9: map<string, string> parameters,
  10: optional string viewOriginalText,  // views only (Hive: default requiredness)
  11: optional string viewExpandedText,  // views only (Hive: default requiredness)
  12: string tableType,                  // MANAGED_TABLE, EXTERNAL_TABLE, VIRTUAL_VIEW, ...
  13: optional PrincipalPrivilegeSet privileges,
  14: optional bool temporary = false,
  15: optional bool rewriteEnabled,
  16: optional CreationMetadata creationMetadata,
  17: optional string catName,
  18: optional PrincipalType ownerType = PrincipalType.USER,
  19: optional i64 writeId = -1,
  20: optional bool isStatsCompliant,
  21: optional ColumnStatistics colStats,
  22: optional i8 accessType,            // ACCESSTYPE_* flags
  23: optional list<string> requiredReadCapabilities,
  24: optional list<string> requiredWriteCapabilities,
  25: optional i64 id,                   // server-assigned; ignored on input
  26: optional FileMetadata fileMetadata,
  27: optional ObjectDictionary dictionary,
  28: optional i64 txnId,
}

struct SourceTable {
  1: Table table,                        // hive:required
  2: i64 insertedCount,                  // hive:required
  3: i64 updatedCount,                   // hive:required
  4: i64 deletedCount,                   // hive:required
}

// Lightweight listing entry returned by get_table_meta.
struct TableMeta {
  1: string dbName,                      // hive:required
  2: string tableName,                   // hive:required
  3: string tableType,                   // hive:required
  4: optional string comments,
  5: optional string catName,
  6: optional string ownerName,
  7: optional PrincipalType ownerType,
}

// --- Constraints ---
// One struct per column of a constraint: a key over two columns is two structs sharing a name,
// ordered by key_seq. enable/validate/rely are the constraint's ENABLE, VALIDATE and RELY flags.

struct SQLPrimaryKey {
  1: string table_db,
  2: string table_name,
  3: string column_name,
  4: i32 key_seq,
  5: string pk_name,
  6: bool enable_cstr,
  7: bool validate_cstr,
  8: bool rely_cstr,
  9: optional string catName,
}

struct SQLForeignKey {
  1: string pktable_db,
  2: string pktable_name,
  3: string pkcolumn_name,
  4: string fktable_db,
  5: string fktable_name,
  6: string fkcolumn_name,
  7: i32 key_seq,
  8: i32 update_rule,
  9: i32 delete_rule,
  10: string fk_name,
  11: string pk_name,
  12: bool enable_cstr,
  13: bool validate_cstr,
  14: bool rely_cstr,
  15: optional string catName,
}

struct SQLUniqueConstraint {
  1: string catName,
  2: string table_db,
  3: string table_name,
  4: string column_name,
  5: i32 key_seq,
  6: string uk_name,
  7: bool enable_cstr,
  8: bool validate_cstr,
  9: bool rely_cstr,
}

struct SQLNotNullConstraint {
  1: string catName,
  2: string table_db,
  3: string table_name,
  4: string column_name,
  5: string nn_name,
  6: bool enable_cstr,
  7: bool validate_cstr,
  8: bool rely_cstr,
}

struct SQLDefaultConstraint {
  1: string catName,
  2: string table_db,
  3: string table_name,
  4: string column_name,
  5: string default_value,
  6: string dc_name,
  7: bool enable_cstr,
  8: bool validate_cstr,
  9: bool rely_cstr,
}

struct SQLCheckConstraint {
  1: string catName,
  2: string table_db,
  3: string table_name,
  4: string column_name,
  5: string check_expression,
  6: string dc_name,
  7: bool enable_cstr,
  8: bool validate_cstr,
  9: bool rely_cstr,
}

// Every constraint of one table, by kind (get_all_table_constraints).
struct SQLAllTableConstraints {
  1: optional list<SQLPrimaryKey> primaryKeys,
  2: optional list<SQLForeignKey> foreignKeys,
  3: optional list<SQLUniqueConstraint> uniqueConstraints,
  4: optional list<SQLNotNullConstraint> notNullConstraints,
  5: optional list<SQLDefaultConstraint> defaultConstraints,
  6: optional list<SQLCheckConstraint> checkConstraints,
}

// Reads of one kind of constraint of a table. validWriteIdList and tableId are accepted and
// ignored: constraints are not versioned by write id.
struct PrimaryKeysRequest {
  1: string db_name,                     // hive:required
  2: string tbl_name,                    // hive:required
  3: optional string catName,
  4: optional string validWriteIdList,
  5: optional i64 tableId = -1,
}

struct PrimaryKeysResponse {
  1: list<SQLPrimaryKey> primaryKeys,    // hive:required
}

// Foreign keys of the foreign table, or those referencing the parent table; a name left unset
// does not filter.
struct ForeignKeysRequest {
  1: string parent_db_name,
  2: string parent_tbl_name,
  3: string foreign_db_name,
  4: string foreign_tbl_name,
  5: optional string catName,
  6: optional string validWriteIdList,
  7: optional i64 tableId = -1,
}

struct ForeignKeysResponse {
  1: list<SQLForeignKey> foreignKeys,    // hive:required
}

struct UniqueConstraintsRequest {
  1: string catName,                     // hive:required
  2: string db_name,                     // hive:required
  3: string tbl_name,                    // hive:required
  4: optional string validWriteIdList,
  5: optional i64 tableId = -1,
}

struct UniqueConstraintsResponse {
  1: list<SQLUniqueConstraint> uniqueConstraints,  // hive:required
}

struct NotNullConstraintsRequest {
  1: string catName,                     // hive:required
  2: string db_name,                     // hive:required
  3: string tbl_name,                    // hive:required
  4: optional string validWriteIdList,
  5: optional i64 tableId = -1,
}

struct NotNullConstraintsResponse {
  1: list<SQLNotNullConstraint> notNullConstraints,  // hive:required
}

struct DefaultConstraintsRequest {
  1: string catName,                     // hive:required
  2: string db_name,                     // hive:required
  3: string tbl_name,                    // hive:required
  4: optional string validWriteIdList,
  5: optional i64 tableId = -1,
}

struct DefaultConstraintsResponse {
  1: list<SQLDefaultConstraint> defaultConstraints,  // hive:required
}

struct CheckConstraintsRequest {
  1: string catName,                     // hive:required
  2: string db_name,                     // hive:required
  3: string tbl_name,                    // hive:required
  4: optional string validWriteIdList,
  5: optional i64 tableId = -1,
}

struct CheckConstraintsResponse {
  1: list<SQLCheckConstraint> checkConstraints,  // hive:required
}

struct AllTableConstraintsRequest {
  1: string dbName,                      // hive:required
  2: string tblName,                     // hive:required
  3: string catName,                     // hive:required
  4: optional string validWriteIdList,
  5: optional i64 tableId = -1,
}

struct AllTableConstraintsResponse {
  1: SQLAllTableConstraints allTableConstraints,  // hive:required
}

struct DropConstraintRequest {
  1: string dbname,                      // hive:required
  2: string tablename,                   // hive:required
  3: string constraintname,              // hive:required
  4: optional string catName,
}

struct AddPrimaryKeyRequest {
  1: list<SQLPrimaryKey> primaryKeyCols,  // hive:required
}

struct AddForeignKeyRequest {
  1: list<SQLForeignKey> foreignKeyCols,  // hive:required
}

struct AddUniqueConstraintRequest {
  1: list<SQLUniqueConstraint> uniqueConstraintCols,  // hive:required
}

struct AddNotNullConstraintRequest {
  1: list<SQLNotNullConstraint> notNullConstraintCols,  // hive:required
}

struct AddDefaultConstraintRequest {
  1: list<SQLDefaultConstraint> defaultConstraintCols,  // hive:required
}

struct AddCheckConstraintRequest {
  1: list<SQLCheckConstraint> checkConstraintCols,  // hive:required
}

// --- Table requests and responses ---

struct ClientCapabilities {
  1: list<ClientCapability> values,      // hive:required
}

// Field projection: dotted field paths to return, plus SQL LIKE-style
// patterns selecting which parameter keys to include or exclude.
struct GetProjectionsSpec {
  1: list<string> fieldList,
  2: string includeParamKeyPattern,
  3: string excludeParamKeyPattern,
}

struct CreateTableRequest {
  1: Table table,                        // hive:required
  2: optional EnvironmentContext envContext,
  3: optional list<SQLPrimaryKey> primaryKeys,
  4: optional list<SQLForeignKey> foreignKeys,
  5: optional list<SQLUniqueConstraint> uniqueConstraints,
  6: optional list<SQLNotNullConstraint> notNullConstraints,
  7: optional list<SQLDefaultConstraint> defaultConstraints,
  8: optional list<SQLCheckConstraint> checkConstraints,
  9: optional list<string> processorCapabilities,
  10: optional string processorIdentifier,
}

// Field id 5 is unused.
struct GetTableRequest {
  1: string dbName,                      // hive:required
  2: string tblName,                     // hive:required
  3: optional ClientCapabilities capabilities,
  4: optional string catName,
  6: optional string validWriteIdList,
  7: optional bool getColumnStats,
  8: optional list<string> processorCapabilities,
  9: optional string processorIdentifier,
  10: optional string engine = "hive",
  11: optional i64 id = -1,              // table id
}

struct GetTableResult {
  1: Table table,                        // hive:required
  2: optional bool isStatsCompliant,
}

struct GetTablesRequest {
  1: string dbName,                      // hive:required
  2: optional list<string> tblNames,
  3: optional ClientCapabilities capabilities,
  4: optional string catName,
  5: optional list<string> processorCapabilities,
  6: optional string processorIdentifier,
  7: optional GetProjectionsSpec projectionSpec,
  8: optional string tablesPattern,
}

struct GetTablesResult {
  1: list<Table> tables,                 // hive:required
}

struct AlterTableRequest {
  1: optional string catName,
  2: string dbName,                      // hive:required
  3: string tableName,                   // hive:required
  4: Table table,                        // hive:required
  5: optional EnvironmentContext environmentContext,
  6: optional i64 writeId = -1,
  7: optional string validWriteIdList,
  8: optional list<string> processorCapabilities,
  9: optional string processorIdentifier,
  10: optional string expectedParameterKey,
  11: optional string expectedParameterValue,
}

struct AlterTableResponse {
}

struct DropTableRequest {
  1: optional string catalogName,
  2: string dbName,                      // hive:required
  3: string tableName,                   // hive:required
  4: optional bool deleteData,
  5: optional EnvironmentContext envContext,
  6: optional bool dropPartitions,
}

// truncate_table_req: which table, and optionally which of its partitions, to empty. The
// write-id fields belong to transactional tables, which this server does not keep.
struct TruncateTableRequest {
  1: string dbName,                      // hive:required
  2: string tableName,                   // hive:required
  3: optional list<string> partNames,
  4: optional i64 writeId = -1,
  5: optional string validWriteIdList,
  6: optional EnvironmentContext environmentContext,
}

struct TruncateTableResponse {
}

struct GetFieldsRequest {
  1: optional string catName,
  2: string dbName,                      // hive:required
  3: string tblName,                     // hive:required
  4: optional EnvironmentContext envContext,
  5: optional string validWriteIdList,
  6: optional i64 id = -1,               // table id
}

struct GetFieldsResponse {
  1: list<FieldSchema> fields,           // hive:required
}

struct GetSchemaRequest {
  1: optional string catName,
  2: string dbName,                      // hive:required
  3: string tblName,                     // hive:required
  4: optional EnvironmentContext envContext,
  5: optional string validWriteIdList,
  6: optional i64 id = -1,               // table id
}

struct GetSchemaResponse {
  1: list<FieldSchema> fields,           // hive:required
}

// ===========================================================================
// Partitions
// ===========================================================================

struct Partition {
  1: list<string> values,                // one value per partition key, in key order
  2: string dbName,
  3: string tableName,
  4: i32 createTime,
  5: i32 lastAccessTime,
  6: optional StorageDescriptor sd,  // hive:default (a view's partition may have none)
  7: map<string, string> parameters,
  8: optional PrincipalPrivilegeSet privileges,
  9: optional string catName,
  10: optional i64 writeId = -1,
  11: optional bool isStatsCompliant,
  12: optional ColumnStatistics colStats,
  13: optional FileMetadata fileMetadata,
}

// --- add / append ---

struct AddPartitionsRequest {
  1: string dbName,                      // hive:required
  2: string tblName,                     // hive:required
  3: list<Partition> parts,              // hive:required
  4: bool ifNotExists,                   // hive:required
  5: optional bool needResult = true,
  6: optional string catName,
  7: optional string validWriteIdList,
  8: optional bool skipColumnSchemaForPartition,
  9: optional list<FieldSchema> partitionColSchema,
  10: optional EnvironmentContext environmentContext,
}

struct AddPartitionsResult {
  1: optional list<Partition> partitions,
  2: optional bool isStatsCompliant,
  3: optional list<FieldSchema> partitionColSchema,
}

// Partition given either by name ("k1=v1/k2=v2") or by values.
struct AppendPartitionsRequest {
  1: optional string catalogName,
  2: string dbName,                      // hive:required
  3: string tableName,                   // hive:required
  4: optional string name,
  5: optional list<string> partVals,
  6: optional EnvironmentContext environmentContext,
}

// --- read ---

struct GetPartitionRequest {
  1: optional string catName,
  2: string dbName,                      // hive:required
  3: string tblName,                     // hive:required
  4: list<string> partVals,              // hive:required
  5: optional string validWriteIdList,
  6: optional i64 id = -1,               // table id
}

struct GetPartitionResponse {
  1: Partition partition,                // hive:required
}

// Used by get_partitions_req and fetch_partition_names_req.
struct PartitionsRequest {
  1: optional string catName,
  2: string dbName,                      // hive:required
  3: string tblName,                     // hive:required
  4: optional i16 maxParts = -1,
  5: optional string validWriteIdList,
  6: optional i64 id = -1,               // table id
  7: optional bool skipColumnSchemaForPartition,
  8: optional string includeParamKeyPattern,
  9: optional string excludeParamKeyPattern,
}

struct PartitionsResponse {
  1: list<Partition> partitions,         // hive:required
}

struct GetPartitionsPsWithAuthRequest {
  1: optional string catName,
  2: string dbName,                      // hive:required
  3: string tblName,                     // hive:required
  4: optional list<string> partVals,
  5: optional i16 maxParts = -1,
  6: optional string userName,
  7: optional list<string> groupNames,
  8: optional string validWriteIdList,
  9: optional i64 id = -1,               // table id
  10: optional bool skipColumnSchemaForPartition,
  11: optional string includeParamKeyPattern,
  12: optional string excludeParamKeyPattern,
  13: optional list<string> partNames,
}

struct GetPartitionsPsWithAuthResponse {
  1: list<Partition> partitions,         // hive:required
}

struct GetPartitionNamesPsRequest {
  1: optional string catName,
  2: string dbName,                      // hive:required
  3: string tblName,                     // hive:required
  4: optional list<string> partValues,
  5: optional i16 maxParts = -1,
  6: optional string validWriteIdList,
  7: optional i64 id = -1,               // table id
}

struct GetPartitionNamesPsResponse {
  1: list<string> names,                 // hive:required
}

// expr is a serialized engine expression; Almanac may not understand it.
struct PartitionsByExprRequest {
  1: string dbName,                      // hive:required
  2: string tblName,                     // hive:required
  3: binary expr,                        // hive:required
  4: optional string defaultPartitionName,
  5: optional i16 maxParts = -1,
  6: optional string catName,
  7: optional string order,
  8: optional string validWriteIdList,
  9: optional i64 id = -1,               // table id
  10: optional bool skipColumnSchemaForPartition,
  11: optional string includeParamKeyPattern,
  12: optional string excludeParamKeyPattern,
}

struct GetPartitionsByNamesRequest {
  1: string db_name,                     // hive:required
  2: string tbl_name,                    // hive:required
  3: optional list<string> names,
  4: optional bool get_col_stats,
  5: optional list<string> processorCapabilities,
  6: optional string processorIdentifier,
  7: optional string engine = "hive",
  8: optional string validWriteIdList,
  9: optional bool getFileMetadata,
  10: optional i64 id = -1,              // table id
  11: optional bool skipColumnSchemaForPartition,
  12: optional string includeParamKeyPattern,
  13: optional string excludeParamKeyPattern,
}

struct GetPartitionsByNamesResult {
  1: list<Partition> partitions,         // hive:required
  2: optional ObjectDictionary dictionary,
}

struct GetPartitionsByFilterRequest {
  1: optional string catName,
  2: string dbName,
  3: string tblName,
  4: string filter,
  5: optional i16 maxParts = -1,
  6: optional bool skipColumnSchemaForPartition,
  7: optional string includeParamKeyPattern,
  8: optional string excludeParamKeyPattern,
}

// --- alter / rename ---

struct AlterPartitionsRequest {
  1: optional string catName,
  2: string dbName,                      // hive:required
  3: string tableName,                   // hive:required
  4: list<Partition> partitions,         // hive:required
  5: optional EnvironmentContext environmentContext,
  6: optional i64 writeId = -1,
  7: optional string validWriteIdList,
  8: optional bool skipColumnSchemaForPartition,
  9: optional list<FieldSchema> partitionColSchema,
}

struct AlterPartitionsResponse {
}

struct RenamePartitionRequest {
  1: optional string catName,
  2: string dbName,                      // hive:required
  3: string tableName,                   // hive:required
  4: list<string> partVals,              // hive:required; values of the old partition
  5: Partition newPart,                  // hive:required
  6: optional string validWriteIdList,
  7: optional i64 txnId,
  8: optional bool clonePart,
}

struct RenamePartitionResponse {
}

// --- drop ---

// Single partition, given either by name or by values.
struct DropPartitionRequest {
  1: optional string catName,
  2: string dbName,                      // hive:required
  3: string tblName,                     // hive:required
  4: optional string partName,
  5: optional list<string> partVals,
  6: optional bool deleteData,
  7: optional EnvironmentContext environmentContext,
}

struct DropPartitionsExpr {
  1: binary expr,                        // hive:required
  2: optional i32 partArchiveLevel,
}

// Partitions to drop: by names, or by serialized expressions.
union RequestPartsSpec {
  1: list<string> names,
  2: list<DropPartitionsExpr> exprs,
}

struct DropPartitionsRequest {
  1: string dbName,                      // hive:required
  2: string tblName,                     // hive:required
  3: RequestPartsSpec parts,             // hive:required
  4: optional bool deleteData,
  5: optional bool ifExists = true,
  6: optional bool ignoreProtection,
  7: optional EnvironmentContext environmentContext,
  8: optional bool needResult = true,
  9: optional string catName,
  10: optional bool skipColumnSchemaForPartition,
}

struct DropPartitionsResult {
  1: optional list<Partition> partitions,
}

// --- partition specs (add_partitions_pspec, get_partitions_pspec, get_part_specs_by_filter) ---
// A PartitionSpec carries the partitions of one table either as full partitions
// (partitionList) or as partitions without a storage descriptor that share one
// (sharedSDPartitionSpec): each one's location is the shared location followed by its
// relativePath.

struct PartitionWithoutSD {
  1: list<string> values,
  2: i32 createTime,
  3: i32 lastAccessTime,
  4: string relativePath,
  5: map<string, string> parameters,
  6: optional PrincipalPrivilegeSet privileges,
}

struct PartitionSpecWithSharedSD {
  1: list<PartitionWithoutSD> partitions,
  2: StorageDescriptor sd,
}

struct PartitionListComposingSpec {
  1: list<Partition> partitions,
}

struct PartitionSpec {
  1: string dbName,
  2: string tableName,
  3: string rootPath,
  4: optional PartitionSpecWithSharedSD sharedSDPartitionSpec,
  5: optional PartitionListComposingSpec partitionList,
  6: optional string catName,
  7: optional i64 writeId = -1,
  8: optional bool isStatsCompliant,
}

// --- get_partition_values ---

struct PartitionValuesRequest {
  1: string dbName,                          // hive:required
  2: string tblName,                         // hive:required
  3: list<FieldSchema> partitionKeys,        // hive:required
  4: optional bool applyDistinct = true,
  5: optional string filter,
  6: optional list<FieldSchema> partitionOrder,
  7: optional bool ascending = true,
  8: optional i64 maxParts = -1,
  9: optional string catName,
  10: optional string validWriteIdList,
}

struct PartitionValuesRow {
  1: list<string> row,                       // hive:required
}

struct PartitionValuesResponse {
  1: list<PartitionValuesRow> partitionValues,  // hive:required
}

// --- exchange_partition ---
// Hive declares exchange_partition to return a Partition, and HMS answers with one that has no
// field set. The generated C++ writer always emits a Partition's default-requiredness fields, so
// the answer is declared as this struct without fields: the same bytes on the wire, which every
// client decodes as an empty Partition.
struct ExchangedPartition {
}

// ===========================================================================
// Functions
// ===========================================================================

struct ResourceUri {
  1: ResourceType resourceType,
  2: string uri,
}

struct Function {
  1: string functionName,
  2: string dbName,
  3: string className,
  4: optional string ownerName,  // hive:default (null when none was given)
  5: PrincipalType ownerType,
  6: i32 createTime,
  7: FunctionType functionType,
  8: list<ResourceUri> resourceUris,
  9: optional string catName,
}

struct GetAllFunctionsResponse {
  1: optional list<Function> functions,
}

// ===========================================================================
// Transactions and locks
// ===========================================================================

struct GetOpenTxnsResponse {
  1: i64 txn_high_water_mark,            // hive:required
  2: list<i64> open_txns,                // hive:required
  3: optional i64 min_open_txn,
  4: binary abortedBits,                 // hive:required; bit i set = open_txns[i] aborted
}

struct OpenTxnRequest {
  1: i32 num_txns,                       // hive:required
  2: string user,                        // hive:required
  3: string hostname,                    // hive:required
  4: optional string agentInfo = "Unknown",
  5: optional string replPolicy,
  6: optional list<i64> replSrcTxnIds,
  7: optional TxnType txn_type = TxnType.DEFAULT,
}

struct OpenTxnsResponse {
  1: list<i64> txn_ids,                  // hive:required
}

struct AbortTxnRequest {
  1: i64 txnid,                          // hive:required
  2: optional string replPolicy,
  3: optional TxnType txn_type,
  4: optional i64 errorCode,
}

struct CommitTxnKeyValue {
  1: i64 tableId,                        // hive:required
  2: string key,                         // hive:required
  3: string value,                       // hive:required
}

struct WriteEventInfo {
  1: i64 writeId,                        // hive:required
  2: string database,                    // hive:required
  3: string table,                       // hive:required
  4: string files,                       // hive:required
  5: optional string partition,
  6: optional string tableObj,
  7: optional string partitionObj,
}

struct ReplLastIdInfo {
  1: string database,                    // hive:required
  2: i64 lastReplId,                     // hive:required
  3: optional string table,
  4: optional string catalog,
  5: optional list<string> partitionList,
}

struct CommitTxnRequest {
  1: i64 txnid,                          // hive:required
  2: optional string replPolicy,
  3: optional list<WriteEventInfo> writeEventInfos,
  4: optional ReplLastIdInfo replLastIdInfo,
  5: optional CommitTxnKeyValue keyValue,
  6: optional bool exclWriteEnabled = true,
  7: optional TxnType txn_type,
}

struct LockComponent {
  1: LockType type,                      // hive:required
  2: LockLevel level,                    // hive:required
  3: string dbname,                      // hive:required
  4: optional string tablename,
  5: optional string partitionname,
  6: optional DataOperationType operationType = DataOperationType.UNSET,
  7: optional bool isTransactional = false,
  8: optional bool isDynamicPartitionWrite = false,
}

struct LockRequest {
  1: list<LockComponent> component,      // hive:required
  2: optional i64 txnid,
  3: string user,                        // hive:required
  4: string hostname,                    // hive:required
  5: optional string agentInfo = "Unknown",
  6: optional bool zeroWaitReadEnabled = false,
  7: optional bool exclusiveCTAS = false,
  8: optional bool locklessReadsEnabled = false,
}

struct LockResponse {
  1: i64 lockid,                         // hive:required
  2: LockState state,                    // hive:required
  3: optional string errorMessage,
}

struct CheckLockRequest {
  1: i64 lockid,                         // hive:required
  2: optional i64 txnid,
  3: optional i64 elapsed_ms,
}

struct UnlockRequest {
  1: i64 lockid,                         // hive:required
}

struct ShowLocksRequest {
  1: optional string dbname,
  2: optional string tablename,
  3: optional string partname,
  4: optional bool isExtended = false,
  5: optional i64 txnid,
}

struct ShowLocksResponseElement {
  1: i64 lockid,                         // hive:required
  2: string dbname,                      // hive:required
  3: optional string tablename,
  4: optional string partname,
  5: LockState state,                    // hive:required
  6: LockType type,                      // hive:required
  7: optional i64 txnid,
  8: i64 lastheartbeat,                  // hive:required
  9: optional i64 acquiredat,
  10: string user,                       // hive:required
  11: string hostname,                   // hive:required
  12: optional i32 heartbeatCount = 0,
  13: optional string agentInfo,
  14: optional i64 blockedByExtId,
  15: optional i64 blockedByIntId,
  16: optional i64 lockIdInternal,
}

struct ShowLocksResponse {
  1: list<ShowLocksResponseElement> locks,
}

// Either a lock id, a transaction id, or both.
struct HeartbeatRequest {
  1: optional i64 lockid,
  2: optional i64 txnid,
}

// ===========================================================================
// Scheduled queries, runtime statistics and replication metrics
// ===========================================================================

struct ScheduledQueryKey {
  1: string scheduleName,                // hive:required
  2: string clusterNamespace,            // hive:required
}

// A schedule is a Quartz cron expression; nextExecution is in seconds since
// the epoch and is always computed by the server.
struct ScheduledQuery {
  1: ScheduledQueryKey scheduleKey,      // hive:required
  2: optional bool enabled,
  4: optional string schedule,
  5: optional string user,
  6: optional string query,
  7: optional i32 nextExecution,
}

enum ScheduledQueryMaintenanceRequestType {
  CREATE = 1,
  ALTER = 2,
  DROP = 3,
}

struct ScheduledQueryMaintenanceRequest {
  1: ScheduledQueryMaintenanceRequestType type,  // hive:required
  2: ScheduledQuery scheduledQuery,              // hive:required
}

struct ScheduledQueryPollRequest {
  1: string clusterNamespace,            // hive:required
}

// Empty (no field set) when no query of the namespace is due.
struct ScheduledQueryPollResponse {
  1: optional ScheduledQueryKey scheduleKey,
  2: optional i64 executionId,
  3: optional string query,
  4: optional string user,
}

enum QueryState {
  INITED = 0,
  EXECUTING = 1,
  FAILED = 2,
  FINISHED = 3,
  TIMED_OUT = 4,
  AUTO_DISABLED = 5,
}

struct ScheduledQueryProgressInfo {
  1: i64 scheduledExecutionId,           // hive:required
  2: QueryState state,                   // hive:required
  3: string executorQueryId,             // hive:required
  4: optional string errorMessage,
}

struct RuntimeStat {
  1: optional i32 createTime,
  2: i32 weight,                         // hive:required
  3: binary payload,                     // hive:required
}

struct GetRuntimeStatsRequest {
  1: i32 maxWeight,                      // hive:required
  2: i32 maxCreateTime,                  // hive:required
}

struct ReplicationMetrics {
  1: i64 scheduledExecutionId,           // hive:required
  2: string policy,                      // hive:required
  3: i64 dumpExecutionId,                // hive:required
  4: optional string metadata,
  5: optional string progress,
  6: optional string messageFormat,
}

struct ReplicationMetricList {
  1: list<ReplicationMetrics> replicationMetricList,  // hive:required
}

struct GetReplicationMetricsRequest {
  1: optional i64 scheduledExecutionId,
  2: optional string policy,
  3: optional i64 dumpExecutionId,
}

// ===========================================================================
// Service
// ===========================================================================
//
// Legacy database-name encoding: newer clients may pass "@<catalog>#<db>" in
// plain db-name arguments ("@<catalog>#" meaning every database of the
// catalog). Exception ids differ from method to method; they are part of the
// wire contract just like argument ids.

service ThriftHiveMetastore extends fb303.FacebookService {

  // ---------------------------------------------------------------- session

  // Sent right after connecting by unsecured Java clients.
  list<string> set_ugi(1: string user_name, 2: list<string> group_names)
      throws (1: MetaException o1)

  string get_config_value(1: string name, 2: string defaultValue)
      throws (1: ConfigValSecurityException o1)

  // --------------------------------------------------------------- catalogs

  void create_catalog(1: CreateCatalogRequest catalog)
      throws (1: AlreadyExistsException o1, 2: InvalidObjectException o2, 3: MetaException o3)

  void alter_catalog(1: AlterCatalogRequest rqst)
      throws (1: NoSuchObjectException o1, 2: InvalidOperationException o2, 3: MetaException o3)

  GetCatalogsResponse get_catalogs()
      throws (1: MetaException o1)

  GetCatalogResponse get_catalog(1: GetCatalogRequest catName)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  // The catalog must hold no database but an empty "default"; "hive" cannot be dropped.
  void drop_catalog(1: DropCatalogRequest catName)
      throws (1: NoSuchObjectException o1, 2: InvalidOperationException o2, 3: MetaException o3)

  // -------------------------------------------------------------- databases

  void create_database(1: Database database)
      throws (1: AlreadyExistsException o1, 2: InvalidObjectException o2, 3: MetaException o3)

  void create_database_req(1: CreateDatabaseRequest createDatabaseRequest)
      throws (1: AlreadyExistsException o1, 2: InvalidObjectException o2, 3: MetaException o3)

  Database get_database(1: string name)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  Database get_database_req(1: GetDatabaseRequest request)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  list<string> get_databases(1: string pattern)
      throws (1: MetaException o1)

  list<string> get_all_databases()
      throws (1: MetaException o1)

  void alter_database(1: string dbname, 2: Database db)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  void alter_database_req(1: AlterDatabaseRequest alterDbReq)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  void drop_database(1: string name, 2: bool deleteData, 3: bool cascade)
      throws (1: NoSuchObjectException o1, 2: InvalidOperationException o2, 3: MetaException o3)

  void drop_database_req(1: DropDatabaseRequest req)
      throws (1: NoSuchObjectException o1, 2: InvalidOperationException o2, 3: MetaException o3)

  // ---------------------------------------------------------- tables: create

  void create_table(1: Table tbl)
      throws (1: AlreadyExistsException o1, 2: InvalidObjectException o2,
              3: MetaException o3, 4: NoSuchObjectException o4)

  void create_table_with_environment_context(1: Table tbl,
                                             2: EnvironmentContext environment_context)
      throws (1: AlreadyExistsException o1, 2: InvalidObjectException o2,
              3: MetaException o3, 4: NoSuchObjectException o4)

  void create_table_req(1: CreateTableRequest request)
      throws (1: AlreadyExistsException o1, 2: InvalidObjectException o2,
              3: MetaException o3, 4: NoSuchObjectException o4)

  // Older clients' create_table_req: the table with its constraints, in one transaction.
  void create_table_with_constraints(1: Table tbl, 2: list<SQLPrimaryKey> primaryKeys,
                                     3: list<SQLForeignKey> foreignKeys,
                                     4: list<SQLUniqueConstraint> uniqueConstraints,
                                     5: list<SQLNotNullConstraint> notNullConstraints,
                                     6: list<SQLDefaultConstraint> defaultConstraints,
                                     7: list<SQLCheckConstraint> checkConstraints)
      throws (1: AlreadyExistsException o1, 2: InvalidObjectException o2,
              3: MetaException o3, 4: NoSuchObjectException o4)

  // ------------------------------------------------------------ tables: read

  // Legacy call (absent from the newest Hive 4 releases) still used by
  // Hive 2.x-based clients such as Spark's built-in client.
  Table get_table(1: string dbname, 2: string tbl_name)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  GetTableResult get_table_req(1: GetTableRequest req)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  // Legacy call; declares no exceptions.
  list<Table> get_table_objects_by_name(1: string dbname, 2: list<string> tbl_names)

  GetTablesResult get_table_objects_by_name_req(1: GetTablesRequest req)
      throws (1: MetaException o1, 2: InvalidOperationException o2, 3: UnknownDBException o3)

  list<string> get_tables(1: string db_name, 2: string pattern)
      throws (1: MetaException o1)

  list<string> get_tables_by_type(1: string db_name, 2: string pattern, 3: string tableType)
      throws (1: MetaException o1)

  list<string> get_all_tables(1: string db_name)
      throws (1: MetaException o1)

  // Names of the database's materialized views that are enabled for query rewriting.
  list<string> get_materialized_views_for_rewriting(1: string db_name)
      throws (1: MetaException o1)

  list<TableMeta> get_table_meta(1: string db_patterns, 2: string tbl_patterns,
                                 3: list<string> tbl_types)
      throws (1: MetaException o1)

  // Filter language: see the HIVE_FILTER_FIELD_* constants.
  list<string> get_table_names_by_filter(1: string dbname, 2: string filter,
                                         3: i16 max_tables = -1)
      throws (1: MetaException o1, 2: InvalidOperationException o2, 3: UnknownDBException o3)

  // Columns only.
  list<FieldSchema> get_fields(1: string db_name, 2: string table_name)
      throws (1: MetaException o1, 2: UnknownTableException o2, 3: UnknownDBException o3)

  list<FieldSchema> get_fields_with_environment_context(1: string db_name, 2: string table_name,
                                                        3: EnvironmentContext environment_context)
      throws (1: MetaException o1, 2: UnknownTableException o2, 3: UnknownDBException o3)

  GetFieldsResponse get_fields_req(1: GetFieldsRequest req)
      throws (1: MetaException o1, 2: UnknownTableException o2, 3: UnknownDBException o3)

  // Columns followed by partition keys.
  list<FieldSchema> get_schema(1: string db_name, 2: string table_name)
      throws (1: MetaException o1, 2: UnknownTableException o2, 3: UnknownDBException o3)

  list<FieldSchema> get_schema_with_environment_context(1: string db_name, 2: string table_name,
                                                        3: EnvironmentContext environment_context)
      throws (1: MetaException o1, 2: UnknownTableException o2, 3: UnknownDBException o3)

  GetSchemaResponse get_schema_req(1: GetSchemaRequest req)
      throws (1: MetaException o1, 2: UnknownTableException o2, 3: UnknownDBException o3)

  // ----------------------------------------------------------- tables: alter

  void alter_table(1: string dbname, 2: string tbl_name, 3: Table new_tbl)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  void alter_table_with_environment_context(1: string dbname, 2: string tbl_name,
                                            3: Table new_tbl,
                                            4: EnvironmentContext environment_context)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  // cascade = also apply column changes to existing partitions.
  void alter_table_with_cascade(1: string dbname, 2: string tbl_name, 3: Table new_tbl,
                                4: bool cascade)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  AlterTableResponse alter_table_req(1: AlterTableRequest req)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  // ------------------------------------------------------------ tables: drop
  // Note the MetaException is named o3 but has exception id 2.

  void drop_table(1: string dbname, 2: string name, 3: bool deleteData)
      throws (1: NoSuchObjectException o1, 2: MetaException o3)

  void drop_table_with_environment_context(1: string dbname, 2: string name, 3: bool deleteData,
                                           4: EnvironmentContext environment_context)
      throws (1: NoSuchObjectException o1, 2: MetaException o3)

  void drop_table_req(1: DropTableRequest dropTableReq)
      throws (1: NoSuchObjectException o1, 2: MetaException o3)

  // ------------------------------------------------------- table constraints
  // HMS raises InvalidObjectException from the add and drop calls, which they do not declare:
  // its clients receive those failures as TApplicationException.

  void add_primary_key(1: AddPrimaryKeyRequest req)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  void add_foreign_key(1: AddForeignKeyRequest req)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  void add_unique_constraint(1: AddUniqueConstraintRequest req)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  void add_not_null_constraint(1: AddNotNullConstraintRequest req)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  void add_default_constraint(1: AddDefaultConstraintRequest req)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  void add_check_constraint(1: AddCheckConstraintRequest req)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  // Note the MetaException is named o3 but has exception id 2.
  void drop_constraint(1: DropConstraintRequest req)
      throws (1: NoSuchObjectException o1, 2: MetaException o3)

  PrimaryKeysResponse get_primary_keys(1: PrimaryKeysRequest request)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  ForeignKeysResponse get_foreign_keys(1: ForeignKeysRequest request)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  UniqueConstraintsResponse get_unique_constraints(1: UniqueConstraintsRequest request)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  NotNullConstraintsResponse get_not_null_constraints(1: NotNullConstraintsRequest request)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  DefaultConstraintsResponse get_default_constraints(1: DefaultConstraintsRequest request)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  CheckConstraintsResponse get_check_constraints(1: CheckConstraintsRequest request)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  AllTableConstraintsResponse get_all_table_constraints(1: AllTableConstraintsRequest request)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)
  // --------------------------------------------------------- tables: truncate
  // Empties the table's directory, or those of the named partitions (all of them when
  // partNames is absent), and resets their basic statistics.

  void truncate_table(1: string dbName, 2: string tableName, 3: list<string> partNames)
      throws (1: MetaException o1)

  TruncateTableResponse truncate_table_req(1: TruncateTableRequest req)
      throws (1: MetaException o1)

  // -------------------------------------------------- partitions: add/append

  Partition add_partition(1: Partition new_part)
      throws (1: InvalidObjectException o1, 2: AlreadyExistsException o2, 3: MetaException o3)

  Partition add_partition_with_environment_context(1: Partition new_part,
                                                   2: EnvironmentContext environment_context)
      throws (1: InvalidObjectException o1, 2: AlreadyExistsException o2, 3: MetaException o3)

  // Returns the number of partitions added.
  i32 add_partitions(1: list<Partition> new_parts)
      throws (1: InvalidObjectException o1, 2: AlreadyExistsException o2, 3: MetaException o3)

  AddPartitionsResult add_partitions_req(1: AddPartitionsRequest request)
      throws (1: InvalidObjectException o1, 2: AlreadyExistsException o2, 3: MetaException o3)

  // append_* create a partition with the table's storage settings.
  Partition append_partition(1: string db_name, 2: string tbl_name, 3: list<string> part_vals)
      throws (1: InvalidObjectException o1, 2: AlreadyExistsException o2, 3: MetaException o3)

  Partition append_partition_with_environment_context(1: string db_name, 2: string tbl_name,
                                                      3: list<string> part_vals,
                                                      4: EnvironmentContext environment_context)
      throws (1: InvalidObjectException o1, 2: AlreadyExistsException o2, 3: MetaException o3)

  Partition append_partition_req(1: AppendPartitionsRequest appendPartitionsReq)
      throws (1: InvalidObjectException o1, 2: AlreadyExistsException o2, 3: MetaException o3)

  Partition append_partition_by_name(1: string db_name, 2: string tbl_name, 3: string part_name)
      throws (1: InvalidObjectException o1, 2: AlreadyExistsException o2, 3: MetaException o3)

  Partition append_partition_by_name_with_environment_context(1: string db_name,
                                                              2: string tbl_name,
                                                              3: string part_name,
                                                              4: EnvironmentContext environment_context)
      throws (1: InvalidObjectException o1, 2: AlreadyExistsException o2, 3: MetaException o3)

  // ------------------------------------------------------- partitions: read
  // max_parts / maxParts = -1 means "no limit". Partial-spec (_ps) calls
  // treat an empty string value as a wildcard; the list may be shorter than
  // the number of partition keys.

  Partition get_partition(1: string db_name, 2: string tbl_name, 3: list<string> part_vals)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  GetPartitionResponse get_partition_req(1: GetPartitionRequest req)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  Partition get_partition_with_auth(1: string db_name, 2: string tbl_name,
                                    3: list<string> part_vals, 4: string user_name,
                                    5: list<string> group_names)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  Partition get_partition_by_name(1: string db_name, 2: string tbl_name, 3: string part_name)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  list<Partition> get_partitions(1: string db_name, 2: string tbl_name, 3: i16 max_parts = -1)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  PartitionsResponse get_partitions_req(1: PartitionsRequest req)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  list<Partition> get_partitions_with_auth(1: string db_name, 2: string tbl_name,
                                           3: i16 max_parts = -1, 4: string user_name,
                                           5: list<string> group_names)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  list<Partition> get_partitions_ps(1: string db_name, 2: string tbl_name,
                                    3: list<string> part_vals, 4: i16 max_parts = -1)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  list<Partition> get_partitions_ps_with_auth(1: string db_name, 2: string tbl_name,
                                              3: list<string> part_vals, 4: i16 max_parts = -1,
                                              5: string user_name, 6: list<string> group_names)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  GetPartitionsPsWithAuthResponse get_partitions_ps_with_auth_req(1: GetPartitionsPsWithAuthRequest req)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  list<string> get_partition_names(1: string db_name, 2: string tbl_name, 3: i16 max_parts = -1)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  list<string> get_partition_names_ps(1: string db_name, 2: string tbl_name,
                                      3: list<string> part_vals, 4: i16 max_parts = -1)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  GetPartitionNamesPsResponse get_partition_names_ps_req(1: GetPartitionNamesPsRequest req)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  // get_partition_names_req (and get_partitions_by_expr) take a Kryo-serialised Java
  // expression that only a JVM can evaluate. They are deliberately not declared: clients get
  // UNKNOWN_METHOD and fall back to listing names and filtering themselves.

  list<string> fetch_partition_names_req(1: PartitionsRequest partitionReq)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  list<Partition> get_partitions_by_names(1: string db_name, 2: string tbl_name,
                                          3: list<string> names)
      throws (1: MetaException o1, 2: NoSuchObjectException o2, 3: InvalidObjectException o3)

  GetPartitionsByNamesResult get_partitions_by_names_req(1: GetPartitionsByNamesRequest req)
      throws (1: MetaException o1, 2: NoSuchObjectException o2, 3: InvalidObjectException o3)

  // String filter over partition keys, e.g. `ds > "2024-01-01" and hr = 3`.
  list<Partition> get_partitions_by_filter(1: string db_name, 2: string tbl_name,
                                           3: string filter, 4: i16 max_parts = -1)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  list<Partition> get_partitions_by_filter_req(1: GetPartitionsByFilterRequest req)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  i32 get_num_partitions_by_filter(1: string db_name, 2: string tbl_name, 3: string filter)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  // ------------------------------------ partitions: specs, values and exchange

  // Adds the partitions of the specs (all of one table) in one transaction, as add_partitions.
  i32 add_partitions_pspec(1: list<PartitionSpec> new_parts)
      throws (1: InvalidObjectException o1, 2: AlreadyExistsException o2, 3: MetaException o3)

  // The table's partitions as PartitionSpecs (max_parts = -1: all).
  list<PartitionSpec> get_partitions_pspec(1: string db_name, 2: string tbl_name,
                                           3: i32 max_parts = -1)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  list<PartitionSpec> get_part_specs_by_filter(1: string db_name, 2: string tbl_name,
                                               3: string filter, 4: i32 max_parts = -1)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  PartitionValuesResponse get_partition_values(1: PartitionValuesRequest request)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  // Moves the source table's partitions that match partitionSpecs (key -> value; keys left out
  // or empty match any value) to the destination table, which has the same columns and
  // partition keys. exchange_partition answers with an empty partition, as HMS does.
  ExchangedPartition exchange_partition(1: map<string, string> partitionSpecs,
                                        2: string source_db, 3: string source_table_name,
                                        4: string dest_db, 5: string dest_table_name)
      throws (1: MetaException o1, 2: NoSuchObjectException o2, 3: InvalidObjectException o3,
              4: InvalidInputException o4)

  list<Partition> exchange_partitions(1: map<string, string> partitionSpecs,
                                      2: string source_db, 3: string source_table_name,
                                      4: string dest_db, 5: string dest_table_name)
      throws (1: MetaException o1, 2: NoSuchObjectException o2, 3: InvalidObjectException o3,
              4: InvalidInputException o4)

  // ------------------------------------------------ partitions: alter/rename
  // The partition to alter is identified by the values inside new_part(s).

  void alter_partition(1: string db_name, 2: string tbl_name, 3: Partition new_part)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  void alter_partitions(1: string db_name, 2: string tbl_name, 3: list<Partition> new_parts)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  void alter_partitions_with_environment_context(1: string db_name, 2: string tbl_name,
                                                 3: list<Partition> new_parts,
                                                 4: EnvironmentContext environment_context)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  void alter_partition_with_environment_context(1: string db_name, 2: string tbl_name,
                                                3: Partition new_part,
                                                4: EnvironmentContext environment_context)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  AlterPartitionsResponse alter_partitions_req(1: AlterPartitionsRequest req)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  // part_vals identifies the existing partition; new_part carries the new values.
  void rename_partition(1: string db_name, 2: string tbl_name, 3: list<string> part_vals,
                        4: Partition new_part)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  RenamePartitionResponse rename_partition_req(1: RenamePartitionRequest req)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  // ------------------------------------------------------- partitions: drop

  bool drop_partition(1: string db_name, 2: string tbl_name, 3: list<string> part_vals,
                      4: bool deleteData)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  bool drop_partition_with_environment_context(1: string db_name, 2: string tbl_name,
                                               3: list<string> part_vals, 4: bool deleteData,
                                               5: EnvironmentContext environment_context)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  bool drop_partition_by_name(1: string db_name, 2: string tbl_name, 3: string part_name,
                              4: bool deleteData)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  bool drop_partition_by_name_with_environment_context(1: string db_name, 2: string tbl_name,
                                                       3: string part_name, 4: bool deleteData,
                                                       5: EnvironmentContext environment_context)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  bool drop_partition_req(1: DropPartitionRequest dropPartitionReq)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  DropPartitionsResult drop_partitions_req(1: DropPartitionsRequest req)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  // ------------------------------------------------- partitions: name utils

  // "a=1/b=2" -> ["1", "2"]
  list<string> partition_name_to_vals(1: string part_name)
      throws (1: MetaException o1)

  // "a=1/b=2" -> {"a": "1", "b": "2"}
  map<string, string> partition_name_to_spec(1: string part_name)
      throws (1: MetaException o1)

  // ------------------------------------------------------ column statistics

  bool update_table_column_statistics(1: ColumnStatistics stats_obj)
      throws (1: NoSuchObjectException o1, 2: InvalidObjectException o2,
              3: MetaException o3, 4: InvalidInputException o4)

  bool update_partition_column_statistics(1: ColumnStatistics stats_obj)
      throws (1: NoSuchObjectException o1, 2: InvalidObjectException o2,
              3: MetaException o3, 4: InvalidInputException o4)

  SetPartitionsStatsResponse update_table_column_statistics_req(1: SetPartitionsStatsRequest req)
      throws (1: NoSuchObjectException o1, 2: InvalidObjectException o2,
              3: MetaException o3, 4: InvalidInputException o4)

  SetPartitionsStatsResponse update_partition_column_statistics_req(1: SetPartitionsStatsRequest req)
      throws (1: NoSuchObjectException o1, 2: InvalidObjectException o2,
              3: MetaException o3, 4: InvalidInputException o4)

  ColumnStatistics get_table_column_statistics(1: string db_name, 2: string tbl_name,
                                               3: string col_name)
      throws (1: NoSuchObjectException o1, 2: MetaException o2,
              3: InvalidInputException o3, 4: InvalidObjectException o4)

  ColumnStatistics get_partition_column_statistics(1: string db_name, 2: string tbl_name,
                                                   3: string part_name, 4: string col_name)
      throws (1: NoSuchObjectException o1, 2: MetaException o2,
              3: InvalidInputException o3, 4: InvalidObjectException o4)

  TableStatsResult get_table_statistics_req(1: TableStatsRequest request)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  PartitionsStatsResult get_partitions_statistics_req(1: PartitionsStatsRequest request)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  AggrStats get_aggr_stats_for(1: PartitionsStatsRequest request)
      throws (1: NoSuchObjectException o1, 2: MetaException o2)

  bool set_aggr_stats_for(1: SetPartitionsStatsRequest request)
      throws (1: NoSuchObjectException o1, 2: InvalidObjectException o2,
              3: MetaException o3, 4: InvalidInputException o4)

  // Older clients do not send `engine`.
  bool delete_partition_column_statistics(1: string db_name, 2: string tbl_name,
                                          3: string part_name, 4: string col_name,
                                          5: string engine)
      throws (1: NoSuchObjectException o1, 2: MetaException o2,
              3: InvalidObjectException o3, 4: InvalidInputException o4)

  bool delete_table_column_statistics(1: string db_name, 2: string tbl_name,
                                      3: string col_name, 4: string engine)
      throws (1: NoSuchObjectException o1, 2: MetaException o2,
              3: InvalidObjectException o3, 4: InvalidInputException o4)

  // -------------------------------------------------------------- functions

  void create_function(1: Function func)
      throws (1: AlreadyExistsException o1, 2: InvalidObjectException o2,
              3: MetaException o3, 4: NoSuchObjectException o4)

  // MetaException is named o3 but has exception id 2.
  void drop_function(1: string dbName, 2: string funcName)
      throws (1: NoSuchObjectException o1, 2: MetaException o3)

  void alter_function(1: string dbName, 2: string funcName, 3: Function newFunc)
      throws (1: InvalidOperationException o1, 2: MetaException o2)

  list<string> get_functions(1: string dbName, 2: string pattern)
      throws (1: MetaException o1)

  Function get_function(1: string dbName, 2: string funcName)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  GetAllFunctionsResponse get_all_functions()
      throws (1: MetaException o1)

  // ------------------------------------------------- transactions and locks
  // Served by CatalogService's lock manager (server/core/locks.cc, txns.cc).

  GetOpenTxnsResponse get_open_txns()

  OpenTxnsResponse open_txns(1: OpenTxnRequest rqst)

  void abort_txn(1: AbortTxnRequest rqst)
      throws (1: NoSuchTxnException o1)

  void commit_txn(1: CommitTxnRequest rqst)
      throws (1: NoSuchTxnException o1, 2: TxnAbortedException o2)

  LockResponse lock(1: LockRequest rqst)
      throws (1: NoSuchTxnException o1, 2: TxnAbortedException o2)

  LockResponse check_lock(1: CheckLockRequest rqst)
      throws (1: NoSuchTxnException o1, 2: TxnAbortedException o2, 3: NoSuchLockException o3)

  void unlock(1: UnlockRequest rqst)
      throws (1: NoSuchLockException o1, 2: TxnOpenException o2)

  ShowLocksResponse show_locks(1: ShowLocksRequest rqst)

  void heartbeat(1: HeartbeatRequest ids)
      throws (1: NoSuchLockException o1, 2: NoSuchTxnException o2, 3: TxnAbortedException o3)

  // ------------------------------------------------- scheduled queries
  // Served by server/core/scheduled_queries.cc and runtime_stats.cc.

  ScheduledQueryPollResponse scheduled_query_poll(1: ScheduledQueryPollRequest request)
      throws (1: MetaException o1)

  void scheduled_query_maintenance(1: ScheduledQueryMaintenanceRequest request)
      throws (1: MetaException o1, 2: NoSuchObjectException o2, 3: AlreadyExistsException o3,
              4: InvalidInputException o4)

  void scheduled_query_progress(1: ScheduledQueryProgressInfo info)
      throws (1: MetaException o1, 2: InvalidOperationException o2)

  ScheduledQuery get_scheduled_query(1: ScheduledQueryKey scheduleKey)
      throws (1: MetaException o1, 2: NoSuchObjectException o2)

  void add_runtime_stats(1: RuntimeStat stat)
      throws (1: MetaException o1)

  list<RuntimeStat> get_runtime_stats(1: GetRuntimeStatsRequest rqst)
      throws (1: MetaException o1)

  void add_replication_metrics(1: ReplicationMetricList replicationMetricList)
      throws (1: MetaException o1)

  ReplicationMetricList get_replication_metrics(1: GetReplicationMetricsRequest rqst)
      throws (1: MetaException o1)
}
