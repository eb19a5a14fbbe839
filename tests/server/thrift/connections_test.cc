// ConnectionRegistry: admission, and eviction of the connection idle the longest.

#include "server/thrift/connections.h"

#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace almanac::thrift_server {
namespace {

// A connected socket pair: the registry gets one end, the test watches the other.
struct Pair {
  Pair() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~Pair() {
    close(fds[0]);
    close(fds[1]);
  }
  int server() const { return fds[0]; }
  // True once the server end was shut down (the peer reads end of stream).
  bool ShutDown() const {
    char byte;
    return recv(fds[1], &byte, 1, MSG_DONTWAIT) == 0;
  }
  int fds[2];
};

TEST(ConnectionRegistryTest, AFullServerClosesTheConnectionIdleTheLongest) {
  ConnectionRegistry registry(2, 0);
  Pair a, b, c, d;
  const int64_t ida = registry.Admit(a.server(), "10.0.0.1", "a").id;
  const int64_t idb = registry.Admit(b.server(), "10.0.0.2", "b").id;
  ASSERT_NE(ida, 0);
  ASSERT_NE(idb, 0);
  registry.SetIdle(ida, true);
  registry.SetIdle(idb, true);
  registry.SetIdle(idb, false);
  registry.SetIdle(idb, true);  // b was busy more recently: a has been idle the longest.

  ConnectionRegistry::Admission third = registry.Admit(c.server(), "10.0.0.3", "c");
  EXPECT_NE(third.id, 0);
  EXPECT_EQ(third.evicted_peer, "a");
  EXPECT_TRUE(a.ShutDown());
  EXPECT_FALSE(b.ShutDown());

  registry.Remove(ida);  // a's thread saw the end of its stream.
  EXPECT_EQ(registry.open(), 2);
  // c is busy, b idle: b makes room. Then nobody is idle, and the next one is refused.
  EXPECT_EQ(registry.Admit(d.server(), "10.0.0.4", "d").evicted_peer, "b");
  Pair e;
  ConnectionRegistry::Admission refused = registry.Admit(e.server(), "10.0.0.5", "e");
  EXPECT_EQ(refused.id, 0);
  EXPECT_EQ(refused.refused_scope, "server");
  EXPECT_FALSE(e.ShutDown());
}

TEST(ConnectionRegistryTest, ThePerAddressCapEvictsOnlyThatAddress) {
  ConnectionRegistry registry(10, 1);
  Pair a, b, c, d;
  const int64_t ida = registry.Admit(a.server(), "10.0.0.1", "a:1").id;
  const int64_t idb = registry.Admit(b.server(), "10.0.0.2", "b:1").id;
  registry.SetIdle(ida, true);
  registry.SetIdle(idb, true);
  // b has been idle for less time than a, but only a shares the new connection's address.
  ConnectionRegistry::Admission again = registry.Admit(c.server(), "10.0.0.1", "a:2");
  EXPECT_NE(again.id, 0);
  EXPECT_EQ(again.evicted_peer, "a:1");
  EXPECT_FALSE(b.ShutDown());
  // The new one from 10.0.0.1 is busy: a third one from there is refused.
  ConnectionRegistry::Admission refused = registry.Admit(d.server(), "10.0.0.1", "a:3");
  EXPECT_EQ(refused.id, 0);
  EXPECT_EQ(refused.refused_scope, "address");
}

TEST(ConnectionRegistryTest, RemovedConnectionsFreeTheirSlots) {
  ConnectionRegistry registry(1, 0);
  Pair a, b;
  const int64_t ida = registry.Admit(a.server(), "10.0.0.1", "a").id;
  EXPECT_EQ(registry.Admit(b.server(), "10.0.0.1", "b").id, 0);
  registry.Remove(ida);
  registry.Remove(ida);  // Twice is harmless.
  EXPECT_NE(registry.Admit(b.server(), "10.0.0.1", "b").id, 0);
  EXPECT_EQ(registry.open(), 1);
}

}  // namespace
}  // namespace almanac::thrift_server
