#pragma once

// Catalog-qualified database names as Hive 3+ clients send them in legacy calls:
// "@<catalog>#<db>", "@<catalog>#" (every database of the catalog) and "@<catalog>#!" (the
// empty name). A name without the '@' marker belongs to the default catalog "hive".

#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace almanac::thrift_server {

struct QualifiedDb {
  std::string catalog;
  // nullopt for "@cat#" (no database given: all databases); otherwise the name (maybe empty).
  std::optional<std::string> name;

  // The database name, or "" when none was given.
  const std::string& db() const;
};

// InvalidArgument for a name with the catalog marker but no separator.
absl::StatusOr<QualifiedDb> ParseDbName(const std::string& wire_name);

// ParseDbName for a handler: a malformed name is thrown as MetaException, which every legacy
// call that takes a database name declares.
QualifiedDb Db(const std::string& wire_name);

// Db for a call about one database's objects. A Java client sends a null name as
// "@<catalog>#", which HMS parses to a null name and answers with MetaException.
QualifiedDb NamedDb(const std::string& wire_name);

// The catalog a request names in an optional field (lower-cased), or the default catalog "hive".
std::string CatalogOr(bool isset, const std::string& catalog);

}  // namespace almanac::thrift_server
