#pragma once

// A SQLite VFS for tests that injects I/O errors and simulates power loss.
//
// FaultVfs wraps SQLite's default VFS (unix) and registers under its own name; a store opens
// through it with SqliteStoreOptions::vfs. It tracks the files that matter for durability: the
// main database, its rollback journal and its write-ahead log. Temporary files pass through.
//
// Faults. ArmFault makes the Nth xWrite (or xSync, xTruncate) on chosen kinds of file fail with
// SQLITE_IOERR_WRITE (SQLITE_IOERR_FSYNC, SQLITE_IOERR_TRUNCATE) without touching the file, once
// or for every later matching call.
//
// Power loss. The model is that of a POSIX file system with a volatile page cache:
//  - Writes and truncations of a file are volatile until an xSync of that file succeeds; the
//    sync makes all of them durable at once. Syncs are simulated: no real fsync is issued, since
//    only the simulated machine loses power.
//  - Creating and deleting a file changes only the volatile directory. A directory sync makes
//    the directory's current entries durable. As in the unix VFS, a directory sync happens when
//    a journal or WAL opened with SQLITE_OPEN_CREATE is first synced, and on xDelete with
//    syncDir set. Nothing else syncs a directory, so a new main database file stays volatile
//    until its WAL or journal is first synced.
//  - An open handle keeps its file (inode) even after the name is deleted.
//  - The -shm file is memory, not storage: it disappears.
// CrashAfter(n) makes the n-th mutating call (write, sync, truncate or delete of a tracked
// file; or the n-th sync) and every later one fail without effect, as if the machine had
// stopped. Once every connection is closed, SimulatePowerLoss rewrites each file as the disk
// would hold it after the power came back: by default exactly its last synced contents; in
// kRandomSubset mode each unsynced write also survives or not at random and one survivor per
// file may be torn (only its sectors before a random 512-byte boundary land), which stays
// within SQLite's powersafe-overwrite assumption; in kKeepUnsynced mode (a process crash) every
// write survives. The -shm file is removed in every mode.
// Not modelled: sectors filled with garbage, a failed fsync that silently drops dirty pages
// (the data stays volatile here, and a later sync makes it durable), and directories other
// than the files' own (e.g. a newly created parent directory).
//
// Thread-safety: all methods and all VFS calls are serialised by one mutex. Ownership: the
// FaultVfs must outlive every connection opened through it.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

struct sqlite3_vfs;
struct sqlite3_file;

namespace almanac::testing {

// Kinds of tracked file, combinable as a mask.
enum FileKind : unsigned {
  kMainDbFile = 1,
  kWalFile = 2,
  kJournalFile = 4,
  kAnyFile = kMainDbFile | kWalFile | kJournalFile,
};

enum class IoCall { kWrite, kSync, kTruncate };

struct FaultRule {
  IoCall call = IoCall::kWrite;
  unsigned files = kAnyFile;
  // The nth matching call after ArmFault fails (1 = the first).
  int64_t nth = 1;
  // Every matching call from the nth on fails, not just the nth.
  bool persistent = false;
};

struct PowerLossOptions {
  enum class Mode {
    kDropUnsynced,  // Every file holds exactly its last synced contents.
    kRandomSubset,  // Unsynced writes survive at random; one may be torn.
    kKeepUnsynced,  // Every write survives: a process crash, not a power loss.
  };
  Mode mode = Mode::kDropUnsynced;
  uint64_t seed = 0;
};

// What the VFS saw, for reports and for tests that the fault machinery works.
struct FaultVfsCounters {
  int64_t writes = 0;         // xWrite calls on tracked files that reached the disk.
  int64_t syncs = 0;          // Successful simulated xSync calls.
  int64_t faults = 0;         // Calls failed by a FaultRule.
  int64_t dropped_bytes = 0;  // Unsynced bytes lost to SimulatePowerLoss.
};

class FaultVfs {
 public:
  // Registers a VFS called `name` (not as the default). Internal if SQLite refuses.
  static absl::StatusOr<std::unique_ptr<FaultVfs>> Register(const std::string& name);
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;
  ~FaultVfs();  // Unregisters. Every connection through this VFS must be closed.

  const std::string& name() const { return name_; }

  void ArmFault(const FaultRule& rule);
  void Disarm();
  // Calls that matched the armed rule so far (failed or not).
  int64_t matching_calls() const;

  // Counts mutating calls (only xSync calls with `syncs_only`) from now on; the machine stops
  // at the `n`-th (1-based): it and every later mutating call fail.
  void CrashAfter(int64_t n, bool syncs_only = false);
  // Stops the machine now: every later mutating call fails.
  void CrashNow();
  bool crashed() const;
  // Where the machine stopped, e.g. "write wal", "sync main-db", or "between calls" for
  // CrashNow; empty while running.
  std::string crash_site() const;
  // Mutating calls on tracked files since the last CrashAfter (or since registration), and
  // the xSync calls among them.
  int64_t mutating_calls() const;
  int64_t sync_calls() const;

  // Applies the power-loss model to the files on disk and forgets all volatile state; the
  // machine is running again, with no fault armed. FailedPrecondition while a tracked file is
  // still open; Internal if a file cannot be rewritten.
  absl::Status SimulatePowerLoss(const PowerLossOptions& options);

  // A disk that lies: xSync succeeds but makes nothing durable (for tests that prove the
  // checks can fail).
  void set_ignore_syncs(bool ignore);

  // Forgets every tracked file, e.g. before a test removes their directory. Files seen later
  // are taken as durable, as on first sight. FailedPrecondition while a tracked file is open.
  absl::Status ForgetFiles();

  FaultVfsCounters counters() const;

 private:
  // A write (data at offset) or a truncation (to offset) not yet synced.
  struct PendingOp {
    int64_t offset = 0;
    std::string data;
    bool truncate = false;
  };
  // A file's contents as the disk holds them durably, plus what a sync would add.
  struct Inode {
    std::string durable;
    std::vector<PendingOp> pending;
  };
  // One tracked name: the file it names now, and the one its durable directory entry names.
  struct PathState {
    std::shared_ptr<Inode> current;
    std::shared_ptr<Inode> durable;
    unsigned kind = 0;
  };
  struct File;
  friend struct FaultVfsCallbacks;

  explicit FaultVfs(std::string name);

  // The outcome of a mutating call: 0 to go ahead, else the SQLite error to return.
  int Admit(const File& file, IoCall call) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int AdmitMutation(const char* call, unsigned kind, bool sync = false)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SyncDirectory(const std::string& dir) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string name_;
  std::unique_ptr<sqlite3_vfs> vfs_;
  sqlite3_vfs* base_ = nullptr;

  mutable absl::Mutex mu_;
  std::map<std::string, PathState> paths_ ABSL_GUARDED_BY(mu_);
  int open_files_ ABSL_GUARDED_BY(mu_) = 0;
  bool fault_armed_ ABSL_GUARDED_BY(mu_) = false;
  FaultRule rule_ ABSL_GUARDED_BY(mu_);
  int64_t matching_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t crash_at_ ABSL_GUARDED_BY(mu_) = 0;  // 0: no crash planned.
  bool crash_on_syncs_only_ ABSL_GUARDED_BY(mu_) = false;
  int64_t mutating_calls_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t sync_calls_ ABSL_GUARDED_BY(mu_) = 0;
  bool crashed_ ABSL_GUARDED_BY(mu_) = false;
  bool ignore_syncs_ ABSL_GUARDED_BY(mu_) = false;
  std::string crash_site_ ABSL_GUARDED_BY(mu_);
  FaultVfsCounters counters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace almanac::testing
