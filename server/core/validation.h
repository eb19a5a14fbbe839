#pragma once

// Field checks for what clients store, as Hive Metastore makes them. Every front end gets them
// through CatalogService.
//
// Two kinds of failure, as in HMS:
//  - A rule HMS checks itself (an object name, a column type) is InvalidArgument, which the
//    Thrift front end reports as InvalidObjectException. Alter calls report it as
//    FailedPrecondition (InvalidOperationException) through AsAlterError.
//  - A value HMS's backing database would refuse (longer than the column that holds it, or a
//    control character in a name or partition value) is InvalidArgument tagged
//    ErrorSubject::kStoreLimit, which the Thrift front end reports as MetaException, the type
//    HMS gives its database's failures.
// Each message names the field and the object it belongs to. Lengths count UTF-8 characters.

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "storage/model.h"

namespace almanac {

// Column lengths of HMS's schema (Hive 4.0).
inline constexpr size_t kMaxDatabaseNameChars = 128;          // DBS.NAME
inline constexpr size_t kMaxTableNameChars = 256;             // TBLS.TBL_NAME
inline constexpr size_t kMaxFunctionNameChars = 128;          // FUNCS.FUNC_NAME
inline constexpr size_t kMaxColumnNameChars = 767;            // COLUMNS_V2.COLUMN_NAME
inline constexpr size_t kMaxPartitionKeyNameChars = 128;      // PARTITION_KEYS.PKEY_NAME
inline constexpr size_t kMaxPartitionKeyTypeChars = 767;      // PARTITION_KEYS.PKEY_TYPE
inline constexpr size_t kMaxCommentChars = 4000;              // COLUMNS_V2.COMMENT, DBS.DESC
inline constexpr size_t kMaxParameterKeyChars = 256;          // TABLE_PARAMS.PARAM_KEY and others
inline constexpr size_t kMaxDatabaseParameterKeyChars = 180;  // DATABASE_PARAMS.PARAM_KEY
inline constexpr size_t kMaxDatabaseParameterValueChars = 4000;  // DATABASE_PARAMS.PARAM_VALUE
inline constexpr size_t kMaxPartitionValueChars = 256;           // PARTITION_KEY_VALS.PART_KEY_VAL
inline constexpr size_t kMaxPartitionNameChars = 767;            // PARTITIONS.PART_NAME

// A normalised table: its names, column names and types (Hive's type grammar), partition keys,
// comments and parameter keys. HMS's texts: "<name> is not a valid object name",
// "Invalid column type: ..." and "Invalid partition column type: ...".
absl::Status ValidateTableFields(const Table& table);

// A partition of `table`: its values (no control characters, HMS's lengths), its name's length,
// its column names and its parameter keys. Its column types are not checked, as in HMS.
absl::Status ValidatePartitionFields(const Table& table, const Partition& part);

// A normalised database: its name (InvalidArgument "<name> is not a valid database name"), the
// name's length, its description and its parameters.
absl::Status ValidateDatabaseFields(const Database& db);

// A normalised function name: "<name> is not a valid object name", and its length.
absl::Status ValidateFunctionName(const std::string& name);

// An alter call's view of a validation failure: InvalidArgument that is not a store limit
// becomes FailedPrecondition with the same message, as HMS's alter handler throws
// InvalidOperationException where create throws InvalidObjectException.
absl::Status AsAlterValidationError(absl::Status status);

}  // namespace almanac
