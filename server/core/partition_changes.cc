// Partition changes after creation: alter, rename and drop.

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/directory_listings.h"
#include "server/core/error_subject.h"
#include "server/core/locations.h"
#include "server/core/names.h"
#include "server/core/quick_stats.h"
#include "server/core/table_rules.h"
#include "server/core/validation.h"
#include "storage/partition_name.h"

namespace almanac {
namespace {

std::string ValuesText(const std::vector<std::string>& values) {
  return absl::StrCat("[", absl::StrJoin(values, ", "), "]");
}

}  // namespace

absl::Status CatalogService::CheckSameTable(const Table& table, const Partition& part) {
  const bool same_catalog = part.catalog.empty() || NormalizeName(part.catalog) == table.catalog;
  if (same_catalog && NormalizeName(part.database) == table.database &&
      NormalizeName(part.table) == table.name) {
    return absl::OkStatus();
  }
  return WithSubject(absl::InvalidArgumentError(absl::StrCat(
                         "Partition ", ValuesText(part.values), " names the table '", part.database,
                         ".", part.table, "', not ", table.database, ".", table.name,
                         ": a partition cannot be moved to another table or database by an alter")),
                     ErrorSubject::kMalformedRequest);
}

void CatalogService::PrepareAlteredPartition(const Table& table, const Partition& old,
                                             Partition& part, int64_t now,
                                             const EnvironmentProperties& environment,
                                             DirectoryListings& listings) {
  part.catalog = table.catalog;
  part.database = table.database;
  part.table = table.name;
  // HMS stores the createTime the client sends, like the rest of the definition.
  if (part.sd.location.empty()) part.sd.location = old.sd.location;
  part.sd.location = NormalizeLocation(part.sd.location);
  auto ddl = part.parameters.find(kDdlTimeKey);
  if (ddl == part.parameters.end() || ddl->second == "0") {
    part.parameters[kDdlTimeKey] = std::to_string(now);
  }
  ApplyAlterPartitionStats(table, old, part, environment, listings);
}

absl::Status CatalogService::AlterPartitions(const RequestContext& ctx, const std::string& catalog,
                                             const std::string& db, const std::string& table_name,
                                             std::vector<Partition> parts,
                                             const EnvironmentProperties& environment) {
  const int64_t now = Now();
  // Recounts list the directories before the write transaction, for drafts of the partitions.
  DirectoryListings listings = NewListings();
  Table stored;
  std::vector<std::pair<Partition, Partition>> drafts;  // (stored, altered)
  absl::Status read = store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(stored, view.GetTable(catalog, NormalizeName(db), NormalizeName(table_name)));
    for (const Partition& part : parts) {
      absl::StatusOr<Partition> old = view.GetPartition(stored, part.values);
      if (old.ok()) drafts.emplace_back(*std::move(old), part);
    }
    return absl::OkStatus();
  });
  if (read.ok()) {
    for (auto& [old, draft] : drafts) {
      PrepareAlteredPartition(stored, old, draft, now, environment, listings);
    }
  }
  listings.Freeze();
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Table> table =
        txn.GetTable(catalog, NormalizeName(db), NormalizeName(table_name));
    if (absl::IsNotFound(table.status())) {
      return absl::FailedPreconditionError(
          absl::StrCat("alter is not possible: table ", catalog, ".", NormalizeName(db), ".",
                       NormalizeName(table_name), " does not exist"));
    }
    RETURN_IF_ERROR(table.status());
    for (Partition& part : parts) {
      absl::StatusOr<Partition> old = txn.GetPartition(*table, part.values);
      if (absl::IsNotFound(old.status())) {
        return absl::FailedPreconditionError(
            absl::StrCat("alter is not possible: partition ", ValuesText(part.values), " of table ",
                         table->database, ".", table->name, " does not exist"));
      }
      RETURN_IF_ERROR(old.status());
      RETURN_IF_ERROR(CheckSameTable(*table, part));
      RETURN_IF_ERROR(AsAlterValidationError(ValidatePartitionFields(*table, part)));
      PrepareAlteredPartition(*table, *old, part, now, environment, listings);
      RETURN_IF_ERROR(txn.UpdatePartition(*table, part.values, part));
    }
    return RecordEvent(txn, ctx, "ALTER_PARTITION", table->catalog, table->database, table->name,
                       absl::StrCat(parts.size(), " partition(s)"))
        .status();
  });
}

