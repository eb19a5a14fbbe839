#include "server/thrift/connections.h"

#include <sys/socket.h>

#include <utility>

namespace almanac::thrift_server {

ConnectionRegistry::Admission ConnectionRegistry::Admit(int fd, const std::string& address,
                                                        const std::string& peer) {
  Admission admission;
  absl::MutexLock lock(&mu_);
  if (max_per_address_ > 0 && live_by_address_[address] >= max_per_address_ &&
      !EvictOldestIdle(address, &admission.evicted_peer)) {
    admission.refused_scope = "address";
    return admission;
  }
  if (live_ >= max_connections_ && !EvictOldestIdle("", &admission.evicted_peer)) {
    admission.refused_scope = "server";
    return admission;
  }
  admission.id = next_id_++;
  Entry entry;
  entry.fd = fd;
  entry.address = address;
  entry.peer = peer;
  entries_.emplace(admission.id, std::move(entry));
  ++live_;
  ++live_by_address_[address];
  return admission;
}

bool ConnectionRegistry::EvictOldestIdle(const std::string& address, std::string* peer) {
  Entry* oldest = nullptr;
  for (auto& [id, entry] : entries_) {
    if (!entry.idle || entry.evicted) continue;
    if (!address.empty() && entry.address != address) continue;
    if (oldest == nullptr || entry.idle_since < oldest->idle_since) oldest = &entry;
  }
  if (oldest == nullptr) return false;
  // Its thread, blocked reading the next request, sees the end of the stream and closes the
  // connection; the socket is released (and removed here) by that thread.
  ::shutdown(oldest->fd, SHUT_RDWR);
  oldest->evicted = true;
  --live_;
  --live_by_address_[oldest->address];
  *peer = oldest->peer;
  return true;
}

void ConnectionRegistry::SetIdle(int64_t id, bool idle) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.idle == idle) return;
  it->second.idle = idle;
  if (idle) it->second.idle_since = std::chrono::steady_clock::now();
}

void ConnectionRegistry::Remove(int64_t id) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  if (!it->second.evicted) {
    --live_;
    if (--live_by_address_[it->second.address] == 0) live_by_address_.erase(it->second.address);
  } else if (live_by_address_[it->second.address] == 0) {
    live_by_address_.erase(it->second.address);
  }
  entries_.erase(it);
}

int64_t ConnectionRegistry::open() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int64_t>(entries_.size());
}

}  // namespace almanac::thrift_server
