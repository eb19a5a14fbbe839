#pragma once

// A file-system fence for fuzz targets that drive the real catalog. Requests can name any
// location, and dropping or renaming a table deletes, moves or creates directories there. While
// the guard is armed, every call that creates, removes or renames a file or directory outside
// the sandbox directory fails with EACCES instead of touching the machine. fs_guard.cc defines
// those libc functions (mkdir, rmdir, unlink, remove, rename and their *at forms) in the fuzz
// executable, where they take precedence over libc's for libstdc++ and SQLite too.
//
// Thread-safety: arm and disarm from one thread while no other thread changes files.

#include <cstdint>
#include <string>

namespace almanac::fuzz {

// Starts refusing changes outside `root` (an absolute, normalised directory path).
void ArmFsGuard(const std::string& root);
// Lets every call through again.
void DisarmFsGuard();
// How many calls were refused since the process started.
int64_t FsGuardRefusals();

}  // namespace almanac::fuzz
