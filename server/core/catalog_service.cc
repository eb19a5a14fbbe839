#include "server/core/catalog_service.h"

#include <ctime>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/directory_listings.h"
#include "server/core/locations.h"
#include "server/core/names.h"

namespace almanac {

namespace {

std::vector<std::string> AllowedRoots(const CatalogOptions& options) {
  std::vector<std::string> roots = {options.warehouse_root};
  roots.insert(roots.end(), options.allowed_roots.begin(), options.allowed_roots.end());
  // The warehouse may be remote (hdfs:, s3a:): then only the configured roots are local.
  std::erase_if(roots, [](const std::string& root) {
    return ParseLocation(root).kind == ParsedLocation::Kind::kForeign;
  });
  return roots;
}

}  // namespace

CatalogService::CatalogService(Store* store, CatalogOptions options, Clock clock)
    : store_(store),
      options_(std::move(options)),
      guard_(AllowedRoots(options_), options_.trash_dir),
      clock_(std::move(clock)),
      scheduled_queries_(store, [this] { return Now(); }),
      query_metrics_(store, [this] { return Now(); }) {
  options_.warehouse_root = NormalizeLocation(options_.warehouse_root);
}

DirectoryListings CatalogService::NewListings() const {
  return DirectoryListings(&guard_, options_.quick_stats_max_entries,
                           absl::Milliseconds(options_.quick_stats_timeout_ms));
}

int64_t CatalogService::Now() const {
  return clock_ ? clock_() : static_cast<int64_t>(std::time(nullptr));
}

absl::StatusOr<int64_t> CatalogService::RecordEvent(WriteTxn& txn, const RequestContext& ctx,
                                                    const std::string& type,
                                                    const std::string& catalog,
                                                    const std::string& db, const std::string& table,
                                                    const std::string& detail) {
  Event event;
  event.time = Now();
  event.type = type;
  event.catalog = catalog;
  event.database = db;
  event.table = table;
  event.principal = ctx.principal;
  event.detail = detail;
  return txn.AppendEvent(event);
}

absl::Status CatalogService::RecordTableChange(WriteTxn& txn, const RequestContext& ctx,
                                               const std::string& event_type,
                                               const std::string& operation, const Table& table) {
  ASSIGN_OR_RETURN(int64_t event_id, RecordEvent(txn, ctx, event_type, table.catalog,
                                                 table.database, table.name, operation));
  TableVersion version;
  version.time = Now();
  version.principal = ctx.principal;
  version.operation = operation;
  version.event_id = event_id;
  version.definition = table;
  return txn.AppendTableVersion(table.id, version).status();
}

absl::StatusOr<Table> CatalogService::ReadTable(ReadView& view, const std::string& catalog_in,
                                                const std::string& db, const std::string& name) {
  const std::string catalog = NormalizeName(catalog_in);
  absl::StatusOr<Table> table = view.GetTable(catalog, db, name);
  if (absl::IsNotFound(table.status())) {
    return absl::NotFoundError(absl::StrCat(catalog, ".", db, ".", name, " table not found"));
  }
  return table;
}

}  // namespace almanac
