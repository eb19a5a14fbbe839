// Table constraints: add, list and drop, with HMS's checks (server/core/constraint_rules.h).

#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/constraint_rules.h"
#include "server/core/error_subject.h"
#include "server/core/names.h"

namespace almanac {
namespace {

// How often HMS tries a generated name before it gives up.
constexpr int kNameAttempts = 10;

// The table, or nullopt when its catalog, database or the table itself does not exist.
absl::StatusOr<std::optional<Table>> FindTable(ReadView& view, const std::string& catalog,
                                               const std::string& db, const std::string& name) {
  absl::StatusOr<Table> table = view.GetTable(catalog, db, name);
  if (absl::IsNotFound(table.status())) return std::nullopt;
  RETURN_IF_ERROR(table.status());
  return *std::move(table);
}

// The tables one call looks up, by (catalog, database, name), each read once.
class TableCache {
 public:
  // Null when the table does not exist.
  absl::StatusOr<const Table*> Find(ReadView& view, const std::string& catalog,
                                    const std::string& db, const std::string& name) {
    auto key = std::make_tuple(catalog, db, name);
    auto it = tables_.find(key);
    if (it == tables_.end()) {
      ASSIGN_OR_RETURN(std::optional<Table> table, FindTable(view, catalog, db, name));
      it = tables_.emplace(std::move(key), std::move(table)).first;
    }
    return it->second.has_value() ? &*it->second : nullptr;
  }

 private:
  std::map<std::tuple<std::string, std::string, std::string>, std::optional<Table>> tables_;
};

std::string NameOf(const Table& table) { return absl::StrCat(table.database, ".", table.name); }

absl::StatusOr<std::vector<ConstraintColumn>> KeysOf(ReadView& view, ConstraintKind kind,
                                                     int64_t table_id) {
  return view.ListConstraints({.kind = kind, .table_id = table_id});
}

// Sets parent_key_name on each foreign key of `columns` from the referenced table's keys.
absl::Status FillReferencedKeyNames(ReadView& view, std::vector<ConstraintColumn>& columns) {
  TableCache tables;
  for (ConstraintColumn& c : columns) {
    if (c.kind != ConstraintKind::kForeignKey) continue;
    ASSIGN_OR_RETURN(const Table* parent,
                     tables.Find(view, c.catalog, c.parent_database, c.parent_table));
    if (parent == nullptr) continue;
    ASSIGN_OR_RETURN(std::vector<ConstraintColumn> pk,
                     KeysOf(view, ConstraintKind::kPrimaryKey, parent->id));
    ASSIGN_OR_RETURN(std::vector<ConstraintColumn> uks,
                     KeysOf(view, ConstraintKind::kUnique, parent->id));
    c.parent_key_name = ReferencedKeyName(c.parent_column, pk, uks);
  }
  return absl::OkStatus();
}

// InvalidArgument "Constraint name already exists: ..." if `name` is in use on `table`.
absl::Status CheckNameFree(WriteTxn& txn, const Table& table, const std::string& name) {
  ASSIGN_OR_RETURN(const bool taken, txn.ConstraintNameInUse(table.id, name));
  if (!taken) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("Constraint name already exists: ", NameOf(table), ".", name));
}

// The name of `group`: the one it carries (checked to be free on `table` and `parent`), or a
// generated one.
absl::StatusOr<std::string> ChooseName(WriteTxn& txn, const std::vector<ConstraintColumn>& group,
                                       const Table& table, const Table* parent, int64_t now_ms) {
  const ConstraintColumn& first = group.front();
  if (!first.name.empty()) {
    if (parent != nullptr) RETURN_IF_ERROR(CheckNameFree(txn, *parent, first.name));
    RETURN_IF_ERROR(CheckNameFree(txn, table, first.name));
    return first.name;
  }
  const std::vector<std::string> parts = GeneratedNameParts(first);
  for (int attempt = 0; attempt < kNameAttempts; ++attempt) {
    std::string name = GeneratedConstraintName(parts, now_ms, attempt);
    ASSIGN_OR_RETURN(bool taken, txn.ConstraintNameInUse(table.id, name));
    if (!taken && parent != nullptr) {
      ASSIGN_OR_RETURN(taken, txn.ConstraintNameInUse(parent->id, name));
    }
    if (!taken) return name;
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "Error while trying to generate the constraint name for ", first.database, ".", first.table));
}

