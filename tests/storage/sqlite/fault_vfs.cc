#include "tests/storage/sqlite/fault_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <random>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"

namespace almanac::testing {
namespace {

constexpr int64_t kSectorSize = 512;

unsigned KindOf(int flags) {
  if (flags & SQLITE_OPEN_MAIN_DB) return kMainDbFile;
  if (flags & SQLITE_OPEN_WAL) return kWalFile;
  if (flags & (SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_SUPER_JOURNAL)) return kJournalFile;
  return 0;  // Temporary files: not durable, not tracked.
}

int ErrorFor(IoCall call) {
  switch (call) {
    case IoCall::kWrite:
      return SQLITE_IOERR_WRITE;
    case IoCall::kSync:
      return SQLITE_IOERR_FSYNC;
    case IoCall::kTruncate:
      return SQLITE_IOERR_TRUNCATE;
  }
  return SQLITE_IOERR;
}

const char* CallName(IoCall call) {
  switch (call) {
    case IoCall::kWrite:
      return "write";
    case IoCall::kSync:
      return "sync";
    case IoCall::kTruncate:
      return "truncate";
  }
  return "?";
}

const char* KindName(unsigned kind) {
  switch (kind) {
    case kMainDbFile:
      return "main-db";
    case kWalFile:
      return "wal";
    case kJournalFile:
      return "journal";
  }
  return "other";
}

std::string DirectoryOf(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

// The sqlite3_file of the VFS; the wrapped file's storage follows it in the same allocation.
struct FaultVfs::File {
  sqlite3_file base;  // First, so a sqlite3_file* is a File*.
  FaultVfs* vfs = nullptr;
  sqlite3_file* real = nullptr;
  unsigned kind = 0;  // 0 for an untracked file.
  std::string path;
  std::shared_ptr<Inode> inode;
  // Set for a journal or WAL opened with SQLITE_OPEN_CREATE: its first sync also syncs the
  // directory, as the unix VFS does.
  bool dir_sync_pending = false;
};

namespace {

void ApplyOp(std::string& contents, int64_t offset, const std::string& data, bool truncate) {
  const size_t off = static_cast<size_t>(offset);
  if (truncate) {
    contents.resize(off);
    return;
  }
  if (contents.size() < off + data.size()) contents.resize(off + data.size());
  std::memcpy(contents.data() + off, data.data(), data.size());
}

}  // namespace

struct FaultVfsCallbacks {
  using File = FaultVfs::File;

  static constexpr size_t AlignedFileSize() {
    constexpr size_t kAlign = alignof(std::max_align_t);
    return (sizeof(File) + kAlign - 1) / kAlign * kAlign;
  }

  static File* AsFile(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
  static sqlite3_file* Real(sqlite3_file* f) { return AsFile(f)->real; }
  static FaultVfs* Self(sqlite3_vfs* vfs) { return static_cast<FaultVfs*>(vfs->pAppData); }
  static sqlite3_vfs* Base(sqlite3_vfs* vfs) { return Self(vfs)->base_; }

  // --- sqlite3_io_methods ---

  static int Close(sqlite3_file* f) {
    File* file = AsFile(f);
    const int rc = file->real->pMethods->xClose(file->real);
    if (file->kind != 0) {
      absl::MutexLock lock(&file->vfs->mu_);
      --file->vfs->open_files_;
    }
    file->~File();
    return rc;
  }

  static int Read(sqlite3_file* f, void* buf, int amount, sqlite3_int64 offset) {
    return Real(f)->pMethods->xRead(Real(f), buf, amount, offset);
  }

  static int Write(sqlite3_file* f, const void* buf, int amount, sqlite3_int64 offset) {
    File* file = AsFile(f);
    if (file->kind == 0) return file->real->pMethods->xWrite(file->real, buf, amount, offset);
    FaultVfs* self = file->vfs;
    absl::MutexLock lock(&self->mu_);
    if (const int rc = self->Admit(*file, IoCall::kWrite); rc != SQLITE_OK) return rc;
    const int rc = file->real->pMethods->xWrite(file->real, buf, amount, offset);
    if (rc == SQLITE_OK) {
      file->inode->pending.push_back(
          {offset, std::string(static_cast<const char*>(buf), static_cast<size_t>(amount)), false});
      ++self->counters_.writes;
    }
    return rc;
  }

  static int Truncate(sqlite3_file* f, sqlite3_int64 size) {
    File* file = AsFile(f);
    if (file->kind == 0) return file->real->pMethods->xTruncate(file->real, size);
    FaultVfs* self = file->vfs;
    absl::MutexLock lock(&self->mu_);
    if (const int rc = self->Admit(*file, IoCall::kTruncate); rc != SQLITE_OK) return rc;
    const int rc = file->real->pMethods->xTruncate(file->real, size);
    if (rc == SQLITE_OK) file->inode->pending.push_back({size, "", true});
    return rc;
  }

  // Simulated: the machine's durable state changes, no real fsync is issued.
  static int Sync(sqlite3_file* f, int flags) {
    File* file = AsFile(f);
    if (file->kind == 0) return SQLITE_OK;
    FaultVfs* self = file->vfs;
    absl::MutexLock lock(&self->mu_);
    if (const int rc = self->Admit(*file, IoCall::kSync); rc != SQLITE_OK) return rc;
    if (self->ignore_syncs_) return SQLITE_OK;
    FaultVfs::Inode& inode = *file->inode;
    for (const FaultVfs::PendingOp& op : inode.pending) {
      ApplyOp(inode.durable, op.offset, op.data, op.truncate);
    }
    inode.pending.clear();
    if (file->dir_sync_pending) {
      self->SyncDirectory(DirectoryOf(file->path));
      file->dir_sync_pending = false;
    }
    ++self->counters_.syncs;
    return SQLITE_OK;
  }

  static int FileSize(sqlite3_file* f, sqlite3_int64* size) {
    return Real(f)->pMethods->xFileSize(Real(f), size);
  }
  static int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
  static int Unlock(sqlite3_file* f, int level) {
    return Real(f)->pMethods->xUnlock(Real(f), level);
  }
  static int CheckReservedLock(sqlite3_file* f, int* out) {
    return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
  }
  static int FileControl(sqlite3_file* f, int op, void* arg) {
    return Real(f)->pMethods->xFileControl(Real(f), op, arg);
  }
  static int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
  static int DeviceCharacteristics(sqlite3_file* f) {
    return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
  }
  static int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
  }
  static int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
  }
  static void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
  static int ShmUnmap(sqlite3_file* f, int delete_flag) {
    return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
  }
  static int Fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
    return Real(f)->pMethods->xFetch(Real(f), offset, amount, out);
  }
  static int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
    return Real(f)->pMethods->xUnfetch(Real(f), offset, p);
  }

