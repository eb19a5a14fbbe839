#include "server/thrift/wire_names.h"

#include "absl/strings/str_cat.h"
#include "server/core/names.h"
#include "server/thrift/errors.h"
#include "storage/model.h"

namespace almanac::thrift_server {

const std::string& QualifiedDb::db() const {
  static const std::string* const kEmpty = new std::string();
  return name ? *name : *kEmpty;
}

absl::StatusOr<QualifiedDb> ParseDbName(const std::string& wire_name) {
  QualifiedDb out;
  if (wire_name.empty() || wire_name[0] != '@') {
    out.catalog = kDefaultCatalog;
    out.name = NormalizeName(wire_name);
    return out;
  }
  size_t separator = wire_name.find('#');
  if (separator == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(wire_name, " is prepended with the catalog marker but does not appear to ",
                     "have a catalog separator"));
  }
  out.catalog = NormalizeName(wire_name.substr(1, separator - 1));
  std::string rest = wire_name.substr(separator + 1);
  if (rest == "!") {
    out.name = "";
  } else if (!rest.empty()) {
    out.name = NormalizeName(rest);
  }
  return out;
}

QualifiedDb Db(const std::string& wire_name) {
  return Unwrap<::Apache::Hadoop::Hive::MetaException>(ParseDbName(wire_name));
}

QualifiedDb NamedDb(const std::string& wire_name) {
  QualifiedDb db = Db(wire_name);
  if (!db.name) {
    Check<::Apache::Hadoop::Hive::MetaException>(
        absl::InvalidArgumentError("the database name is null"));
  }
  return db;
}

std::string CatalogOr(bool isset, const std::string& catalog) {
  return isset && !catalog.empty() ? NormalizeName(catalog) : kDefaultCatalog;
}

}  // namespace almanac::thrift_server
