#include "server/core/constraint_rules.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/core/error_subject.h"
#include "server/core/names.h"

namespace almanac {
namespace {

bool IsKey(ConstraintKind kind) {
  return kind == ConstraintKind::kPrimaryKey || kind == ConstraintKind::kUnique ||
         kind == ConstraintKind::kForeignKey;
}

absl::Status CheckLength(const std::string& text, size_t max, absl::string_view what,
                         const ConstraintColumn& c) {
  if (text.size() <= max || CharacterCount(text) <= max) return absl::OkStatus();
  return StoreLimit(absl::StrCat("The ", what, " of a constraint on ", c.database, ".", c.table,
                                 " is longer than ", max, " characters"));
}

// Columns with one table and name: one constraint. For foreign keys the referenced table is
// part of the constraint too.
struct GroupKey {
  std::string catalog, database, table, name;
  bool operator<(const GroupKey& o) const {
    return std::tie(catalog, database, table, name) <
           std::tie(o.catalog, o.database, o.table, o.name);
  }
};

// "col:type;" for each column of a key, as HMS writes key signatures.
std::string Signature(const std::vector<std::pair<std::string, std::string>>& columns) {
  std::string out;
  for (const auto& [name, type] : columns) absl::StrAppend(&out, name, ":", type, ";");
  return out;
}

// The signature of one stored key (sorted by position) with `table`'s column types.
std::string KeySignature(std::vector<ConstraintColumn> key, const Table& table) {
  std::stable_sort(
      key.begin(), key.end(),
      [](const ConstraintColumn& a, const ConstraintColumn& b) { return a.position < b.position; });
  std::vector<std::pair<std::string, std::string>> columns;
  for (const ConstraintColumn& c : key) {
    const Column* column = FindTableColumn(table, c.column);
    columns.emplace_back(c.column, column == nullptr ? "" : column->type);
  }
  return Signature(columns);
}

// The unique keys of `uks`, each with its columns, in order of first appearance.
std::vector<std::vector<ConstraintColumn>> SplitByName(const std::vector<ConstraintColumn>& uks) {
  std::vector<std::vector<ConstraintColumn>> keys;
  std::map<std::string, size_t> index;
  for (const ConstraintColumn& c : uks) {
    auto [it, inserted] = index.emplace(c.name, keys.size());
    if (inserted) keys.emplace_back();
    keys[it->second].push_back(c);
  }
  return keys;
}

}  // namespace

const char* ConstraintKindSuffix(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kPrimaryKey:
      return "pk";
    case ConstraintKind::kForeignKey:
      return "fk";
    case ConstraintKind::kUnique:
      return "uk";
    case ConstraintKind::kNotNull:
      return "nn";
    case ConstraintKind::kDefault:
    case ConstraintKind::kCheck:
      return "dc";
  }
  return "constraint";
}

