// fb303, session, catalog and database calls.

#include "server/thrift/handler.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/logging.h"
#include "server/core/validation.h"
#include "server/thrift/convert.h"
#include "server/thrift/errors.h"
#include "server/thrift/wire_names.h"

namespace almanac::thrift_server {

using hive::AlreadyExistsException;
using hive::InvalidObjectException;
using hive::InvalidOperationException;
using hive::MetaException;
using hive::NoSuchObjectException;

void LogCall(const char* method, const std::string& principal, const std::string& peer,
             std::chrono::steady_clock::duration elapsed, const char* outcome,
             const std::string& detail) {
  absl::string_view error = detail;
  absl::ConsumePrefix(&error, "TException - service has thrown: ");
  LogRequest(method, principal, peer, std::chrono::duration<double, std::milli>(elapsed).count(),
             outcome, error);
}

MetastoreHandler::MetastoreHandler(CatalogService* catalog, std::shared_ptr<const ServerInfo> info,
                                   std::shared_ptr<ConnectionState> connection)
    : catalog_(catalog), info_(std::move(info)), connection_(std::move(connection)) {}

RequestContext MetastoreHandler::Context() const { return RequestContext{principal_}; }

// --- fb303 ---

void MetastoreHandler::getName(std::string& _return) { _return = "Almanac"; }
void MetastoreHandler::getVersion(std::string& _return) { _return = info_->version; }
facebook::fb303::fb_status::type MetastoreHandler::getStatus() {
  return facebook::fb303::fb_status::ALIVE;
}
void MetastoreHandler::getStatusDetails(std::string& _return) { _return = "serving"; }
int64_t MetastoreHandler::aliveSince() { return info_->started_at; }
void MetastoreHandler::getCounters(std::map<std::string, int64_t>& _return) { _return.clear(); }
int64_t MetastoreHandler::getCounter(const std::string&) { return 0; }
void MetastoreHandler::setOption(const std::string&, const std::string&) {}
void MetastoreHandler::getOption(std::string& _return, const std::string&) { _return.clear(); }
void MetastoreHandler::getOptions(std::map<std::string, std::string>& _return) { _return.clear(); }
void MetastoreHandler::getCpuProfile(std::string& _return, const int32_t) { _return.clear(); }
void MetastoreHandler::reinitialize() {}

// Java clients send this oneway call as they close; it ends this connection only.
void MetastoreHandler::shutdown() { connection_->close_requested = true; }

// --- session ---

void MetastoreHandler::set_ugi(std::vector<std::string>& _return, const std::string& user_name,
                               const std::vector<std::string>& group_names) {
  Call("set_ugi", [&] {
    principal_ = user_name;
    _return = group_names;
    _return.push_back(user_name);
  });
}

void MetastoreHandler::get_config_value(std::string& _return, const std::string& name,
                                        const std::string& defaultValue) {
  Call("get_config_value", [&] {
    const bool readable = absl::StartsWith(name, "hive") || absl::StartsWith(name, "hdfs") ||
                          absl::StartsWith(name, "mapred") || absl::StartsWith(name, "metastore");
    if (!readable) {
      hive::ConfigValSecurityException e;
      e.__set_message(
          absl::StrCat("For security reasons, the config key ", name, " cannot be accessed"));
      throw e;
    }
    if (name == "hive.metastore.warehouse.dir" || name == "metastore.warehouse.dir") {
      _return = info_->warehouse_root;
    } else if (name == "hive.metastore.try.direct.sql" || name == "metastore.try.direct.sql") {
      _return = "true";
    } else {
      _return = defaultValue;
    }
  });
}

// --- catalogs ---

void MetastoreHandler::create_catalog(const hive::CreateCatalogRequest& catalog) {
  Call("create_catalog", [&] {
    Check<AlreadyExistsException, InvalidObjectException, MetaException>(
        catalog_->CreateCatalog(Context(), ToDomain(catalog.catalog)).status());
  });
}

void MetastoreHandler::alter_catalog(const hive::AlterCatalogRequest& rqst) {
  Call("alter_catalog", [&] {
    Check<NoSuchObjectException, InvalidOperationException, MetaException>(
        catalog_->AlterCatalog(Context(), rqst.name, ToDomain(rqst.newCat)));
  });
}

void MetastoreHandler::get_catalogs(hive::GetCatalogsResponse& _return) {
  Call("get_catalogs",
       [&] { _return.__set_names(Unwrap<MetaException>(catalog_->ListCatalogs())); });
}

void MetastoreHandler::get_catalog(hive::GetCatalogResponse& _return,
                                   const hive::GetCatalogRequest& catName) {
  Call("get_catalog", [&] {
    _return.__set_catalog(
        ToWire(Unwrap<NoSuchObjectException, MetaException>(catalog_->GetCatalog(catName.name))));
  });
}

void MetastoreHandler::drop_catalog(const hive::DropCatalogRequest& catName) {
  Call("drop_catalog", [&] {
    Check<NoSuchObjectException, InvalidOperationException, MetaException>(
        catalog_->DropCatalog(Context(), catName.name));
  });
}

// --- databases ---

void MetastoreHandler::create_database(const hive::Database& database) {
  Call("create_database", [&] {
    Check<AlreadyExistsException, InvalidObjectException, MetaException>(
        catalog_->CreateDatabase(Context(), ToDomain(database)).status());
  });
}

// Hive 4 clients create databases with this call only. The request carries the fields of a
// Database under other names; those Almanac does not keep (privileges, type, connector) are
// ignored, as they are by create_database.
void MetastoreHandler::create_database_req(const hive::CreateDatabaseRequest& request) {
  Call("create_database_req", [&] {
    hive::Database database;
    database.__set_name(request.databaseName);
    if (request.__isset.description) database.__set_description(request.description);
    if (request.__isset.locationUri) database.__set_locationUri(request.locationUri);
    if (request.__isset.parameters) database.__set_parameters(request.parameters);
    if (request.__isset.ownerName) database.__set_ownerName(request.ownerName);
    if (request.__isset.ownerType) database.__set_ownerType(request.ownerType);
    if (request.__isset.catalogName) database.__set_catalogName(request.catalogName);
    if (request.__isset.managedLocationUri) {
      database.__set_managedLocationUri(request.managedLocationUri);
    }
    Check<AlreadyExistsException, InvalidObjectException, MetaException>(
        catalog_->CreateDatabase(Context(), ToDomain(database)).status());
  });
}

void MetastoreHandler::get_database(hive::Database& _return, const std::string& name) {
  Call("get_database", [&] {
    QualifiedDb db = NamedDb(name, ArgumentSent(1));
    _return = ToWire(
        Unwrap<NoSuchObjectException, MetaException>(catalog_->GetDatabase(db.catalog, db.db())));
  });
}

void MetastoreHandler::get_database_req(hive::Database& _return,
                                        const hive::GetDatabaseRequest& request) {
  Call("get_database_req", [&] {
    if (!request.__isset.name) Check<MetaException>(NullName("Database name"));
    _return = ToWire(Unwrap<NoSuchObjectException, MetaException>(catalog_->GetDatabase(
        CatalogOr(request.__isset.catalogName, request.catalogName), request.name)));
  });
}

void MetastoreHandler::get_databases(std::vector<std::string>& _return,
                                     const std::string& pattern) {
  Call("get_databases", [&] {
    auto db = Unwrap<MetaException>(ParseDbName(pattern));
    _return = Unwrap<MetaException>(catalog_->ListDatabases(db.catalog, db.db()));
  });
}

void MetastoreHandler::get_all_databases(std::vector<std::string>& _return) {
  Call("get_all_databases",
       [&] { _return = Unwrap<MetaException>(catalog_->ListDatabases(kDefaultCatalog, "")); });
}

void MetastoreHandler::alter_database(const std::string& dbname, const hive::Database& db) {
  Call("alter_database", [&] {
    QualifiedDb name = NamedDb(dbname, ArgumentSent(1));
    Check<MetaException, NoSuchObjectException>(catalog_->AlterDatabase(
        Context(), name.catalog, name.db(), ToDomain(db), db.__isset.ownerType));
  });
}

// Hive 4 clients alter databases with this call only; oldDbName is catalog-qualified.
void MetastoreHandler::alter_database_req(const hive::AlterDatabaseRequest& request) {
  Call("alter_database_req", [&] {
    QualifiedDb name = NamedDb(request.oldDbName, request.__isset.oldDbName);
    Check<MetaException, NoSuchObjectException>(
        catalog_->AlterDatabase(Context(), name.catalog, name.db(), ToDomain(request.newDb),
                                request.newDb.__isset.ownerType));
  });
}

void MetastoreHandler::drop_database(const std::string& name, const bool deleteData,
                                     const bool cascade) {
  Call("drop_database", [&] {
    QualifiedDb db = NamedDb(name, ArgumentSent(1));
    Check<NoSuchObjectException, InvalidOperationException, MetaException>(
        catalog_->DropDatabase(Context(), db.catalog, db.db(), deleteData, cascade));
  });
}

void MetastoreHandler::drop_database_req(const hive::DropDatabaseRequest& req) {
  Call("drop_database_req", [&] {
    absl::Status dropped =
        catalog_->DropDatabase(Context(), CatalogOr(req.__isset.catalogName, req.catalogName),
                               req.name, req.deleteData, req.cascade);
    if (absl::IsNotFound(dropped) && req.ignoreUnknownDb) return;
    Check<NoSuchObjectException, InvalidOperationException, MetaException>(dropped);
  });
}

}  // namespace almanac::thrift_server
