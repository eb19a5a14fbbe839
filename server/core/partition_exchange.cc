// Exchanging partitions between tables (HMS's exchange_partition(s)).
//
// The partitions move in one write transaction: added to the destination table at their default
// location there, dropped from the source table, with one event for each side. Their data moves
// as HMS moves it, as one directory: <source location>/<spec> becomes
// <destination location>/<spec>, where <spec> is the partition name made of the keys the spec
// sets. That rename runs inside the transaction, after every check and every catalog change has
// succeeded, as its last step: if it fails the transaction rolls back and nothing has changed;
// if the commit fails after it, the directory is renamed back. The one window left is a crash
// between the rename and the commit, which leaves the data under the destination while the
// catalog still lists the partitions under the source; renaming after the commit instead would
// leave the catalog pointing at data that is not there, and could not report a failed rename
// to the caller.
//
// Rules beyond HMS's, where HMS would corrupt the catalog or fail late:
//  - The keys the spec sets must be leading keys: HMS would look for a directory such as
//    "year=2017/day=22" that no partition is stored in.
//  - Every partition to move must be stored at its default location under the source table,
//    since only that directory moves.
//  - The destination directory must not exist yet: a rename onto an existing directory would
//    nest the data one level too deep.
//  - Local data the server may not touch (outside the allowed roots, LocationGuard) refuses
//    the exchange; data at another scheme (hdfs:, s3a:, ...) stays where it is, as for a rename.

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/error_subject.h"
#include "server/core/location_guard.h"
#include "server/core/locations.h"
#include "server/core/names.h"
#include "storage/partition_name.h"

namespace almanac {
namespace {

std::string Qualified(const Table& t) {
  return absl::StrCat(t.catalog, ".", t.database, ".", t.name);
}

std::string DescribeSpec(const std::map<std::string, std::string>& spec) {
  std::vector<std::string> entries;
  for (const auto& [key, value] : spec) entries.push_back(absl::StrCat(key, "=", value));
  return absl::StrCat("{", absl::StrJoin(entries, ", "), "}");
}

// One value per partition key of `table` ("" where the spec sets none); keys of the spec that
// are not partition keys are ignored, as HMS ignores them. The set keys must be leading keys.
absl::StatusOr<std::vector<std::string>> SpecValues(
    const Table& table, const std::map<std::string, std::string>& spec) {
  std::map<std::string, std::string> normalized;
  for (const auto& [key, value] : spec) normalized[NormalizeName(key)] = value;
  std::vector<std::string> values;
  std::vector<std::string> keys;
  for (const Column& key : table.partition_keys) {
    auto it = normalized.find(key.name);
    values.push_back(it == normalized.end() ? "" : it->second);
    keys.push_back(key.name);
  }
  if (std::all_of(values.begin(), values.end(), [](const std::string& v) { return v.empty(); })) {
    return MalformedRequest(absl::StrCat("Invalid partition key & values; keys [",
                                         absl::StrJoin(keys, ", "), "], values [",
                                         absl::StrJoin(values, ", "), "]"));
  }
  size_t leading = 0;
  while (leading < values.size() && !values[leading].empty()) ++leading;
  for (size_t i = leading; i < values.size(); ++i) {
    if (!values[i].empty()) {
      return MalformedRequest(absl::StrCat(
          "The partition spec ", DescribeSpec(spec), " sets ", keys[i], " but not ", keys[leading],
          ": an exchange moves the partitions under leading keys only"));
    }
  }
  return values;
}

// Hive's compareFieldColumns: same names and types in the same order; comments do not count.
bool SameColumns(const std::vector<Column>& a, const std::vector<Column>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].type != b[i].type) return false;
  }
  return true;
}

// Renames the exchanged directory through `guard`. Sets `*moved` when a local directory was
// renamed. Data at another scheme (hdfs:, s3a:, ...) is left alone and logged, as for a rename;
// local data the server may not move (outside the allowed roots) refuses the exchange, since the
// catalog would otherwise point at directories that hold nothing.
absl::Status MoveExchangedData(const LocationGuard& guard, const std::string& from,
                               const std::string& to, bool* moved) {
  using Kind = LocationGuard::Target::Kind;
  *moved = false;
  const LocationGuard::Target src = guard.Check(from, LocationGuard::LastLink::kKeep);
  const LocationGuard::Target dst = guard.Check(to, LocationGuard::LastLink::kKeep);
  if (src.kind == Kind::kForeign && dst.kind == Kind::kForeign) return guard.Move(from, to);
  for (const LocationGuard::Target* end : {&src, &dst}) {
    if (end->kind != Kind::kAllowed || end->is_root) {
      return absl::FailedPreconditionError(absl::StrCat(
          "Cannot exchange partitions: their data may not be moved from ", from, " to ", to, ": ",
          end->kind == Kind::kAllowed ? "it is an allowed root" : end->reason));
    }
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(src.path, ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat("Cannot exchange partitions: their data directory ", from, " does not exist"));
  }
  RETURN_IF_ERROR(guard.Move(from, to));
  *moved = true;
  return absl::OkStatus();
}