absl::Status NormalizeConstraintColumns(ConstraintKind kind, const std::string& default_catalog,
                                        std::vector<ConstraintColumn>& columns) {
  if (columns.size() > kMaxConstraintColumnsPerCall) {
    return WithSubject(absl::InvalidArgumentError(
                           absl::StrCat("A call may carry at most ", kMaxConstraintColumnsPerCall,
                                        " constraint columns; this one carries ", columns.size())),
                       ErrorSubject::kMalformedRequest);
  }
  for (ConstraintColumn& c : columns) {
    c.kind = kind;
    c.catalog = NormalizeName(c.catalog.empty() ? default_catalog : c.catalog);
    c.database = NormalizeName(c.database);
    c.table = NormalizeName(c.table);
    c.column = NormalizeName(c.column);
    c.name = NormalizeName(c.name);
    c.parent_key_name.clear();
    if (kind == ConstraintKind::kForeignKey) {
      c.parent_database = NormalizeName(c.parent_database);
      c.parent_table = NormalizeName(c.parent_table);
      c.parent_column = NormalizeName(c.parent_column);
      if (c.catalog != columns.front().catalog) {
        return absl::InvalidArgumentError("Foreign keys cannot span catalogs");
      }
    } else {
      c.parent_database.clear();
      c.parent_table.clear();
      c.parent_column.clear();
      c.update_rule = 0;
      c.delete_rule = 0;
    }
    if (!IsKey(kind)) c.position = 1;
    if (kind != ConstraintKind::kDefault && kind != ConstraintKind::kCheck) c.value.clear();
    RETURN_IF_ERROR(CheckLength(c.name, kMaxConstraintNameChars, "name", c));
    RETURN_IF_ERROR(
        CheckLength(c.value, kMaxConstraintValueChars,
                    kind == ConstraintKind::kCheck ? "check expression" : "default value", c));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::vector<ConstraintColumn>>> GroupConstraintColumns(
    std::vector<ConstraintColumn> columns) {
  std::vector<std::vector<ConstraintColumn>> groups;
  std::map<GroupKey, size_t> named;
  size_t last_unnamed = SIZE_MAX;
  for (ConstraintColumn& c : columns) {
    if (!IsKey(c.kind)) {
      groups.push_back({std::move(c)});
      continue;
    }
    size_t group;
    if (!c.name.empty()) {
      auto [it, inserted] =
          named.emplace(GroupKey{c.catalog, c.database, c.table, c.name}, groups.size());
      if (inserted) groups.emplace_back();
      group = it->second;
    } else if (c.position == 1 || last_unnamed == SIZE_MAX ||
               groups[last_unnamed].front().table != c.table ||
               groups[last_unnamed].front().database != c.database) {
      last_unnamed = groups.size();
      groups.emplace_back();
      group = last_unnamed;
    } else {
      group = last_unnamed;
    }
    for (const ConstraintColumn& other : groups[group]) {
      if (other.position == c.position) {
        return WithSubject(
            absl::InvalidArgumentError(absl::StrCat(
                "Constraint ", c.name.empty() ? "(unnamed)" : c.name, " on ", c.database, ".",
                c.table, " has two columns at position ", c.position)),
            ErrorSubject::kMalformedRequest);
      }
    }
    groups[group].push_back(std::move(c));
  }
  return groups;
}

std::string GeneratedConstraintName(const std::vector<std::string>& parts, int64_t now_ms,
                                    int attempt) {
  const std::string text = absl::StrCat("{", absl::StrJoin(parts, ","), "}");
  uint32_t hash = 0;
  for (unsigned char byte : text) hash = 31 * hash + byte;
  const uint32_t masked = hash & 0xFFFFFFFu;
  return absl::StrCat(parts.empty() ? "constraint_" : parts.back(), "_", masked, "_", now_ms, "_",
                      attempt);
}

std::vector<std::string> GeneratedNameParts(const ConstraintColumn& first) {
  const std::string suffix = ConstraintKindSuffix(first.kind);
  if (first.kind == ConstraintKind::kForeignKey) {
    return {
        first.database, first.table, first.parent_database, first.parent_table, first.parent_column,
        first.column,   suffix};
  }
  return {first.database, first.table, first.column, suffix};
}

const Column* FindTableColumn(const Table& table, const std::string& name) {
  const std::string wanted = NormalizeName(name);
  for (const std::vector<Column>* columns : {&table.sd.columns, &table.partition_keys}) {
    for (const Column& column : *columns) {
      if (NormalizeName(column.name) == wanted) return &column;
    }
  }
  return nullptr;
}

absl::Status CheckForeignKeyTarget(const std::vector<ConstraintColumn>& fk, const Table& child,
                                   const Table& parent,
                                   const std::vector<ConstraintColumn>& parent_pk,
                                   const std::vector<ConstraintColumn>& parent_uks) {
  if (parent_pk.empty() && parent_uks.empty()) {
    return absl::FailedPreconditionError(
        "Trying to define foreign key but there are no primary keys or unique keys for "
        "referenced table");
  }
  std::set<std::string> valid;
  if (!parent_pk.empty()) valid.insert(KeySignature(parent_pk, parent));
  for (const std::vector<ConstraintColumn>& uk : SplitByName(parent_uks)) {
    valid.insert(KeySignature(uk, parent));
  }
  std::vector<ConstraintColumn> ordered = fk;
  std::stable_sort(
      ordered.begin(), ordered.end(),
      [](const ConstraintColumn& a, const ConstraintColumn& b) { return a.position < b.position; });
  // HMS types both sides with the foreign key's column types.
  std::vector<std::pair<std::string, std::string>> own;
  std::vector<std::pair<std::string, std::string>> referenced;
  for (const ConstraintColumn& c : ordered) {
    const Column* column = FindTableColumn(child, c.column);
    const std::string type = column == nullptr ? "" : column->type;
    own.emplace_back(c.column, type);
    referenced.emplace_back(c.parent_column, type);
  }
  const std::string signature = Signature(referenced);
  if (!valid.contains(signature)) {
    return absl::FailedPreconditionError(
        absl::StrCat("Foreign key references ", signature,
                     " but no corresponding primary key or unique key exists. Possible keys: [",
                     absl::StrJoin(valid, ", "), "]"));
  }
  if (child.id == parent.id && Signature(own) == signature) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Cannot be both foreign key and primary/unique key on same table: ", signature));
  }
  return absl::OkStatus();
}

std::string ReferencedKeyName(const std::string& parent_column,
                              const std::vector<ConstraintColumn>& parent_pk,
                              const std::vector<ConstraintColumn>& parent_uks) {
  for (const std::vector<ConstraintColumn>* keys : {&parent_pk, &parent_uks}) {
    for (const ConstraintColumn& c : *keys) {
      if (c.column == parent_column) return c.name;
    }
  }
  return "";
}

}  // namespace almanac
