#include "tests/storage/sqlite/power_loss.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"
#include "tests/storage/sqlite/crash_workload.h"

namespace almanac::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kCatalogFile[] = "catalog.db";
constexpr const char* kSuffixes[] = {"", "-wal", "-journal"};

SqliteStoreOptions StoreOptions(const fs::path& dir, const std::string& vfs) {
  SqliteStoreOptions options;
  options.path = (dir / kCatalogFile).string();
  options.vfs = vfs;
  options.default_database_location = "file:/warehouse";
  options.reader_pool_size = 1;
  // Small, so that commits are often followed by a checkpoint that a crash can interrupt.
  options.checkpoint_wal_frames = 24;
  return options;
}

absl::Status CopyCatalog(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::remove_all(to, ec);
  fs::create_directories(to, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", to.string()));
  for (const char* suffix : kSuffixes) {
    const fs::path file = from / absl::StrCat(kCatalogFile, suffix);
    if (!fs::exists(file)) continue;
    fs::copy_file(file, to / file.filename(), ec);
    if (ec) return absl::InternalError(absl::StrCat("cannot copy ", file.string()));
  }
  return absl::OkStatus();
}

// Opens the store through `vfs` and runs steps until one fails or `steps` are done. A third of
// the way in, the store is closed cleanly (its WAL is checkpointed and deleted without a
// directory sync) and reopened; half way, a TRUNCATE checkpoint runs.
void RunSteps(const fs::path& live, CrashWorkload& workload, FaultVfs& vfs, int steps,
              PowerLossReport* report, const std::string& where) {
  std::unique_ptr<Store> store;
  absl::Status status;
  for (int i = 0; i < steps && status.ok(); ++i) {
    if (i == 0 || i == steps / 3) {
      store.reset();
      absl::StatusOr<std::unique_ptr<Store>> opened =
          OpenSqliteStore(StoreOptions(live, vfs.name()));
      if (!opened.ok()) {
        status = opened.status();
        break;
      }
      store = *std::move(opened);
    }
    if (i == steps / 2) status = store->Checkpoint();
    if (status.ok()) status = workload.Step(*store);
  }
  if (!status.ok() && !vfs.crashed()) {
    report->failures.push_back(
        absl::StrCat(where, ": failed without a crash: ", status.ToString()));
  }
  // The machine stops before the store closes: every write, sync and delete it attempts fails.
  vfs.CrashNow();
  store.reset();
}

// Opens the crashed catalog (a copy) with the normal store and checks it. False if a check
// failed, after which the workload's model no longer describes the catalog.
bool CheckAfterCrash(const fs::path& copy, CrashWorkload& workload, PowerLossReport* report,
                     const std::string& where) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(StoreOptions(copy, ""));
  if (!store.ok()) {
    ++report->integrity_failures;
    report->failures.push_back(
        absl::StrCat(where, ": reopening failed: ", store.status().ToString()));
    return false;
  }
  const int64_t integrity_failures_before = report->integrity_failures;
  if (absl::Status s = CheckIntegrity((copy / kCatalogFile).string()); !s.ok()) {
    ++report->integrity_failures;
    report->failures.push_back(absl::StrCat(where, ": ", s.ToString()));
  }
  const bool in_doubt = workload.in_doubt();
  absl::StatusOr<CrashWorkload::Outcome> outcome = workload.Verify(**store);
  if (!outcome.ok()) {
    ++report->lost_or_partial;
    report->failures.push_back(absl::StrCat(where, ": ", outcome.status().ToString()));
    return false;
  }
  report->objects_checked += workload.objects_checked();
  if (in_doubt) {
    ++(*outcome == CrashWorkload::Outcome::kApplied ? report->in_doubt_applied
                                                    : report->in_doubt_absent);
  }
  return report->integrity_failures == integrity_failures_before;
}

}  // namespace

void PowerLossReport::Add(const PowerLossReport& other) {
  crashes += other.crashes;
  acknowledged_checked += other.acknowledged_checked;
  objects_checked += other.objects_checked;
  in_doubt_applied += other.in_doubt_applied;
  in_doubt_absent += other.in_doubt_absent;
  lost_or_partial += other.lost_or_partial;
  integrity_failures += other.integrity_failures;
  for (const auto& [site, n] : other.crash_sites) crash_sites[site] += n;
  failures.insert(failures.end(), other.failures.begin(), other.failures.end());
}

absl::Status CheckIntegrity(const std::string& path) {
  absl::StatusOr<std::unique_ptr<sqlite::Connection>> conn =
      sqlite::Connection::Open(path, SQLITE_OPEN_READONLY);
  if (!conn.ok()) return conn.status();
  ASSIGN_OR_RETURN(sqlite::Statement stmt, (*conn)->Prepare("PRAGMA integrity_check"));
  std::string findings;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) break;
    absl::StrAppend(&findings, findings.empty() ? "" : "; ", stmt.ColumnText(0));
  }
  if (findings == "ok") return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("integrity_check of ", path, ": ", findings));
}

absl::Status RunPowerLossChain(const std::string& dir, FaultVfs& vfs, const PowerLossConfig& config,
                               PowerLossReport* report) {
  const fs::path live = fs::path(dir) / "live";
  const fs::path copy = fs::path(dir) / "copy";
  std::error_code ec;
  fs::create_directories(live, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", live.string()));
  std::mt19937_64 rng(config.seed);
  CrashWorkload workload(rng());
  // Mutating calls and syncs in a whole cycle, learnt from cycles that ran to the end.
  int64_t calls_per_cycle = 300;
  int64_t syncs_per_cycle = 30;
  for (int cycle = 0; cycle < config.cycles; ++cycle) {
    const std::string where = absl::StrCat("seed ", config.seed, " cycle ", cycle);
    // Half the crashes come at a sync, so that commits and checkpoints are hit often.
    const bool at_sync = rng() % 2 == 0;
    const int64_t range = at_sync ? syncs_per_cycle : calls_per_cycle;
    vfs.CrashAfter(1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(range)), at_sync);
    const int64_t acknowledged_before = workload.acknowledged();
    RunSteps(live, workload, vfs, config.steps_per_cycle, report, where);
    if (vfs.crash_site() == "between calls") {
      calls_per_cycle = std::max(calls_per_cycle, vfs.mutating_calls());
      syncs_per_cycle = std::max(syncs_per_cycle, vfs.sync_calls());
    }
    ++report->crashes;
    ++report->crash_sites[vfs.crash_site()];
    report->acknowledged_checked += workload.acknowledged() - acknowledged_before;
    RETURN_IF_ERROR(vfs.SimulatePowerLoss({config.mode, rng()}));
    RETURN_IF_ERROR(CopyCatalog(live, copy));
    if (!CheckAfterCrash(copy, workload, report, where)) break;
  }
  return vfs.ForgetFiles();
}

}  // namespace almanac::testing
