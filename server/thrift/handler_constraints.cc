// Table constraint calls.

#include <thrift/TApplicationException.h>

#include "server/core/error_subject.h"
#include "server/thrift/convert.h"
#include "server/thrift/errors.h"
#include "server/thrift/handler.h"
#include "server/thrift/wire_names.h"

namespace almanac::thrift_server {
namespace {

using hive::MetaException;
using hive::NoSuchObjectException;

// HMS raises InvalidObjectException from the add and drop calls (a missing table, column or
// constraint, a name in use), which they do not declare: Java's Thrift server answers those
// with an application error, and Hive's clients expect one. Other failures are MetaException.
void CheckChange(const absl::Status& status) {
  if (status.ok()) return;
  if ((absl::IsInvalidArgument(status) || absl::IsNotFound(status)) &&
      SubjectOf(status) == ErrorSubject::kNone) {
    throw apache::thrift::TApplicationException(
        apache::thrift::TApplicationException::INTERNAL_ERROR, std::string(status.message()));
  }
  Check<NoSuchObjectException, MetaException>(status);
}

template <typename T>
T Listed(absl::StatusOr<T> result) {
  return Unwrap<MetaException, NoSuchObjectException>(std::move(result));
}

}  // namespace

void MetastoreHandler::add_primary_key(const hive::AddPrimaryKeyRequest& req) {
  Call("add_primary_key", [&] {
    CheckChange(catalog_->AddConstraints(Context(), ConstraintKind::kPrimaryKey,
                                         ToDomain(req.primaryKeyCols)));
  });
}

void MetastoreHandler::add_foreign_key(const hive::AddForeignKeyRequest& req) {
  Call("add_foreign_key", [&] {
    CheckChange(catalog_->AddConstraints(Context(), ConstraintKind::kForeignKey,
                                         ToDomain(req.foreignKeyCols)));
  });
}

void MetastoreHandler::add_unique_constraint(const hive::AddUniqueConstraintRequest& req) {
  Call("add_unique_constraint", [&] {
    CheckChange(catalog_->AddConstraints(Context(), ConstraintKind::kUnique,
                                         ToDomain(req.uniqueConstraintCols)));
  });
}

void MetastoreHandler::add_not_null_constraint(const hive::AddNotNullConstraintRequest& req) {
  Call("add_not_null_constraint", [&] {
    CheckChange(catalog_->AddConstraints(Context(), ConstraintKind::kNotNull,
                                         ToDomain(req.notNullConstraintCols)));
  });
}

void MetastoreHandler::add_default_constraint(const hive::AddDefaultConstraintRequest& req) {
  Call("add_default_constraint", [&] {
    CheckChange(catalog_->AddConstraints(Context(), ConstraintKind::kDefault,
                                         ToDomain(req.defaultConstraintCols)));
  });
}

void MetastoreHandler::add_check_constraint(const hive::AddCheckConstraintRequest& req) {
  Call("add_check_constraint", [&] {
    CheckChange(catalog_->AddConstraints(Context(), ConstraintKind::kCheck,
                                         ToDomain(req.checkConstraintCols)));
  });
}

void MetastoreHandler::drop_constraint(const hive::DropConstraintRequest& req) {
  Call("drop_constraint", [&] {
    CheckChange(catalog_->DropConstraint(Context(), CatalogOr(req.__isset.catName, req.catName),
                                         req.dbname, req.tablename, req.constraintname));
  });
}

void MetastoreHandler::get_primary_keys(hive::PrimaryKeysResponse& _return,
                                        const hive::PrimaryKeysRequest& request) {
  Call("get_primary_keys", [&] {
    _return.__set_primaryKeys(PrimaryKeysToWire(Listed(catalog_->ListConstraints(
        ConstraintKind::kPrimaryKey, CatalogOr(request.__isset.catName, request.catName),
        request.db_name, request.tbl_name))));
  });
}

void MetastoreHandler::get_foreign_keys(hive::ForeignKeysResponse& _return,
                                        const hive::ForeignKeysRequest& request) {
  Call("get_foreign_keys", [&] {
    ForeignKeyQuery query;
    query.catalog = CatalogOr(request.__isset.catName, request.catName);
    if (request.__isset.parent_db_name) query.parent_database = request.parent_db_name;
    if (request.__isset.parent_tbl_name) query.parent_table = request.parent_tbl_name;
    if (request.__isset.foreign_db_name) query.foreign_database = request.foreign_db_name;
    if (request.__isset.foreign_tbl_name) query.foreign_table = request.foreign_tbl_name;
    _return.__set_foreignKeys(ForeignKeysToWire(Listed(catalog_->ListForeignKeys(query))));
  });
}

void MetastoreHandler::get_unique_constraints(hive::UniqueConstraintsResponse& _return,
                                              const hive::UniqueConstraintsRequest& request) {
  Call("get_unique_constraints", [&] {
    _return.__set_uniqueConstraints(UniqueConstraintsToWire(Listed(catalog_->ListConstraints(
        ConstraintKind::kUnique, CatalogOr(request.__isset.catName, request.catName),
        request.db_name, request.tbl_name))));
  });
}

void MetastoreHandler::get_not_null_constraints(hive::NotNullConstraintsResponse& _return,
                                                const hive::NotNullConstraintsRequest& request) {
  Call("get_not_null_constraints", [&] {
    _return.__set_notNullConstraints(NotNullConstraintsToWire(Listed(catalog_->ListConstraints(
        ConstraintKind::kNotNull, CatalogOr(request.__isset.catName, request.catName),
        request.db_name, request.tbl_name))));
  });
}

void MetastoreHandler::get_default_constraints(hive::DefaultConstraintsResponse& _return,
                                               const hive::DefaultConstraintsRequest& request) {
  Call("get_default_constraints", [&] {
    _return.__set_defaultConstraints(DefaultConstraintsToWire(Listed(catalog_->ListConstraints(
        ConstraintKind::kDefault, CatalogOr(request.__isset.catName, request.catName),
        request.db_name, request.tbl_name))));
  });
}

void MetastoreHandler::get_check_constraints(hive::CheckConstraintsResponse& _return,
                                             const hive::CheckConstraintsRequest& request) {
  Call("get_check_constraints", [&] {
    _return.__set_checkConstraints(CheckConstraintsToWire(Listed(catalog_->ListConstraints(
        ConstraintKind::kCheck, CatalogOr(request.__isset.catName, request.catName),
        request.db_name, request.tbl_name))));
  });
}

void MetastoreHandler::get_all_table_constraints(hive::AllTableConstraintsResponse& _return,
                                                 const hive::AllTableConstraintsRequest& request) {
  Call("get_all_table_constraints", [&] {
    _return.__set_allTableConstraints(ToWire(Listed(catalog_->ListAllConstraints(
        CatalogOr(request.__isset.catName, request.catName), request.dbName, request.tblName))));
  });
}

}  // namespace almanac::thrift_server
