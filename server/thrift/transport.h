#pragma once

// Hardening for the Thrift front end on Thrift 0.17 C++ (see docs/hardening in the README):
// a transport wrapper that caps the bytes and the time of each incoming message, a processor
// wrapper that turns any exception into closing just that connection, and a server socket that
// closes connections above the limit at once instead of leaving them in the backlog.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include <thrift/TProcessor.h>
#include <thrift/transport/TServerSocket.h>
#include <thrift/transport/TTransport.h>
#include <thrift/transport/TVirtualTransport.h>

namespace almanac::thrift_server {

struct TransportLimits {
  uint64_t max_message_bytes = 100ull << 20;    // Per incoming message.
  int32_t max_string_bytes = 16 << 20;          // Per string or binary field.
  int32_t max_container_elements = 1'000'000;   // Per list, set or map.
  std::chrono::milliseconds message_deadline{60'000};  // From a message's first byte to its last.
  bool framed = false;
  bool compact = false;
};

// Wraps the transport a protocol reads from. Counts the bytes of the message being read and
// throws TTransportException once it exceeds max_message_bytes or outlives its deadline. The
// generated processor calls readEnd() after each message, which resets both.
// Not thread-safe; one per connection.
class MessageLimitTransport
    : public apache::thrift::transport::TVirtualTransport<MessageLimitTransport> {
 public:
  MessageLimitTransport(std::shared_ptr<apache::thrift::transport::TTransport> inner,
                        const TransportLimits& limits);

  bool isOpen() const override { return inner_->isOpen(); }
  bool peek() override { return inner_->peek(); }
  void open() override { inner_->open(); }
  void close() override { inner_->close(); }
  const std::string getOrigin() const override { return inner_->getOrigin(); }

  uint32_t read(uint8_t* buf, uint32_t len);
  uint32_t readEnd() override;
  void write(const uint8_t* buf, uint32_t len) { inner_->write(buf, len); }
  uint32_t writeEnd() override { return inner_->writeEnd(); }
  void flush() override { inner_->flush(); }

 private:
  std::shared_ptr<apache::thrift::transport::TTransport> inner_;
  const uint64_t max_bytes_;
  const std::chrono::milliseconds deadline_;
  uint64_t bytes_ = 0;
  std::chrono::steady_clock::time_point started_;
};

// Makes the input side of each connection: buffered or framed, then MessageLimitTransport.
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

// Protocol factory with strict reads and the string and container limits applied.
std::shared_ptr<apache::thrift::protocol::TProtocolFactory> MakeProtocolFactory(
    const TransportLimits& limits);

// What one connection's handler and processor share.
struct ConnectionState {
  std::string peer;
  // Set by the handler (fb303 shutdown) to end this connection after the current call.
  bool close_requested = false;
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

// A server socket that admits at most `max_connections` open connections; one more is accepted
// and closed at once so its client fails fast. `active` is shared with the server's event
// handler, which decrements it when a connection ends.
class AdmissionServerSocket : public apache::thrift::transport::TServerSocket {
 public:
  AdmissionServerSocket(const std::string& address, int port, int64_t max_connections,
                        std::shared_ptr<std::atomic<int64_t>> active)
      : TServerSocket(address, port), max_connections_(max_connections),
        active_(std::move(active)) {}

 protected:
  std::shared_ptr<apache::thrift::transport::TTransport> acceptImpl() override;

 private:
  const int64_t max_connections_;
  std::shared_ptr<std::atomic<int64_t>> active_;
};

}  // namespace almanac::thrift_server
