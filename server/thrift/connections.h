#pragma once

// The open connections of the Thrift front end: how many there are, from which addresses, and
// which are idle (waiting for their next request). When the server, or one client address, is
// at its limit, a new connection is admitted by closing the connection of that scope that has
// been idle the longest; only when none is idle is the new one refused. Idle clients therefore
// cannot lock others out, and a busy one is never cut off mid-request.
//
// Thread-safety: all methods may be called from any thread.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace almanac::thrift_server {

class ConnectionRegistry {
 public:
  // `max_per_address` 0 means no cap per address.
  ConnectionRegistry(int64_t max_connections, int64_t max_per_address)
      : max_connections_(max_connections), max_per_address_(max_per_address) {}
  ConnectionRegistry(const ConnectionRegistry&) = delete;
  ConnectionRegistry& operator=(const ConnectionRegistry&) = delete;

  struct Admission {
    int64_t id = 0;             // 0 when refused.
    std::string evicted_peer;   // The idle connection closed to make room, if any.
    std::string refused_scope;  // Why it was refused: "server" or "address".
  };

  // Admits a connection from `address` (its socket is `fd`), closing an idle connection first
  // if that is what it takes. A connection starts out busy.
  Admission Admit(int fd, const std::string& address, const std::string& peer);

  // Marks a connection as waiting for its next request (idle) or working on one.
  void SetIdle(int64_t id, bool idle);

  // Forgets a connection whose socket is closed.
  void Remove(int64_t id);

  // Connections admitted and not yet removed, evicted ones included until they are gone.
  int64_t open() const;

 private:
  struct Entry {
    int fd = -1;
    std::string address;
    std::string peer;
    bool idle = false;
    bool evicted = false;
    std::chrono::steady_clock::time_point idle_since;
  };

  // Shuts down the connection that has been idle the longest, among all of them or those from
  // `address` when it is not empty. False when none is idle.
  bool EvictOldestIdle(const std::string& address, std::string* peer)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int64_t max_connections_;
  const int64_t max_per_address_;
  mutable absl::Mutex mu_;
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<int64_t, Entry> entries_ ABSL_GUARDED_BY(mu_);
  int64_t live_ ABSL_GUARDED_BY(mu_) = 0;  // Entries not evicted.
  std::map<std::string, int64_t> live_by_address_ ABSL_GUARDED_BY(mu_);
};

}  // namespace almanac::thrift_server
