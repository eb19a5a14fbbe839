#include "storage/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/request_scope.h"
#include "common/status_macros.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_status.h"
#include "storage/sqlite/sqlite_txn.h"
#include "storage/sqlite/transaction.h"

namespace almanac {
namespace {

using sqlite::Connection;
using sqlite::SqliteTxn;
using sqlite::Transaction;

constexpr char kSqlJournalModeWal[] = "PRAGMA journal_mode = WAL";
constexpr char kSqlQuickCheck[] = "PRAGMA quick_check";
// Settings of every connection. Checkpoints are the writer's job alone, run explicitly.
constexpr char kSqlCommonPragmas[] =
    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF; "
    "PRAGMA wal_autocheckpoint = 0";
constexpr char kSqlReaderPragmas[] = "PRAGMA query_only = ON";
// ANALYZE alone leaves the reader connections planning with the statistics they loaded with
// the schema; creating and dropping a table changes the schema version, so each reader reloads
// its schema, and the new statistics with it, before its next statement.
constexpr char kSqlAnalyze[] =
    "PRAGMA analysis_limit = 1000; ANALYZE; "
    "CREATE TABLE almanac_statistics_refresh(x); DROP TABLE almanac_statistics_refresh";

absl::Status SetDbConfig(Connection& conn, int option, int value, const char* name) {
  const int rc = sqlite3_db_config(conn.db(), option, value, nullptr);
  return conn.Error(rc, absl::StrCat("setting ", name));
}

// Settings shared by the writer and the readers.
// Interrupts a statement once the deadline of the request open on the thread has passed.
int OnProgress(void* /*unused*/) { return absl::Now() >= CurrentDeadline() ? 1 : 0; }

// Virtual-machine steps between two deadline checks: about a microsecond of work, and fewer
// than one page of a paged listing takes, so that every statement of a long scan checks.
constexpr int kProgressSteps = 1000;

absl::Status ConfigureCommon(Connection& conn, const SqliteStoreOptions& options) {
  sqlite3_progress_handler(conn.db(), kProgressSteps, &OnProgress, nullptr);
  RETURN_IF_ERROR(SetDbConfig(conn, SQLITE_DBCONFIG_DEFENSIVE, 1, "SQLITE_DBCONFIG_DEFENSIVE"));
  RETURN_IF_ERROR(conn.Error(sqlite3_busy_timeout(conn.db(), options.busy_timeout_ms),
                             "setting the busy timeout"));
  return conn.Execute(kSqlCommonPragmas);
}

absl::Status ConfigureWriter(Connection& conn, const SqliteStoreOptions& options) {
  RETURN_IF_ERROR(ConfigureCommon(conn, options));
  ASSIGN_OR_RETURN(sqlite::Statement stmt, conn.Prepare(kSqlJournalModeWal));
  ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (!row || stmt.ColumnTextView(0) != "wal") {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot use write-ahead logging for ", conn.path(),
        " (WAL needs a local file system); journal mode is ", row ? stmt.ColumnText(0) : "?"));
  }
  // A PRAGMA takes no parameters; the limit is a number from the server's own options.
  const std::string limit =
      absl::StrCat("PRAGMA journal_size_limit = ", options.journal_size_limit_bytes);
  return conn.Execute(limit.c_str());
}

absl::Status ConfigureReader(Connection& conn, const SqliteStoreOptions& options) {
  RETURN_IF_ERROR(
      SetDbConfig(conn, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, "SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE"));
  RETURN_IF_ERROR(ConfigureCommon(conn, options));
  return conn.Execute(kSqlReaderPragmas);
}

absl::Status QuickCheck(Connection& conn) {
  ASSIGN_OR_RETURN(sqlite::Statement stmt, conn.Prepare(kSqlQuickCheck));
  ASSIGN_OR_RETURN(const bool row, stmt.Step());
  if (row && stmt.ColumnTextView(0) == "ok") return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("integrity check of ", conn.path(),
                                          " failed: ", row ? stmt.ColumnText(0) : "no result"));
}

// Makes the entry of the new directory `dir` durable by syncing the directory that holds it.
absl::Status SyncEntryOf(const std::filesystem::path& dir) {
  const std::filesystem::path parent =
      dir.has_parent_path() ? dir.parent_path() : std::filesystem::path(".");
  const int fd = open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool synced = fd >= 0 && fsync(fd) == 0;
  const int error = errno;
  if (fd >= 0) close(fd);
  if (synced) return absl::OkStatus();
  return absl::UnavailableError(
      absl::StrCat("cannot sync directory ", parent.string(), ": ", std::strerror(error)));
}

