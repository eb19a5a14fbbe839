#pragma once

// Field checks for what clients store, as Hive Metastore makes them. Every front end gets them
// through CatalogService.
//
// Three kinds of failure, as in HMS:
//  - A rule HMS checks itself (an object name, a column type) is InvalidArgument, which the
//    Thrift front end reports as InvalidObjectException. Alter calls report it as
//    FailedPrecondition (InvalidOperationException) through AsAlterError.
//  - A value HMS's backing database would refuse (longer than the column that holds it, or a
//    control character in a name or partition value) is InvalidArgument tagged
//    ErrorSubject::kStoreLimit, which the Thrift front end reports as MetaException, the type
//    HMS gives its database's failures.
//  - A field HMS requires but the client left out (null): MalformedRequest, a MetaException too.
// Each message names the field and the object it belongs to. Lengths count UTF-8 characters.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
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

// Hive's FunctionType: JAVA is the only one.
inline constexpr int32_t kJavaFunction = 1;

// The fields of a function a client left out (null on the wire). Front ends without nulls leave
// them all false.
struct MissingFunctionFields {
  bool name = false;
  bool database = false;
  bool owner_type = false;  // Also a value HMS does not know, which its reader turns into null.
};

// A function as create_function and alter_function receive it, checked in HMS's order. Missing
// name, database, owner type, or a function type other than JAVA (1): MalformedRequest (HMS
// answers MetaException "... cannot be null"). An invalid name: InvalidArgument "<name> is not a
// valid object name"; no class name: InvalidArgument "Function class name cannot be null" (HMS
// throws InvalidObjectException for both). A name longer than HMS's column: a store limit.
absl::Status ValidateFunctionFields(const Function& fn, const MissingFunctionFields& missing);

// MalformedRequest "<what> cannot be null": a request without a name HMS requires, which it
// refuses with MetaException.
absl::Status NullName(absl::string_view what);

// An alter call's view of a validation failure: InvalidArgument that is not a store limit
// becomes FailedPrecondition with the same message, as HMS's alter handler throws
// InvalidOperationException where create throws InvalidObjectException.
absl::Status AsAlterValidationError(absl::Status status);

}  // namespace almanac
