#pragma once

// Hardening for the Thrift front end on Thrift 0.17 C++ (see docs/hardening in the README):
// transport layers that cap the bytes and the time of each incoming message, protocols whose
// memory follows the bytes received rather than the sizes declared, a processor wrapper that
// turns any exception into closing just that connection, and a server socket that closes
// connections above the limit at once instead of leaving them in the backlog.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include <set>
#include <string>

#include <thrift/TProcessor.h>
#include <thrift/transport/TServerSocket.h>
#include <thrift/transport/TSocket.h>
#include <thrift/transport/TTransport.h>
#include <thrift/transport/TVirtualTransport.h>

#include "server/thrift/connections.h"

namespace almanac::thrift_server {

struct TransportLimits {
  uint64_t max_message_bytes = 100ull << 20;           // Per incoming message.
  int32_t max_string_bytes = 16 << 20;                 // Per string or binary field.
  int32_t max_container_elements = 1'000'000;          // Per list, set or map.
  std::chrono::milliseconds message_deadline{60'000};  // From a message's first byte to its last.
  std::chrono::milliseconds idle_timeout{0};  // Wait for a message's first byte; 0 = forever.
  bool framed = false;
  bool compact = false;
};

// When the message being read on a connection began, shared by the two layers below.
struct MessageClock {
  bool in_message = false;
  std::chrono::steady_clock::time_point started;
};

// The layer next to the socket. Waits up to the idle timeout for a message's first byte, then
// bounds every later wait by what is left of the message's deadline, so a client that trickles
// or stalls mid-message (also inside a frame) is dropped on time. Throws TTransportException
// TIMED_OUT when the deadline passes. Not thread-safe; one per connection.
class DeadlineTransport : public apache::thrift::transport::TVirtualTransport<DeadlineTransport> {
 public:
  DeadlineTransport(std::shared_ptr<apache::thrift::transport::TTransport> socket,
                    std::shared_ptr<MessageClock> clock, const TransportLimits& limits);

  bool isOpen() const override { return socket_->isOpen(); }
  bool peek() override { return socket_->peek(); }
  void open() override { socket_->open(); }
  void close() override { socket_->close(); }
  const std::string getOrigin() const override { return socket_->getOrigin(); }
  uint32_t read(uint8_t* buf, uint32_t len);
  void write(const uint8_t* buf, uint32_t len) { socket_->write(buf, len); }
  void flush() override { socket_->flush(); }

 private:
  void SetRecvTimeout(int64_t ms);

  std::shared_ptr<apache::thrift::transport::TTransport> socket_;
  apache::thrift::transport::TSocket* tsocket_;  // socket_ as a TSocket, or null.
  class TrackedSocket* tracked_;                 // socket_ as a TrackedSocket, or null.
  std::shared_ptr<MessageClock> clock_;
  const std::chrono::milliseconds deadline_;
  const int64_t idle_ms_;
  int64_t recv_timeout_ms_ = -1;  // As last set on tsocket_.
};

// The layer the protocol reads from. Counts the bytes of the message being read and throws
// TTransportException once they exceed max_message_bytes. RequireReceived() reads ahead, so the
// protocol can insist that declared data has really arrived before anything is allocated for
// it. The generated processor calls readEnd() after each message, which starts the next one.
// Not thread-safe; one per connection.
class MessageLimitTransport
    : public apache::thrift::transport::TVirtualTransport<MessageLimitTransport> {
 public:
  MessageLimitTransport(std::shared_ptr<apache::thrift::transport::TTransport> inner,
                        std::shared_ptr<MessageClock> clock, const TransportLimits& limits);

  bool isOpen() const override { return inner_->isOpen(); }
  bool peek() override { return ahead_pos_ < ahead_.size() || inner_->peek(); }
  void open() override { inner_->open(); }
  void close() override { inner_->close(); }
  const std::string getOrigin() const override { return inner_->getOrigin(); }

  uint32_t read(uint8_t* buf, uint32_t len);
  uint32_t readEnd() override;
  void write(const uint8_t* buf, uint32_t len) { inner_->write(buf, len); }
  uint32_t writeEnd() override { return inner_->writeEnd(); }
  void flush() override { inner_->flush(); }

  // Blocks until `bytes` bytes of the current message have been received, buffering what the
  // protocol has not consumed yet. Throws TTransportException if the message limit would be
  // exceeded, the peer closes, or the deadline passes.
  void RequireReceived(uint64_t bytes);

 private:
  uint32_t ReadInner(uint8_t* buf, uint32_t len);

  std::shared_ptr<apache::thrift::transport::TTransport> inner_;
  std::shared_ptr<MessageClock> clock_;
  const uint64_t max_bytes_;
  uint64_t received_ = 0;  // Bytes of the current message taken from inner_.
  std::string ahead_;      // Read ahead by RequireReceived, not yet consumed.
  size_t ahead_pos_ = 0;
};

// Makes the input side of each connection: DeadlineTransport, buffered or framed, then
// MessageLimitTransport.
class LimitedInputTransportFactory : public apache::thrift::transport::TTransportFactory {
 public:
  explicit LimitedInputTransportFactory(TransportLimits limits) : limits_(limits) {}
  std::shared_ptr<apache::thrift::transport::TTransport> getTransport(
      std::shared_ptr<apache::thrift::transport::TTransport> trans) override;