// Checks that every column `group` names exists: the columns of keys and not-null constraints on
// `table`, and the referenced columns of a foreign key on `parent`.
absl::Status CheckColumns(const std::vector<ConstraintColumn>& group, const Table& table,
                          const Table* parent) {
  const ConstraintKind kind = group.front().kind;
  if (kind == ConstraintKind::kDefault || kind == ConstraintKind::kCheck) return absl::OkStatus();
  for (const ConstraintColumn& c : group) {
    if (FindTableColumn(table, c.column) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(parent != nullptr ? "Child" : "Parent", " column not found: ", c.column));
    }
    if (parent != nullptr && FindTableColumn(*parent, c.parent_column) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("Parent column not found: ", c.parent_column));
    }
  }
  return absl::OkStatus();
}

// The referenced table of a foreign key; every column must name the same one.
absl::StatusOr<const Table*> FindReferencedTable(WriteTxn& txn, TableCache& tables,
                                                 const std::vector<ConstraintColumn>& group) {
  const ConstraintColumn& first = group.front();
  for (const ConstraintColumn& c : group) {
    if (c.parent_database != first.parent_database || c.parent_table != first.parent_table) {
      return WithSubject(
          absl::InvalidArgumentError(absl::StrCat(
              "Foreign key ", first.name, " references two tables: ", first.parent_database, ".",
              first.parent_table, " and ", c.parent_database, ".", c.parent_table)),
          ErrorSubject::kMalformedRequest);
    }
  }
  ASSIGN_OR_RETURN(const Table* parent,
                   tables.Find(txn, first.catalog, first.parent_database, first.parent_table));
  if (parent == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("Parent table not found: ", first.parent_table));
  }
  return parent;
}

// Checks one constraint of a call against the catalog and stores it. Returns the table it is on.
absl::StatusOr<const Table*> AddOne(WriteTxn& txn, TableCache& tables,
                                    std::vector<ConstraintColumn>& group, int64_t now_ms) {
  const ConstraintColumn& first = group.front();
  const bool foreign = first.kind == ConstraintKind::kForeignKey;
  ASSIGN_OR_RETURN(const Table* table,
                   tables.Find(txn, first.catalog, first.database, first.table));
  if (table == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(foreign ? "Child" : "Parent", " table not found: ", first.table));
  }
  const Table* parent = nullptr;
  if (foreign) {
    ASSIGN_OR_RETURN(parent, FindReferencedTable(txn, tables, group));
    ASSIGN_OR_RETURN(std::vector<ConstraintColumn> pk,
                     KeysOf(txn, ConstraintKind::kPrimaryKey, parent->id));
    ASSIGN_OR_RETURN(std::vector<ConstraintColumn> uks,
                     KeysOf(txn, ConstraintKind::kUnique, parent->id));
    RETURN_IF_ERROR(CheckColumns(group, *table, parent));
    RETURN_IF_ERROR(CheckForeignKeyTarget(group, *table, *parent, pk, uks));
  } else {
    RETURN_IF_ERROR(CheckColumns(group, *table, nullptr));
  }
  if (first.kind == ConstraintKind::kPrimaryKey) {
    ASSIGN_OR_RETURN(std::vector<ConstraintColumn> pk,
                     KeysOf(txn, ConstraintKind::kPrimaryKey, table->id));
    if (!pk.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("Primary key already exists for: ", table->catalog, ".", NameOf(*table)));
    }
  }
  ASSIGN_OR_RETURN(const std::string name, ChooseName(txn, group, *table, parent, now_ms));
  for (ConstraintColumn& c : group) c.name = name;
  RETURN_IF_ERROR(txn.AddConstraint(table->id, parent == nullptr ? 0 : parent->id, group));
  return table;
}