absl::Status CatalogService::RenamePartition(const RequestContext& ctx, const std::string& catalog,
                                             const std::string& db, const std::string& table_name,
                                             const std::vector<std::string>& old_values,
                                             Partition new_part) {
  if (old_values.empty()) {
    return AlterPartitions(ctx, catalog, db, table_name, {std::move(new_part)});
  }
  // The recount lists the partition's current directory before the write transaction.
  DirectoryListings listings = NewListings();
  Table stored;
  Partition stored_part;
  absl::Status read = store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(stored, view.GetTable(catalog, NormalizeName(db), NormalizeName(table_name)));
    ASSIGN_OR_RETURN(stored_part, view.GetPartition(stored, old_values));
    return absl::OkStatus();
  });
  if (read.ok()) {
    Partition draft = new_part;
    ApplyRenamePartitionStats(stored, stored_part, draft, stored_part.sd.location, listings);
  }
  listings.Freeze();
  std::optional<std::pair<std::string, std::string>> move;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Table> table =
        txn.GetTable(catalog, NormalizeName(db), NormalizeName(table_name));
    if (absl::IsNotFound(table.status())) {
      return absl::FailedPreconditionError(
          "Unable to rename partition because table or database do not exist");
    }
    RETURN_IF_ERROR(table.status());
    absl::StatusOr<Partition> old = txn.GetPartition(*table, old_values);
    if (absl::IsNotFound(old.status())) {
      return absl::FailedPreconditionError(absl::StrCat("Unable to rename partition: partition ",
                                                        ValuesText(old_values), " does not exist"));
    }
    RETURN_IF_ERROR(old.status());
    const int64_t now = Now();
    const std::string old_default =
        JoinLocation(table->sd.location, MakePartitionName(table->partition_keys, old_values));
    const bool at_default = old->sd.location == old_default;
    RETURN_IF_ERROR(CheckSameTable(*table, new_part));
    const int32_t create_time = new_part.create_time;
    new_part.sd.location.clear();
    RETURN_IF_ERROR(PreparePartition(*table, new_part, now));
    new_part.create_time = create_time;
    if (!at_default || table->table_type != kManagedTable) {
      new_part.sd.location = old->sd.location;
    } else if (new_part.sd.location != old->sd.location) {
      move = std::make_pair(old->sd.location, new_part.sd.location);
    }
    // The files are still at the old location; they move once this commits.
    ApplyRenamePartitionStats(*table, *old, new_part, old->sd.location, listings);
    absl::StatusOr<Partition> clash = txn.GetPartition(*table, new_part.values);
    if (clash.ok()) {
      return absl::AlreadyExistsError(
          absl::StrCat("Partition already exists: ", ValuesText(new_part.values)));
    }
    RETURN_IF_ERROR(txn.UpdatePartition(*table, old_values, new_part));
    return RecordEvent(
               txn, ctx, "ALTER_PARTITION", table->catalog, table->database, table->name,
               absl::StrCat("rename ", ValuesText(old_values), " to ", ValuesText(new_part.values)))
        .status();
  }));
  if (move) {
    absl::Status moved = guard_.Move(move->first, move->second);
    if (!moved.ok()) LogWarning("partition data was not moved", {{"error", moved.ToString()}});
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Partition>> CatalogService::DropPartitions(
    const RequestContext& ctx, const std::string& catalog, const std::string& db,
    const std::string& table_name, const std::vector<std::vector<std::string>>& values,
    bool delete_data, bool if_exists, bool purge) {
  std::vector<Partition> dropped;
  Table table;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(table, ReadTable(txn, catalog, NormalizeName(db), NormalizeName(table_name)));
    dropped.clear();
    for (const std::vector<std::string>& vals : values) {
      absl::StatusOr<Partition> part = txn.GetPartition(table, vals);
      if (absl::IsNotFound(part.status())) {
        if (if_exists) continue;
        return absl::NotFoundError(absl::StrCat("partition values=", ValuesText(vals)));
      }
      RETURN_IF_ERROR(part.status());
      RETURN_IF_ERROR(txn.DeletePartition(table, vals));
      dropped.push_back(*std::move(part));
    }
    if (dropped.empty()) return absl::OkStatus();
    return RecordEvent(txn, ctx, "DROP_PARTITION", table.catalog, table.database, table.name,
                       absl::StrCat(dropped.size(), " partition(s)"))
        .status();
  }));
  if (delete_data && ShouldDeleteData(table)) {
    // HMS skips the trash for tables with skip.trash or auto.purge set to true.
    for (const char* key : {"skip.trash", "auto.purge"}) {
      const auto skip = table.parameters.find(key);
      purge =
          purge || (skip != table.parameters.end() && absl::EqualsIgnoreCase(skip->second, "true"));
    }
    for (const Partition& part : dropped) RETURN_IF_ERROR(DiscardPartitionData(table, part, purge));
  }
  return dropped;
}

absl::Status CatalogService::DiscardPartitionData(const Table& table, const Partition& part,
                                                  bool purge) const {
  // An archived partition's data lives at its original location (Hive's ARCHIVE).
  const auto archived = part.parameters.find("is_archived");
  if (archived != part.parameters.end() && absl::EqualsIgnoreCase(archived->second, "true")) {
    const auto original = part.parameters.find("original_location");
    if (original == part.parameters.end() || original->second.empty()) return absl::OkStatus();
    return guard_.Discard(original->second, purge);
  }
  if (part.sd.location.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(guard_.Discard(part.sd.location, purge));
  // Then the directories above it that are left empty, one per remaining key.
  std::string parent = part.sd.location;
  for (size_t depth = 1; depth < table.partition_keys.size(); ++depth) {
    while (parent.size() > 1 && parent.back() == '/') parent.pop_back();
    const size_t slash = parent.rfind('/');
    if (slash == std::string::npos || slash == 0) break;
    parent.resize(slash);
    RETURN_IF_ERROR(guard_.RemoveIfEmpty(parent));
  }
  return absl::OkStatus();
}

}  // namespace almanac
