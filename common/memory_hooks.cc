// Replaces the global operator new and delete so that every allocation made while a request is
// open on the thread is charged to it (common/request_scope.h). Sizes are what the allocator
// really reserved (malloc_usable_size), so a budget follows memory in use, not sizes declared
// by a client. Linked into almanacd and into the tests that exercise the budgets; a program
// without this file keeps the standard allocator and simply never refuses memory.

#include <malloc.h>

#include <cstdlib>
#include <new>

#include "common/request_scope.h"

namespace {

using almanac::memory_internal::Charge;
using almanac::memory_internal::Release;

// Null when the system is out of memory or the budget refuses; `refused` tells which.
void* Allocate(std::size_t size, std::size_t alignment, bool* refused = nullptr) {
  if (size == 0) size = 1;
  void* p = nullptr;
  if (alignment <= alignof(std::max_align_t)) {
    p = std::malloc(size);
  } else if (posix_memalign(&p, alignment, size) != 0) {
    p = nullptr;
  }
  if (p == nullptr) return nullptr;
  if (!Charge(static_cast<int64_t>(malloc_usable_size(p)))) {
    std::free(p);
    if (refused != nullptr) *refused = true;
    return nullptr;
  }
  return p;
}

void* AllocateOrThrow(std::size_t size, std::size_t alignment) {
  bool refused = false;
  void* p = Allocate(size, alignment, &refused);
  if (p != nullptr) return p;
  if (refused) throw almanac::MemoryBudgetExceeded();  // Its message names the budget.
  throw std::bad_alloc();
}

void Free(void* p) noexcept {
  if (p == nullptr) return;
  Release(static_cast<int64_t>(malloc_usable_size(p)));
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return AllocateOrThrow(size, 0); }
void* operator new[](std::size_t size) { return AllocateOrThrow(size, 0); }
void* operator new(std::size_t size, std::align_val_t al) {
  return AllocateOrThrow(size, static_cast<std::size_t>(al));
}
void* operator new[](std::size_t size, std::align_val_t al) {
  return AllocateOrThrow(size, static_cast<std::size_t>(al));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return Allocate(size, 0); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return Allocate(size, 0); }
void* operator new(std::size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
  return Allocate(size, static_cast<std::size_t>(al));
}
void* operator new[](std::size_t size, std::align_val_t al, const std::nothrow_t&) noexcept {
  return Allocate(size, static_cast<std::size_t>(al));
}

void operator delete(void* p) noexcept { Free(p); }
void operator delete[](void* p) noexcept { Free(p); }
void operator delete(void* p, std::size_t) noexcept { Free(p); }
void operator delete[](void* p, std::size_t) noexcept { Free(p); }
void operator delete(void* p, std::align_val_t) noexcept { Free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { Free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { Free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { Free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { Free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { Free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { Free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { Free(p); }
