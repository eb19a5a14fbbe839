#include "tests/fuzz/fs_guard.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string>

namespace almanac::fuzz {
namespace {

std::atomic<bool> armed{false};
std::string sandbox;  // Set while disarmed only.
std::atomic<int64_t> refusals{0};

// The absolute form of `path`, relative to `dirfd` (or the working directory), without "." and
// ".." components. Empty if it cannot be told.
std::string Absolute(int dirfd, const char* path) {
  if (path == nullptr) return "";
  std::string base;
  if (path[0] != '/') {
    char buf[4096];
    if (dirfd == AT_FDCWD) {
      if (getcwd(buf, sizeof(buf)) == nullptr) return "";
      base = buf;
    } else {
      const std::string link = "/proc/self/fd/" + std::to_string(dirfd);
      const ssize_t n = readlink(link.c_str(), buf, sizeof(buf) - 1);
      if (n <= 0) return "";
      base.assign(buf, static_cast<size_t>(n));
    }
    base += '/';
  }
  return std::filesystem::path(base + path).lexically_normal().string();
}

// True if the call may go ahead; otherwise counts the refusal and sets errno.
bool Allowed(int dirfd, const char* path, const char* what) {
  if (!armed.load()) return true;
  const std::string abs = Absolute(dirfd, path);
  if (abs.size() > sandbox.size() && abs.compare(0, sandbox.size(), sandbox) == 0 &&
      abs[sandbox.size()] == '/') {
    return true;
  }
  if (refusals.fetch_add(1) < 3) {
    std::fprintf(stderr, "fs guard: refused %s of %s (outside %s)\n", what, abs.c_str(),
                 sandbox.c_str());
  }
  errno = EACCES;
  return false;
}

}  // namespace

void ArmFsGuard(const std::string& root) {
  sandbox = std::filesystem::path(root).lexically_normal().string();
  while (sandbox.size() > 1 && sandbox.back() == '/') sandbox.pop_back();
  armed = true;
}

void DisarmFsGuard() { armed = false; }

int64_t FsGuardRefusals() { return refusals.load(); }

}  // namespace almanac::fuzz

// The libc entry points that change the directory tree. Each forwards to the system call.
using almanac::fuzz::Allowed;

extern "C" {

int mkdirat(int dirfd, const char* path, mode_t mode) noexcept {
  if (!Allowed(dirfd, path, "mkdir")) return -1;
  return static_cast<int>(syscall(SYS_mkdirat, dirfd, path, mode));
}

int mkdir(const char* path, mode_t mode) noexcept { return mkdirat(AT_FDCWD, path, mode); }

int unlinkat(int dirfd, const char* path, int flags) noexcept {
  if (!Allowed(dirfd, path, "unlink")) return -1;
  return static_cast<int>(syscall(SYS_unlinkat, dirfd, path, flags));
}

int unlink(const char* path) noexcept { return unlinkat(AT_FDCWD, path, 0); }

int rmdir(const char* path) noexcept { return unlinkat(AT_FDCWD, path, AT_REMOVEDIR); }

int remove(const char* path) noexcept {
  const int rc = unlinkat(AT_FDCWD, path, 0);
  if (rc == 0 || errno != EISDIR) return rc;
  return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int renameat2(int olddirfd, const char* oldpath, int newdirfd, const char* newpath,
              unsigned int flags) noexcept {
  if (!Allowed(olddirfd, oldpath, "rename") || !Allowed(newdirfd, newpath, "rename")) return -1;
  return static_cast<int>(syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, flags));
}

int renameat(int olddirfd, const char* oldpath, int newdirfd, const char* newpath) noexcept {
  return renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}

int rename(const char* oldpath, const char* newpath) noexcept {
  return renameat2(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

}  // extern "C"