  static constexpr sqlite3_io_methods kMethods = {
      3,
      Close,
      Read,
      Write,
      Truncate,
      Sync,
      FileSize,
      Lock,
      Unlock,
      CheckReservedLock,
      FileControl,
      SectorSize,
      DeviceCharacteristics,
      ShmMap,
      ShmLock,
      ShmBarrier,
      ShmUnmap,
      Fetch,
      Unfetch,
  };

  // --- sqlite3_vfs ---

  static int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    FaultVfs* self = Self(vfs);
    File* file = new (f) File();
    file->vfs = self;
    file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + AlignedFileSize());
    file->real->pMethods = nullptr;
    const unsigned kind = name == nullptr ? 0 : KindOf(flags);
    if (kind == 0) return OpenReal(file, name, flags, out_flags);

    absl::MutexLock lock(&self->mu_);
    std::error_code ec;
    const bool existed = std::filesystem::exists(name, ec);
    const int rc = OpenReal(file, name, flags, out_flags);
    if (rc != SQLITE_OK) return rc;
    file->kind = kind;
    file->path = name;
    file->dir_sync_pending = (flags & SQLITE_OPEN_CREATE) != 0 && kind != kMainDbFile;
    FaultVfs::PathState& state = self->paths_[file->path];
    state.kind = kind;
    if (state.current == nullptr) {
      state.current = std::make_shared<FaultVfs::Inode>();
      if (existed) {
        // First sight of a file made before this VFS watched: take it as durable.
        state.current->durable = ReadWholeFile(file->path);
        state.durable = state.current;
      }
    }
    file->inode = state.current;
    ++self->open_files_;
    return SQLITE_OK;
  }

  static int OpenReal(File* file, const char* name, int flags, int* out_flags) {
    sqlite3_vfs* base = file->vfs->base_;
    const int rc = base->xOpen(base, name, file->real, flags, out_flags);
    if (rc != SQLITE_OK) {
      if (file->real->pMethods != nullptr) file->real->pMethods->xClose(file->real);
      file->~File();
      reinterpret_cast<sqlite3_file*>(file)->pMethods = nullptr;
      return rc;
    }
    file->base.pMethods = &kMethods;
    return SQLITE_OK;
  }

  static int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
    FaultVfs* self = Self(vfs);
    absl::MutexLock lock(&self->mu_);
    auto it = self->paths_.find(name);
    if (it == self->paths_.end()) return Base(vfs)->xDelete(Base(vfs), name, sync_dir);
    if (self->AdmitMutation("delete", it->second.kind) != SQLITE_OK) return SQLITE_IOERR_DELETE;
    const int rc = Base(vfs)->xDelete(Base(vfs), name, 0);
    if (rc != SQLITE_OK && rc != SQLITE_IOERR_DELETE_NOENT) return rc;
    it->second.current = nullptr;
    if (sync_dir) self->SyncDirectory(DirectoryOf(name));
    return rc;
  }

  static int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
    return Base(vfs)->xAccess(Base(vfs), name, flags, out);
  }
  static int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
    return Base(vfs)->xFullPathname(Base(vfs), name, size, out);
  }
  static void* DlOpen(sqlite3_vfs* vfs, const char* name) {
    return Base(vfs)->xDlOpen(Base(vfs), name);
  }
  static void DlError(sqlite3_vfs* vfs, int size, char* out) {
    Base(vfs)->xDlError(Base(vfs), size, out);
  }
  static void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
    return Base(vfs)->xDlSym(Base(vfs), handle, symbol);
  }
  static void DlClose(sqlite3_vfs* vfs, void* handle) { Base(vfs)->xDlClose(Base(vfs), handle); }
  static int Randomness(sqlite3_vfs* vfs, int size, char* out) {
    return Base(vfs)->xRandomness(Base(vfs), size, out);
  }
  static int Sleep(sqlite3_vfs* vfs, int micros) { return Base(vfs)->xSleep(Base(vfs), micros); }
  static int CurrentTime(sqlite3_vfs* vfs, double* out) {
    return Base(vfs)->xCurrentTime(Base(vfs), out);
  }
  static int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
    return Base(vfs)->xGetLastError(Base(vfs), size, out);
  }
  static int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    return Base(vfs)->xCurrentTimeInt64(Base(vfs), out);
  }
};

