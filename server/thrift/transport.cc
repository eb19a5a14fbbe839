#include "server/thrift/transport.h"

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/protocol/TProtocolException.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TTransportException.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/logging.h"

namespace almanac::thrift_server {

using apache::thrift::TConfiguration;
using apache::thrift::protocol::TProtocol;
using apache::thrift::transport::TBufferedTransport;
using apache::thrift::transport::TFramedTransport;
using apache::thrift::transport::TTransport;
using apache::thrift::transport::TTransportException;

MessageLimitTransport::MessageLimitTransport(std::shared_ptr<TTransport> inner,
                                             const TransportLimits& limits)
    : inner_(std::move(inner)),
      max_bytes_(limits.max_message_bytes),
      deadline_(limits.message_deadline) {}

uint32_t MessageLimitTransport::read(uint8_t* buf, uint32_t len) {
  uint32_t n = inner_->read(buf, len);
  if (n == 0) return 0;
  const auto now = std::chrono::steady_clock::now();
  if (bytes_ == 0) started_ = now;
  bytes_ += n;
  if (bytes_ > max_bytes_) {
    throw TTransportException(TTransportException::CORRUPTED_DATA,
                              absl::StrCat("message larger than the limit of ", max_bytes_,
                                           " bytes"));
  }
  if (now - started_ > deadline_) {
    throw TTransportException(TTransportException::TIMED_OUT,
                              "message not received within the read deadline");
  }
  return n;
}

uint32_t MessageLimitTransport::readEnd() {
  bytes_ = 0;
  return inner_->readEnd();
}

std::shared_ptr<TTransport> LimitedInputTransportFactory::getTransport(
    std::shared_ptr<TTransport> trans) {
  std::shared_ptr<TTransport> inner;
  if (limits_.framed) {
    auto config = std::make_shared<TConfiguration>(
        static_cast<int>(std::min<uint64_t>(limits_.max_message_bytes, INT32_MAX)),
        static_cast<int>(std::min<uint64_t>(limits_.max_message_bytes, INT32_MAX)));
    inner = std::make_shared<TFramedTransport>(trans, config);
  } else {
    inner = std::make_shared<TBufferedTransport>(trans);
  }
  return std::make_shared<MessageLimitTransport>(inner, limits_);
}

std::shared_ptr<TTransport> OutputTransportFactory::getTransport(
    std::shared_ptr<TTransport> trans) {
  if (framed_) return std::make_shared<TFramedTransport>(trans);
  return std::make_shared<TBufferedTransport>(trans);
}

std::shared_ptr<apache::thrift::protocol::TProtocolFactory> MakeProtocolFactory(
    const TransportLimits& limits) {
  if (limits.compact) {
    return std::make_shared<apache::thrift::protocol::TCompactProtocolFactoryT<TTransport>>(
        limits.max_string_bytes, limits.max_container_elements);
  }
  return std::make_shared<apache::thrift::protocol::TBinaryProtocolFactoryT<TTransport>>(
      limits.max_string_bytes, limits.max_container_elements, /*strict_read=*/true,
      /*strict_write=*/true);
}

bool GuardedProcessor::process(std::shared_ptr<TProtocol> in, std::shared_ptr<TProtocol> out,
                               void* connection_context) {
  const std::string& origin = state_->peer;
  try {
    return inner_->process(in, out, connection_context) && !state_->close_requested;
  } catch (const TTransportException& e) {
    // End of stream and timeouts are the normal ways a connection ends.
    if (e.getType() != TTransportException::END_OF_FILE &&
        e.getType() != TTransportException::TIMED_OUT &&
        e.getType() != TTransportException::INTERRUPTED) {
      LogWarning("closing connection: transport error", {{"peer", origin}, {"error", e.what()}});
    }
  } catch (const std::exception& e) {
    LogWarning("closing connection: bad request", {{"peer", origin}, {"error", e.what()}});
  } catch (...) {
    LogWarning("closing connection: unknown error", {{"peer", origin}});
  }
  return false;
}

std::shared_ptr<TTransport> AdmissionServerSocket::acceptImpl() {
  while (true) {
    std::shared_ptr<TTransport> client = TServerSocket::acceptImpl();
    if (active_->load() < max_connections_) {
      active_->fetch_add(1);
      return client;
    }
    LogWarning("connection refused: too many open connections",
               {{"peer", client->getOrigin()}, {"limit", std::to_string(max_connections_)}});
    try {
      client->close();
    } catch (const std::exception&) {
    }
  }
}

}  // namespace almanac::thrift_server