const char* AddEventType(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kPrimaryKey:
      return "ADD_PRIMARYKEY";
    case ConstraintKind::kForeignKey:
      return "ADD_FOREIGNKEY";
    case ConstraintKind::kUnique:
      return "ADD_UNIQUECONSTRAINT";
    case ConstraintKind::kNotNull:
      return "ADD_NOTNULLCONSTRAINT";
    case ConstraintKind::kDefault:
      return "ADD_DEFAULTCONSTRAINT";
    case ConstraintKind::kCheck:
      return "ADD_CHECKCONSTRAINT";
  }
  return "ADD_CONSTRAINT";
}

}  // namespace

absl::Status CatalogService::AddConstraintsInTxn(WriteTxn& txn, const RequestContext& ctx,
                                                 ConstraintKind kind,
                                                 const std::string& default_catalog,
                                                 std::vector<ConstraintColumn> columns) {
  if (columns.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(NormalizeConstraintColumns(kind, default_catalog, columns));
  ASSIGN_OR_RETURN(std::vector<std::vector<ConstraintColumn>> groups,
                   GroupConstraintColumns(std::move(columns)));
  TableCache tables;
  const int64_t now_ms = NowMillis();
  for (std::vector<ConstraintColumn>& group : groups) {
    ASSIGN_OR_RETURN(const Table* table, AddOne(txn, tables, group, now_ms));
    RETURN_IF_ERROR(RecordEvent(txn, ctx, AddEventType(kind), table->catalog, table->database,
                                table->name, group.front().name)
                        .status());
  }
  return absl::OkStatus();
}

absl::Status CatalogService::AddTableConstraintsInTxn(WriteTxn& txn, const RequestContext& ctx,
                                                      const std::string& default_catalog,
                                                      const TableConstraints& constraints) {
  const std::pair<ConstraintKind, const std::vector<ConstraintColumn>*> kinds[] = {
      {ConstraintKind::kPrimaryKey, &constraints.primary_keys},
      {ConstraintKind::kUnique, &constraints.unique_constraints},
      {ConstraintKind::kForeignKey, &constraints.foreign_keys},
      {ConstraintKind::kNotNull, &constraints.not_null_constraints},
      {ConstraintKind::kDefault, &constraints.default_constraints},
      {ConstraintKind::kCheck, &constraints.check_constraints},
  };
  for (const auto& [kind, columns] : kinds) {
    RETURN_IF_ERROR(AddConstraintsInTxn(txn, ctx, kind, default_catalog, *columns));
  }
  return absl::OkStatus();
}

absl::Status CatalogService::AddConstraints(const RequestContext& ctx, ConstraintKind kind,
                                            std::vector<ConstraintColumn> columns) {
  return store_->Write([&](WriteTxn& txn) {
    return AddConstraintsInTxn(txn, ctx, kind, kDefaultCatalog, std::move(columns));
  });
}

absl::StatusOr<std::vector<ConstraintColumn>> CatalogService::ListConstraints(
    ConstraintKind kind, const std::string& catalog, const std::string& db,
    const std::string& table) {
  std::vector<ConstraintColumn> result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<Table> found,
                     FindTable(view, NormalizeName(catalog.empty() ? kDefaultCatalog : catalog),
                               NormalizeName(db), NormalizeName(table)));
    if (!found.has_value()) return absl::OkStatus();
    ASSIGN_OR_RETURN(result, KeysOf(view, kind, found->id));
    return FillReferencedKeyNames(view, result);
  }));
  return result;
}