absl::Status CreateParentDirectory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return absl::OkStatus();
  std::vector<std::filesystem::path> missing;  // Innermost first.
  for (std::filesystem::path p = parent; !p.empty() && !std::filesystem::exists(p);
       p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot create directory ", parent.string(), ": ", ec.message()));
  }
  // SQLite syncs the catalog's directory when it creates the WAL, but not the directories above:
  // without this, a power loss could take a new directory, and the catalog in it, away.
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) RETURN_IF_ERROR(SyncEntryOf(*it));
  return absl::OkStatus();
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(SqliteStoreOptions options) : options_(std::move(options)) {}
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  ~SqliteStore() override;

  absl::Status Open();

  absl::Status Read(const std::function<absl::Status(ReadView&)>& fn) override;
  absl::Status Write(const std::function<absl::Status(WriteTxn&)>& fn) override;
  absl::Status Checkpoint() override;

 private:
  // Records the WAL size after each commit of the writer (a sqlite3_wal_hook).
  static int OnWalCommit(void* store, sqlite3* db, const char* db_name, int frames);

  absl::Status OpenWriter() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  absl::Status OpenReaders();
  // The end of a wait for a connection: acquire_timeout from now, or the request's deadline.
  absl::Time WaitDeadline() const;
  absl::StatusOr<Connection*> AcquireReader();
  void ReleaseReader(Connection* reader);
  absl::Status AcquireWriter();
  void ReleaseWriter();
  void MaybeCheckpoint() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Refreshes the query planner's statistics (see analyze_after_partitions).
  void RefreshStatistics() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);

  const SqliteStoreOptions options_;

  // Whoever sets writer_busy_ may take write_mu_ for a transaction; waiting for the flag, unlike
  // waiting for a mutex, can time out.
  absl::Mutex writer_gate_mu_;
  bool writer_busy_ ABSL_GUARDED_BY(writer_gate_mu_) = false;
  absl::Mutex write_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(write_mu_);
  std::atomic<int> wal_frames_{0};  // Written by OnWalCommit while write_mu_ is held.
  int64_t partitions_since_analyze_ ABSL_GUARDED_BY(write_mu_) = 0;

  // Every reader connection; the vector itself is fixed once Open() returns.
  std::vector<std::unique_ptr<Connection>> readers_;
  absl::Mutex pool_mu_;
  std::vector<Connection*> idle_readers_ ABSL_GUARDED_BY(pool_mu_);
};

SqliteStore::~SqliteStore() {
  // Readers first: the writer, closing last, checkpoints and removes the WAL file.
  readers_.clear();
  absl::MutexLock lock(&write_mu_);
  writer_.reset();
}

int SqliteStore::OnWalCommit(void* store, sqlite3* /*db*/, const char* /*db_name*/, int frames) {
  static_cast<SqliteStore*>(store)->wal_frames_.store(frames, std::memory_order_relaxed);
  return SQLITE_OK;
}

absl::Status SqliteStore::OpenWriter() {
  ASSIGN_OR_RETURN(
      writer_,
      Connection::Open(options_.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options_.vfs));
  RETURN_IF_ERROR(ConfigureWriter(*writer_, options_));
  // After "PRAGMA wal_autocheckpoint", which replaces any WAL hook.
  sqlite3_wal_hook(writer_->db(), &SqliteStore::OnWalCommit, this);
  const sqlite::MigrationContext context{options_.default_database_location,
                                         absl::ToUnixSeconds(absl::Now())};
  RETURN_IF_ERROR(sqlite::RunMigrations(*writer_, context));
  if (options_.quick_check_on_open) RETURN_IF_ERROR(QuickCheck(*writer_));
  return absl::OkStatus();
}

absl::Status SqliteStore::OpenReaders() {
  absl::MutexLock lock(&pool_mu_);
  for (int i = 0; i < options_.reader_pool_size; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                     Connection::Open(options_.path, SQLITE_OPEN_READONLY, options_.vfs));
    RETURN_IF_ERROR(ConfigureReader(*reader, options_));
    idle_readers_.push_back(reader.get());
    readers_.push_back(std::move(reader));
  }
  return absl::OkStatus();
}

absl::Status SqliteStore::Open() {
  if (options_.path.empty()) return absl::InvalidArgumentError("the catalog path is empty");
  if (options_.reader_pool_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("the reader pool size must be at least 1, not ", options_.reader_pool_size));
  }
  if (options_.acquire_timeout < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the connection acquire timeout must not be negative");
  }
  RETURN_IF_ERROR(CreateParentDirectory(options_.path));
  {
    absl::MutexLock lock(&write_mu_);
    RETURN_IF_ERROR(OpenWriter());
    RefreshStatistics();
  }
  return OpenReaders();
}

