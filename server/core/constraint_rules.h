#pragma once

// HMS's rules for table constraints that need no storage: normalisation of what a client sends,
// grouping the per-column structs of one call into constraints, generated names, and which
// primary or unique key a foreign key may reference. CatalogService's constraint methods
// (constraints.cc) apply them inside their transactions.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/model.h"

namespace almanac {

// Lengths of HMS's KEY_CONSTRAINTS columns (Hive 4.0).
inline constexpr size_t kMaxConstraintNameChars = 400;   // CONSTRAINT_NAME
inline constexpr size_t kMaxConstraintValueChars = 400;  // DEFAULT_VALUE (also check expressions)
// The most constraint columns one call may carry.
inline constexpr size_t kMaxConstraintColumnsPerCall = 10000;

// HMS's word for a kind in generated names and events: "pk", "fk", "uk", "nn", "dc"; check
// constraints are named "dc" too, as HMS names them.
const char* ConstraintKindSuffix(ConstraintKind kind);

// Lower-cases the catalog (empty: `default_catalog`), database, table, column and constraint
// names of `columns`, and of the referenced table and column of foreign keys; sets the kind and,
// for not-null, default and check constraints, the position 1. Fails with InvalidArgument
// tagged kMalformedRequest for more than kMaxConstraintColumnsPerCall columns, with
// InvalidArgument "Foreign keys cannot span catalogs" when foreign keys name two catalogs, and
// with InvalidArgument tagged kStoreLimit for a name or value longer than HMS stores.
absl::Status NormalizeConstraintColumns(ConstraintKind kind, const std::string& default_catalog,
                                        std::vector<ConstraintColumn>& columns);

// Splits the normalised columns of one call into constraints, in order of first appearance.
// Primary, unique and foreign keys: columns naming the same table and constraint form one;
// unnamed columns start a constraint at position 1 and continue the last unnamed one otherwise.
// Not-null, default and check constraints have one column each. InvalidArgument tagged
// kMalformedRequest when a key repeats a position.
absl::StatusOr<std::vector<std::vector<ConstraintColumn>>> GroupConstraintColumns(
    std::vector<ConstraintColumn> columns);

// A name for an unnamed constraint, in HMS's form "<suffix>_<hash>_<millis>_<attempt>", where
// the hash is Java's String.hashCode of "{p1,p2,...}" (over its bytes), masked to 28 bits, as
// HMS hashes the names the constraint involves.
std::string GeneratedConstraintName(const std::vector<std::string>& parts, int64_t now_ms,
                                    int attempt);

// The names an unnamed constraint's generated name is derived from, as HMS chooses them.
std::vector<std::string> GeneratedNameParts(const ConstraintColumn& first);

// The column of `table` (data columns, then partition keys) named `name`, or null.
const Column* FindTableColumn(const Table& table, const std::string& name);

// Checks that the foreign key `fk` (its columns in key order) on `child` references exactly the
// primary key `parent_pk` or one of the unique keys `parent_uks` of `parent`, column for column
// with the same types. HMS's failures, as FailedPrecondition: "Trying to define foreign key but
// there are no primary keys or unique keys for referenced table", "Foreign key references
// <signature> but no corresponding primary key or unique key exists. Possible keys: [...]", and
// "Cannot be both foreign key and primary/unique key on same table: <signature>".
absl::Status CheckForeignKeyTarget(const std::vector<ConstraintColumn>& fk, const Table& child,
                                   const Table& parent,
                                   const std::vector<ConstraintColumn>& parent_pk,
                                   const std::vector<ConstraintColumn>& parent_uks);

// The name a foreign key reports as its pk_name: the primary key of the referenced table when it
// covers `parent_column`, else the first unique key that does, else "".
std::string ReferencedKeyName(const std::string& parent_column,
                              const std::vector<ConstraintColumn>& parent_pk,
                              const std::vector<ConstraintColumn>& parent_uks);

}  // namespace almanac