 private:
  TransportLimits limits_;
};

// Makes the output side of each connection: buffered or framed.
class OutputTransportFactory : public apache::thrift::transport::TTransportFactory {
 public:
  explicit OutputTransportFactory(bool framed) : framed_(framed) {}
  std::shared_ptr<apache::thrift::transport::TTransport> getTransport(
      std::shared_ptr<apache::thrift::transport::TTransport> trans) override;

 private:
  bool framed_;
};

// Protocol factory with strict reads and the string and container limits applied. On a
// MessageLimitTransport, the protocols it makes also refuse to allocate for data that has not
// arrived: a list, set or map is returned only once the minimum encoded size of its declared
// elements has been received, a binary-protocol string grows as its bytes arrive, and a method
// name is at most 1 KiB. Memory for a message thus follows the bytes actually sent, not the sizes
// a client declares.
std::shared_ptr<apache::thrift::protocol::TProtocolFactory> MakeProtocolFactory(
    const TransportLimits& limits);

// "address:port" of a connection's peer, without a reverse DNS lookup.
std::string PeerName(const std::shared_ptr<apache::thrift::transport::TTransport>& transport);

// What one connection's handler and processor share.
struct ConnectionState {
  std::string peer;
  // Set by the handler (fb303 shutdown) to end this connection after the current call.
  bool close_requested = false;
  // Field ids of the arguments the client sent in the current call. A Java client leaves out
  // an argument that is null, which the generated C++ code reads as an empty value.
  std::set<int16_t> arguments_sent;
};

// Wraps a connection's processor: any exception escaping it (a decode failure, bad_alloc,
// anything) is logged and ends only that connection, as does a close request.
class GuardedProcessor : public apache::thrift::TProcessor {
 public:
  GuardedProcessor(std::shared_ptr<apache::thrift::TProcessor> inner,
                   std::shared_ptr<ConnectionState> state)
      : inner_(std::move(inner)), state_(std::move(state)) {}
  bool process(std::shared_ptr<apache::thrift::protocol::TProtocol> in,
               std::shared_ptr<apache::thrift::protocol::TProtocol> out,
               void* connection_context) override;

 private:
  std::shared_ptr<apache::thrift::TProcessor> inner_;
  std::shared_ptr<ConnectionState> state_;
};

// An accepted socket known to the ConnectionRegistry: it reports when it waits for a request,
// and leaves the registry as it closes (before its descriptor can be reused).
class TrackedSocket : public apache::thrift::transport::TSocket {
 public:
  TrackedSocket(THRIFT_SOCKET fd, std::shared_ptr<THRIFT_SOCKET> interrupt_listener,
                std::shared_ptr<ConnectionRegistry> registry)
      : TSocket(fd, std::move(interrupt_listener)), registry_(std::move(registry)) {}
  ~TrackedSocket() override { Forget(); }

  void close() override {
    Forget();
    TSocket::close();
  }
  void set_id(int64_t id) { id_ = id; }
  void SetIdle(bool idle) {
    if (id_ != 0) registry_->SetIdle(id_, idle);
  }

 private:
  void Forget() {
    if (id_ != 0) registry_->Remove(id_);
    id_ = 0;
  }

  std::shared_ptr<ConnectionRegistry> registry_;
  int64_t id_ = 0;
};

// A server socket whose connections are admitted by a ConnectionRegistry: when the server or a
// client address is at its limit, the connection idle the longest makes room, and if none is
// idle the new one is accepted and closed at once so its client fails fast. A failing accept()
// (out of descriptors, aborted connection) is logged and retried after a pause instead of
// ending the server's accept loop, which TServerFramework does on any error but an interrupt.
class AdmissionServerSocket : public apache::thrift::transport::TServerSocket {
 public:
  AdmissionServerSocket(const std::string& address, int port,
                        std::shared_ptr<ConnectionRegistry> registry)
      : TServerSocket(address, port), registry_(std::move(registry)) {}

 protected:
  std::shared_ptr<apache::thrift::transport::TTransport> acceptImpl() override;
  std::shared_ptr<apache::thrift::transport::TSocket> createSocket(THRIFT_SOCKET client) override;

 private:
  std::shared_ptr<ConnectionRegistry> registry_;
  // Only the accepting thread touches these; they rate-limit the warnings.
  int64_t refused_unlogged_ = 0;
  int64_t accept_errors_unlogged_ = 0;
  std::chrono::steady_clock::time_point last_refused_log_;
  std::chrono::steady_clock::time_point last_error_log_;
};

}  // namespace almanac::thrift_server