absl::Time SqliteStore::WaitDeadline() const {
  return std::min(absl::Now() + options_.acquire_timeout, CurrentDeadline());
}

// The error for a wait that ended at `deadline`: the request's own deadline, or the pool's.
absl::Status WaitError(absl::Time deadline, absl::string_view what, int64_t count) {
  if (deadline >= CurrentDeadline()) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the request ran past its deadline (request_timeout_s) while waiting for ", what));
  }
  return absl::UnavailableError(
      absl::StrCat("the catalog is busy: all ", count, " ", what, " stayed in use; try again"));
}

absl::StatusOr<Connection*> SqliteStore::AcquireReader() {
  const absl::Time deadline = WaitDeadline();
  absl::MutexLock lock(&pool_mu_);
  if (!pool_mu_.AwaitWithDeadline(
          absl::Condition(
              +[](std::vector<Connection*>* idle) { return !idle->empty(); }, &idle_readers_),
          deadline)) {
    return WaitError(deadline, "reader connections", options_.reader_pool_size);
  }
  Connection* reader = idle_readers_.back();
  idle_readers_.pop_back();
  return reader;
}

void SqliteStore::ReleaseReader(Connection* reader) {
  absl::MutexLock lock(&pool_mu_);
  idle_readers_.push_back(reader);
}

absl::Status SqliteStore::AcquireWriter() {
  const absl::Time deadline = WaitDeadline();
  absl::MutexLock lock(&writer_gate_mu_);
  if (!writer_gate_mu_.AwaitWithDeadline(absl::Condition(
                                             +[](bool* busy) { return !*busy; }, &writer_busy_),
                                         deadline)) {
    return WaitError(deadline, "writer connection", 1);
  }
  writer_busy_ = true;
  return absl::OkStatus();
}

void SqliteStore::ReleaseWriter() {
  absl::MutexLock lock(&writer_gate_mu_);
  writer_busy_ = false;
}

absl::Status SqliteStore::Read(const std::function<absl::Status(ReadView&)>& fn) {
  ASSIGN_OR_RETURN(Connection * reader, AcquireReader());
  // Returned to the pool however the callback ends, an exception included.
  auto release = absl::MakeCleanup([&] { ReleaseReader(reader); });
  Transaction txn(reader);
  RETURN_IF_ERROR(txn.BeginDeferred());
  SqliteTxn view(reader);
  RETURN_IF_ERROR(fn(view));
  return txn.Commit();
}

absl::Status SqliteStore::Write(const std::function<absl::Status(WriteTxn&)>& fn) {
  RETURN_IF_ERROR(AcquireWriter());
  auto release = absl::MakeCleanup([&] { ReleaseWriter(); });
  absl::MutexLock lock(&write_mu_);
  {
    Transaction txn(writer_.get());
    RETURN_IF_ERROR(txn.Begin());
    SqliteTxn view(writer_.get());
    RETURN_IF_ERROR(fn(view));  // The transaction rolls back on scope exit.
    RETURN_IF_ERROR(txn.Commit());
    partitions_since_analyze_ += view.partitions_added();
  }
  MaybeCheckpoint();
  if (partitions_since_analyze_ >= options_.analyze_after_partitions) RefreshStatistics();
  return absl::OkStatus();
}

void SqliteStore::RefreshStatistics() {
  // Sampled (analysis_limit), so it costs milliseconds even on a huge catalog. Failure only
  // leaves older statistics in place; the next batch of partitions tries again.
  Transaction txn(writer_.get());
  if (txn.Begin().ok() && writer_->Execute(kSqlAnalyze).ok() && txn.Commit().ok()) {
    partitions_since_analyze_ = 0;
  }
}

void SqliteStore::MaybeCheckpoint() {
  if (wal_frames_.load(std::memory_order_relaxed) < options_.checkpoint_wal_frames) return;
  // PASSIVE never waits: it copies what no reader still needs. A failure is not the caller's
  // problem (the commit is already durable in the WAL); the next commit tries again.
  sqlite3_wal_checkpoint_v2(writer_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

absl::Status SqliteStore::Checkpoint() {
  absl::MutexLock lock(&write_mu_);
  const int rc = sqlite3_wal_checkpoint_v2(writer_->db(), nullptr, SQLITE_CHECKPOINT_TRUNCATE,
                                           nullptr, nullptr);
  if (rc == SQLITE_OK) wal_frames_.store(0, std::memory_order_relaxed);
  return writer_->Error(rc, absl::StrCat("checkpointing ", options_.path));
}

}  // namespace

void LimitSqliteMemory(int64_t bytes) { sqlite3_hard_heap_limit64(bytes); }

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options) {
  auto store = std::make_unique<SqliteStore>(options);
  RETURN_IF_ERROR(store->Open());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace almanac
