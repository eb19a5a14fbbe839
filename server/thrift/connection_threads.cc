#include "server/thrift/connection_threads.h"

#include <system_error>
#include <utility>

#include <thrift/server/TConnectedClient.h>

#include "common/logging.h"

namespace almanac::thrift_server {

using apache::thrift::server::TConnectedClient;

ConnectionThreadServer::~ConnectionThreadServer() { JoinFinished(); }

void ConnectionThreadServer::serve() {
  TServerFramework::serve();
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](std::map<TConnectedClient*, std::thread>* running) { return running->empty(); },
        &running_));
  }
  JoinFinished();
}

void ConnectionThreadServer::onClientConnected(const std::shared_ptr<TConnectedClient>& client) {
  JoinFinished();
  {
    absl::MutexLock lock(&mu_);
    running_.emplace(client.get(), std::thread());
  }
  std::thread thread;
  try {
    thread = std::thread([client] { client->run(); });
  } catch (const std::system_error& e) {
    // The client's transports close when the framework lets go of it, which also calls
    // onClientDisconnected.
    LogWarning("cannot start a thread for a new connection; closing it", {{"error", e.what()}});
    return;
  }
  absl::MutexLock lock(&mu_);
  auto it = running_.find(client.get());
  if (it != running_.end()) {
    it->second = std::move(thread);
  } else {
    finished_.push_back(std::move(thread));  // The connection has already ended.
  }
}

void ConnectionThreadServer::onClientDisconnected(TConnectedClient* client) {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(client);
  if (it == running_.end()) return;
  if (it->second.joinable()) finished_.push_back(std::move(it->second));
  running_.erase(it);
}

void ConnectionThreadServer::JoinFinished() {
  std::vector<std::thread> done;
  {
    absl::MutexLock lock(&mu_);
    done.swap(finished_);
  }
  for (std::thread& thread : done) {
    // A thread cannot join itself: the last connection's thread may be the one cleaning up.
    if (thread.get_id() == std::this_thread::get_id()) {
      thread.detach();
    } else {
      thread.join();
    }
  }
}

}  // namespace almanac::thrift_server