FaultVfs::FaultVfs(std::string name) : name_(std::move(name)) {}

absl::StatusOr<std::unique_ptr<FaultVfs>> FaultVfs::Register(const std::string& name) {
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (base == nullptr) return absl::InternalError("SQLite has no default VFS");
  if (base->iVersion < 2) return absl::InternalError("the default VFS is older than version 2");
  std::unique_ptr<FaultVfs> self(new FaultVfs(name));
  self->base_ = base;
  auto vfs = std::make_unique<sqlite3_vfs>();
  std::memset(vfs.get(), 0, sizeof(sqlite3_vfs));
  vfs->iVersion = 2;
  vfs->szOsFile = static_cast<int>(FaultVfsCallbacks::AlignedFileSize()) + base->szOsFile;
  vfs->mxPathname = base->mxPathname;
  vfs->zName = self->name_.c_str();
  vfs->pAppData = self.get();
  vfs->xOpen = FaultVfsCallbacks::Open;
  vfs->xDelete = FaultVfsCallbacks::Delete;
  vfs->xAccess = FaultVfsCallbacks::Access;
  vfs->xFullPathname = FaultVfsCallbacks::FullPathname;
  vfs->xDlOpen = FaultVfsCallbacks::DlOpen;
  vfs->xDlError = FaultVfsCallbacks::DlError;
  vfs->xDlSym = FaultVfsCallbacks::DlSym;
  vfs->xDlClose = FaultVfsCallbacks::DlClose;
  vfs->xRandomness = FaultVfsCallbacks::Randomness;
  vfs->xSleep = FaultVfsCallbacks::Sleep;
  vfs->xCurrentTime = FaultVfsCallbacks::CurrentTime;
  vfs->xGetLastError = FaultVfsCallbacks::GetLastError;
  vfs->xCurrentTimeInt64 = FaultVfsCallbacks::CurrentTimeInt64;
  const int rc = sqlite3_vfs_register(vfs.get(), /*makeDflt=*/0);
  if (rc != SQLITE_OK) {
    return absl::InternalError(
        absl::StrCat("registering the SQLite VFS ", name, ": ", sqlite3_errstr(rc)));
  }
  self->vfs_ = std::move(vfs);
  return self;
}

