#include "server/core/validation.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/error_subject.h"
#include "server/core/hive_types.h"
#include "server/core/names.h"
#include "storage/partition_name.h"

namespace almanac {
namespace {

// The message is built only for a value that is too long: these checks run on every partition.
template <typename Describe>
absl::Status CheckLength(absl::string_view text, size_t max, Describe describe) {
  if (text.size() <= max || CharacterCount(text) <= max) return absl::OkStatus();
  return StoreLimit(absl::StrCat(describe(), " is longer than ", max, " characters"));
}

absl::Status CheckParameterKeys(const Params& params, size_t max, absl::string_view owner) {
  for (const auto& param : params) {
    const std::string& key = param.first;  // clang 14 cannot capture a structured binding.
    RETURN_IF_ERROR(CheckLength(
        key, max, [&] { return absl::StrCat("Parameter key '", Printable(key), "' of ", owner); }));
  }
  return absl::OkStatus();
}

// Hive's first word of these messages is "column" for data columns and "partition column" for
// partition keys. HMS checks the types of a table's columns, not those a partition carries.
enum class Types { kCheck, kSkip };

absl::Status CheckColumns(const std::vector<Column>& columns, absl::string_view kind,
                          size_t max_name, absl::string_view owner, Types types = Types::kCheck) {
  for (const Column& column : columns) {
    if (HasControlCharacter(column.name)) {
      return absl::InvalidArgumentError(absl::StrCat("Invalid ", kind, " name: '",
                                                     Printable(column.name), "' of ", owner,
                                                     " contains a control character"));
    }
    absl::Status type = types == Types::kCheck ? ValidateHiveType(column.type) : absl::OkStatus();
    if (!type.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid ", kind, " type: ", Printable(column.type), " (", kind, " ",
                       Printable(column.name), " of ", owner, ": ", type.message(), ")"));
    }
    RETURN_IF_ERROR(CheckLength(column.name, max_name, [&] {
      return absl::StrCat("The name of ", kind, " '", Printable(column.name), "' of ", owner);
    }));
    RETURN_IF_ERROR(CheckLength(column.comment, kMaxCommentChars, [&] {
      return absl::StrCat("The comment of ", kind, " ", Printable(column.name), " of ", owner);
    }));
  }
  return absl::OkStatus();
}

absl::Status CheckStorage(const StorageDescriptor& sd, absl::string_view owner,
                          Types types = Types::kCheck) {
  RETURN_IF_ERROR(CheckColumns(sd.columns, "column", kMaxColumnNameChars, owner, types));
  for (const Params* params : {&sd.parameters, &sd.serde.parameters}) {
    RETURN_IF_ERROR(CheckParameterKeys(*params, kMaxParameterKeyChars, owner));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateTableFields(const Table& table) {
  if (!IsValidTableName(table.name)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Printable(table.name), " is not a valid object name"));
  }
  if (!IsValidObjectName(table.database)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Printable(table.database), " is not a valid database name"));
  }
  RETURN_IF_ERROR(CheckLength(table.name, kMaxTableNameChars,
                              [&] { return absl::StrCat("Table name ", Printable(table.name)); }));
  const std::string owner = absl::StrCat("table ", table.database, ".", table.name);
  RETURN_IF_ERROR(CheckStorage(table.sd, owner));
  RETURN_IF_ERROR(
      CheckColumns(table.partition_keys, "partition column", kMaxPartitionKeyNameChars, owner));
  for (const Column& key : table.partition_keys) {
    RETURN_IF_ERROR(CheckLength(key.type, kMaxPartitionKeyTypeChars, [&] {
      return absl::StrCat("The type of partition column ", key.name, " of ", owner);
    }));
  }
  return CheckParameterKeys(table.parameters, kMaxParameterKeyChars, owner);
}

absl::Status ValidatePartitionFields(const Table& table, const Partition& part) {
  const auto table_name = [&] { return absl::StrCat(table.database, ".", table.name); };
  for (size_t i = 0; i < part.values.size() && i < table.partition_keys.size(); ++i) {
    const std::string& value = part.values[i];
    const auto what = [&] {
      return absl::StrCat("Partition value '", Printable(value), "' for key ",
                          table.partition_keys[i].name, " of table ", table_name());
    };
    if (HasControlCharacter(value)) {
      return StoreLimit(absl::StrCat(what(), " contains a control character"));
    }
    RETURN_IF_ERROR(CheckLength(value, kMaxPartitionValueChars, what));
  }
  const std::string name = MakePartitionName(table.partition_keys, part.values);
  RETURN_IF_ERROR(CheckLength(name, kMaxPartitionNameChars, [&] {
    return absl::StrCat("Partition name '", Printable(name), "' of table ", table_name());
  }));
  if (part.sd.columns.empty() && part.parameters.empty() && part.sd.parameters.empty() &&
      part.sd.serde.parameters.empty()) {
    return absl::OkStatus();
  }
  const std::string owner = absl::StrCat("partition ", Printable(name), " of table ", table_name());
  RETURN_IF_ERROR(CheckStorage(part.sd, owner, Types::kSkip));
  return CheckParameterKeys(part.parameters, kMaxParameterKeyChars, owner);
}

absl::Status ValidateDatabaseFields(const Database& db) {
  if (!IsValidObjectName(db.name)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Printable(db.name), " is not a valid database name"));
  }
  RETURN_IF_ERROR(CheckLength(db.name, kMaxDatabaseNameChars,
                              [&] { return absl::StrCat("Database name ", Printable(db.name)); }));
  const std::string owner = absl::StrCat("database ", db.name);
  RETURN_IF_ERROR(CheckLength(db.description, kMaxCommentChars,
                              [&] { return absl::StrCat("The description of ", owner); }));
  RETURN_IF_ERROR(CheckParameterKeys(db.parameters, kMaxDatabaseParameterKeyChars, owner));
  for (const auto& param : db.parameters) {
    const std::string& key = param.first;  // clang 14 cannot capture a structured binding.
    RETURN_IF_ERROR(CheckLength(param.second, kMaxDatabaseParameterValueChars, [&] {
      return absl::StrCat("The value of parameter ", Printable(key), " of ", owner);
    }));
  }
  return absl::OkStatus();
}

absl::Status ValidateFunctionFields(const Function& fn, const MissingFunctionFields& missing) {
  if (missing.name) return NullName("Function name");
  if (missing.database) return NullName("Database name in Function");
  if (!IsValidObjectName(fn.name)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Printable(fn.name), " is not a valid object name"));
  }
  if (fn.class_name.empty()) {
    return absl::InvalidArgumentError("Function class name cannot be null");
  }
  if (missing.owner_type) return NullName("Function owner type");
  if (fn.function_type == 0) return NullName("Function type");
  if (fn.function_type != kJavaFunction) {
    return MalformedRequest(
        absl::StrCat("Function type ", fn.function_type, " is unknown: JAVA (1) is the only one"));
  }
  return CheckLength(fn.name, kMaxFunctionNameChars,
                     [&] { return absl::StrCat("Function name ", Printable(fn.name)); });
}

absl::Status NullName(absl::string_view what) {
  return MalformedRequest(absl::StrCat(what, " cannot be null"));
}

absl::Status AsAlterValidationError(absl::Status status) {
  if (!absl::IsInvalidArgument(status) || SubjectOf(status) != ErrorSubject::kNone) return status;
  return absl::FailedPreconditionError(status.message());
}

}  // namespace almanac
