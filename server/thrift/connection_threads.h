#pragma once

// A Thrift server framework that serves each connection on a thread of its own, like Thrift's
// TThreadedServer, but survives a thread that cannot be created: that one connection is closed
// and logged, and the accept loop goes on. (TThreadedServer lets the exception end serve(), and
// its Thread object then dereferences a null std::thread when destroyed.)
//
// The number of threads is bounded by the connections the server socket admits.
//
// Thread-safety: as TServerFramework. serve() returns once stop() was called and every
// connection's thread has finished and been joined.

#include <map>
#include <memory>
#include <thread>
#include <vector>

#include <thrift/server/TServerFramework.h>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace almanac::thrift_server {

class ConnectionThreadServer : public apache::thrift::server::TServerFramework {
 public:
  using TServerFramework::TServerFramework;
  ~ConnectionThreadServer() override;

  void serve() override;

 protected:
  void onClientConnected(
      const std::shared_ptr<apache::thrift::server::TConnectedClient>& client) override;
  void onClientDisconnected(apache::thrift::server::TConnectedClient* client) override;

 private:
  // Joins the threads of connections that have ended.
  void JoinFinished();

  absl::Mutex mu_;
  // Threads of open connections; an empty std::thread while its thread is being started.
  std::map<apache::thrift::server::TConnectedClient*, std::thread> running_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> finished_ ABSL_GUARDED_BY(mu_);
};

}  // namespace almanac::thrift_server