FaultVfs::~FaultVfs() {
  if (vfs_ != nullptr) sqlite3_vfs_unregister(vfs_.get());
}

void FaultVfs::ArmFault(const FaultRule& rule) {
  absl::MutexLock lock(&mu_);
  rule_ = rule;
  fault_armed_ = true;
  matching_calls_ = 0;
}

void FaultVfs::Disarm() {
  absl::MutexLock lock(&mu_);
  fault_armed_ = false;
}

int64_t FaultVfs::matching_calls() const {
  absl::MutexLock lock(&mu_);
  return matching_calls_;
}

void FaultVfs::CrashAfter(int64_t n, bool syncs_only) {
  absl::MutexLock lock(&mu_);
  crash_at_ = n;
  crash_on_syncs_only_ = syncs_only;
  mutating_calls_ = 0;
  sync_calls_ = 0;
  crash_site_.clear();
}

void FaultVfs::CrashNow() {
  absl::MutexLock lock(&mu_);
  if (!crashed_) crash_site_ = "between calls";
  crashed_ = true;
}

std::string FaultVfs::crash_site() const {
  absl::MutexLock lock(&mu_);
  return crash_site_;
}

bool FaultVfs::crashed() const {
  absl::MutexLock lock(&mu_);
  return crashed_;
}

int64_t FaultVfs::mutating_calls() const {
  absl::MutexLock lock(&mu_);
  return mutating_calls_;
}

int64_t FaultVfs::sync_calls() const {
  absl::MutexLock lock(&mu_);
  return sync_calls_;
}

FaultVfsCounters FaultVfs::counters() const {
  absl::MutexLock lock(&mu_);
  return counters_;
}

int FaultVfs::AdmitMutation(const char* call, unsigned kind, bool sync) {
  if (crashed_) return SQLITE_IOERR;
  ++mutating_calls_;
  if (sync) ++sync_calls_;
  const int64_t count = crash_on_syncs_only_ ? sync_calls_ : mutating_calls_;
  if (crash_at_ > 0 && count >= crash_at_ && (sync || !crash_on_syncs_only_)) {
    crashed_ = true;
    crash_site_ = absl::StrCat(call, " ", KindName(kind));
    return SQLITE_IOERR;
  }
  return SQLITE_OK;
}