absl::StatusOr<Table> ExchangeTable(WriteTxn& txn, const TableRef& ref, const char* role) {
  absl::StatusOr<Table> table =
      txn.GetTable(ref.catalog, NormalizeName(ref.database), NormalizeName(ref.table));
  if (absl::IsNotFound(table.status())) {
    return absl::NotFoundError(absl::StrCat("The ", role, " table ", ref.catalog, ".",
                                            NormalizeName(ref.database), ".",
                                            NormalizeName(ref.table), " not found"));
  }
  return table;
}

}  // namespace

absl::StatusOr<std::vector<Partition>> CatalogService::ExchangePartitions(
    const RequestContext& ctx, const std::map<std::string, std::string>& spec,
    const TableRef& source, const TableRef& dest) {
  if (source.catalog != dest.catalog) {
    return MalformedRequest("You cannot move a partition across catalogs");
  }
  std::vector<Partition> exchanged;
  std::string data_from, data_to;
  bool data_moved = false;
  absl::Status written = store_->Write([&](WriteTxn& txn) -> absl::Status {
    exchanged.clear();
    data_moved = false;
    ASSIGN_OR_RETURN(Table dst, ExchangeTable(txn, dest, "destination"));
    ASSIGN_OR_RETURN(Table src, ExchangeTable(txn, source, "source"));
    ASSIGN_OR_RETURN(std::vector<std::string> values, SpecValues(src, spec));
    PartitionSelector selector;
    selector.partial_values = values;
    FilterNodePtr filter;  // The query points into it.
    PartitionQuery query;
    RETURN_IF_ERROR(BuildQuery(src, selector, &filter, &query));
    std::vector<Partition> parts;
    RETURN_IF_ERROR(txn.ListPartitions(src, query, [&](Partition&& p) {
      parts.push_back(std::move(p));
      return true;
    }));
    if (parts.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("No partition is found with the values ",
                                                     DescribeSpec(spec), " for the table ",
                                                     src.name));
    }
    if (!SameColumns(src.sd.columns, dst.sd.columns) ||
        !SameColumns(src.partition_keys, dst.partition_keys)) {
      return absl::FailedPreconditionError(
          "The tables have different schemas. Their partitions cannot be exchanged.");
    }
    if (src.sd.location.empty() || dst.sd.location.empty()) {
      return absl::FailedPreconditionError(absl::StrCat("Cannot exchange partitions between ",
                                                        Qualified(src), " and ", Qualified(dst),
                                                        ": both tables need a location"));
    }
    for (const Partition& part : parts) {
      const std::string name = MakePartitionName(src.partition_keys, part.values);
      absl::StatusOr<Partition> clash = txn.GetPartition(dst, part.values);
      if (clash.ok()) {
        return absl::FailedPreconditionError(
            absl::StrCat("The partition ", name, " already exists in the table ", dst.name));
      }
      if (!absl::IsNotFound(clash.status())) return clash.status();
      if (part.sd.location != JoinLocation(src.sd.location, name)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "Cannot exchange partition ", name, " of ", Qualified(src), ": it is stored at ",
            part.sd.location, ", not under the table's location ", src.sd.location));
      }
      Partition moved = part;
      moved.catalog = dst.catalog;
      moved.database = dst.database;
      moved.table = dst.name;
      moved.sd.location = JoinLocation(dst.sd.location, name);
      exchanged.push_back(std::move(moved));
    }
    RETURN_IF_ERROR(txn.AddPartitions(dst, exchanged));
    for (const Partition& part : parts) RETURN_IF_ERROR(txn.DeletePartition(src, part.values));
    const std::string detail = absl::StrCat(parts.size(), " partition(s) exchanged from ",
                                            Qualified(src), " to ", Qualified(dst));
    RETURN_IF_ERROR(
        RecordEvent(txn, ctx, "ADD_PARTITION", dst.catalog, dst.database, dst.name, detail)
            .status());
    RETURN_IF_ERROR(
        RecordEvent(txn, ctx, "DROP_PARTITION", src.catalog, src.database, src.name, detail)
            .status());
    std::vector<std::string> set_values;
    for (const std::string& v : values) {
      if (!v.empty()) set_values.push_back(v);
    }
    const std::string spec_dir = MakePartitionName(src.partition_keys, set_values);
    data_from = JoinLocation(src.sd.location, spec_dir);
    data_to = JoinLocation(dst.sd.location, spec_dir);
    return MoveExchangedData(guard_, data_from, data_to, &data_moved);
  });
  if (!written.ok()) {
    if (data_moved) {
      absl::Status undone = guard_.Move(data_to, data_from);
      if (!undone.ok()) {
        LogWarning("exchanged partition data was not moved back after a failed commit",
                   {{"from", data_to}, {"to", data_from}, {"error", undone.ToString()}});
      }
    }
    return written;
  }
  return exchanged;
}

}  // namespace almanac