absl::StatusOr<std::vector<ConstraintColumn>> CatalogService::ListForeignKeys(
    const ForeignKeyQuery& query) {
  if (!query.foreign_table.has_value() && !query.parent_table.has_value()) {
    return WithSubject(absl::InvalidArgumentError(
                           "A foreign key request must name the foreign table or the parent table"),
                       ErrorSubject::kMalformedRequest);
  }
  const std::string catalog =
      NormalizeName(query.catalog.empty() ? kDefaultCatalog : query.catalog);
  const auto normalized = [](const std::optional<std::string>& name) {
    return NormalizeName(name.value_or(""));
  };
  std::vector<ConstraintColumn> result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ConstraintFilter filter{.kind = ConstraintKind::kForeignKey};
    if (query.foreign_table.has_value()) {
      ASSIGN_OR_RETURN(std::optional<Table> table,
                       FindTable(view, catalog, normalized(query.foreign_database),
                                 normalized(query.foreign_table)));
      if (!table.has_value()) return absl::OkStatus();
      filter.table_id = table->id;
    }
    if (query.parent_table.has_value()) {
      ASSIGN_OR_RETURN(std::optional<Table> parent,
                       FindTable(view, catalog, normalized(query.parent_database),
                                 normalized(query.parent_table)));
      if (!parent.has_value()) return absl::OkStatus();
      filter.parent_table_id = parent->id;
    }
    ASSIGN_OR_RETURN(std::vector<ConstraintColumn> keys, view.ListConstraints(filter));
    for (ConstraintColumn& c : keys) {
      // A database named without its table still filters.
      if (query.parent_database.has_value() &&
          c.parent_database != normalized(query.parent_database)) {
        continue;
      }
      if (query.foreign_database.has_value() && c.database != normalized(query.foreign_database)) {
        continue;
      }
      result.push_back(std::move(c));
    }
    return FillReferencedKeyNames(view, result);
  }));
  return result;
}

absl::StatusOr<TableConstraints> CatalogService::ListAllConstraints(const std::string& catalog,
                                                                    const std::string& db,
                                                                    const std::string& table) {
  TableConstraints result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<Table> found,
                     FindTable(view, NormalizeName(catalog.empty() ? kDefaultCatalog : catalog),
                               NormalizeName(db), NormalizeName(table)));
    if (!found.has_value()) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::vector<ConstraintColumn> all,
                     view.ListConstraints({.kind = std::nullopt, .table_id = found->id}));
    RETURN_IF_ERROR(FillReferencedKeyNames(view, all));
    for (ConstraintColumn& c : all) {
      std::vector<ConstraintColumn>* out = nullptr;
      switch (c.kind) {
        case ConstraintKind::kPrimaryKey:
          out = &result.primary_keys;
          break;
        case ConstraintKind::kForeignKey:
          out = &result.foreign_keys;
          break;
        case ConstraintKind::kUnique:
          out = &result.unique_constraints;
          break;
        case ConstraintKind::kNotNull:
          out = &result.not_null_constraints;
          break;
        case ConstraintKind::kDefault:
          out = &result.default_constraints;
          break;
        case ConstraintKind::kCheck:
          out = &result.check_constraints;
          break;
      }
      if (out != nullptr) out->push_back(std::move(c));
    }
    return absl::OkStatus();
  }));
  return result;
}

absl::Status CatalogService::DropConstraint(const RequestContext& ctx, const std::string& catalog,
                                            const std::string& db, const std::string& table,
                                            const std::string& name) {
  const std::string cat = NormalizeName(catalog.empty() ? kDefaultCatalog : catalog);
  const std::string db_name = NormalizeName(db);
  const std::string table_name = NormalizeName(table);
  const std::string constraint = NormalizeName(name);
  const absl::Status missing = absl::NotFoundError(
      absl::StrCat("The constraint: ", constraint,
                   " does not exist for the associated table: ", db_name, ".", table_name));
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(std::optional<Table> found, FindTable(txn, cat, db_name, table_name));
    if (!found.has_value()) return missing;
    ASSIGN_OR_RETURN(const int64_t deleted, txn.DeleteConstraint(found->id, constraint));
    if (deleted == 0) return missing;
    return RecordEvent(txn, ctx, "DROP_CONSTRAINT", cat, db_name, table_name, constraint).status();
  });
}

}  // namespace almanac