int FaultVfs::Admit(const File& file, IoCall call) {
  if (AdmitMutation(CallName(call), file.kind, call == IoCall::kSync) != SQLITE_OK) {
    return ErrorFor(call);
  }
  if (!fault_armed_ || rule_.call != call || (rule_.files & file.kind) == 0) return SQLITE_OK;
  ++matching_calls_;
  if (matching_calls_ == rule_.nth || (rule_.persistent && matching_calls_ > rule_.nth)) {
    ++counters_.faults;
    return ErrorFor(call);
  }
  return SQLITE_OK;
}

void FaultVfs::SyncDirectory(const std::string& dir) {
  for (auto& [path, state] : paths_) {
    if (DirectoryOf(path) == dir) state.durable = state.current;
  }
}

void FaultVfs::set_ignore_syncs(bool ignore) {
  absl::MutexLock lock(&mu_);
  ignore_syncs_ = ignore;
}

absl::Status FaultVfs::ForgetFiles() {
  absl::MutexLock lock(&mu_);
  if (open_files_ > 0) {
    return absl::FailedPreconditionError(absl::StrCat(open_files_, " files are still open"));
  }
  paths_.clear();
  return absl::OkStatus();
}

absl::Status FaultVfs::SimulatePowerLoss(const PowerLossOptions& options) {
  absl::MutexLock lock(&mu_);
  if (open_files_ > 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(open_files_, " files are still open; close every connection first"));
  }
  std::mt19937_64 rng(options.seed);
  const bool random = options.mode == PowerLossOptions::Mode::kRandomSubset;
  const bool keep_all = options.mode == PowerLossOptions::Mode::kKeepUnsynced;
  for (auto it = paths_.begin(); it != paths_.end();) {
    const std::string& path = it->first;
    PathState& state = it->second;
    std::error_code ec;
    if (state.kind == kMainDbFile) std::filesystem::remove(path + "-shm", ec);
    if (state.durable == nullptr) {
      std::filesystem::remove(path, ec);
      it = paths_.erase(it);
      continue;
    }
    std::string contents = state.durable->durable;
    bool may_tear = random;  // At most one surviving write per file is torn.
    for (const PendingOp& op : state.durable->pending) {
      if (!keep_all && (!random || rng() % 2 == 0)) {
        counters_.dropped_bytes += static_cast<int64_t>(op.data.size());
        continue;
      }
      std::string data = op.data;
      if (may_tear && !op.truncate && rng() % 4 == 0) {
        may_tear = false;
        // Only the sectors before a random sector boundary inside the write land.
        const int64_t end = op.offset + static_cast<int64_t>(data.size());
        const int64_t first_boundary = (op.offset / kSectorSize + 1) * kSectorSize;
        int64_t cut = end;
        if (first_boundary < end) {
          const int64_t boundaries = (end - first_boundary + kSectorSize - 1) / kSectorSize;
          cut = first_boundary +
                static_cast<int64_t>(rng() % static_cast<uint64_t>(boundaries)) * kSectorSize;
        }
        counters_.dropped_bytes += end - cut;
        data.resize(static_cast<size_t>(cut - op.offset));
      }
      ApplyOp(contents, op.offset, data, op.truncate);
    }
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
      if (!out) return absl::InternalError(absl::StrCat("cannot rewrite ", path));
    }
    auto inode = std::make_shared<Inode>();
    inode->durable = std::move(contents);
    state.current = inode;
    state.durable = inode;
    ++it;
  }
  crashed_ = false;
  crash_at_ = 0;
  crash_on_syncs_only_ = false;
  mutating_calls_ = 0;
  sync_calls_ = 0;
  fault_armed_ = false;
  return absl::OkStatus();
}

}  // namespace almanac::testing
