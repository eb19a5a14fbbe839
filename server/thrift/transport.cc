#include "server/thrift/transport.h"

#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/protocol/TProtocolException.h>
#include <thrift/transport/TBufferTransports.h>
#include <thrift/transport/TTransportException.h>

#include <algorithm>
#include <cstdlib>
#include <thread>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/request_scope.h"

namespace almanac::thrift_server {

using apache::thrift::TConfiguration;
using apache::thrift::protocol::TBinaryProtocolT;
using apache::thrift::protocol::TCompactProtocolT;
using apache::thrift::protocol::TMessageType;
using apache::thrift::protocol::TProtocol;
using apache::thrift::protocol::TProtocolException;
using apache::thrift::protocol::TType;
using apache::thrift::transport::TBufferedTransport;
using apache::thrift::transport::TFramedTransport;
using apache::thrift::transport::TSocket;
using apache::thrift::transport::TTransport;
using apache::thrift::transport::TTransportException;

namespace {

constexpr uint32_t kReadAheadChunk = 64 << 10;
constexpr uint32_t kStringChunk = 64 << 10;
constexpr int32_t kMaxMethodNameBytes = 1024;
constexpr uint32_t kBufferBytes = 16 << 10;
constexpr uint32_t kFrameReclaimBytes = 1 << 20;  // Larger frame buffers are freed after use.

int64_t Millis(std::chrono::steady_clock::duration d) {
  return std::chrono::ceil<std::chrono::milliseconds>(d).count();
}

}  // namespace

DeadlineTransport::DeadlineTransport(std::shared_ptr<TTransport> socket,
                                     std::shared_ptr<MessageClock> clock,
                                     const TransportLimits& limits)
    : socket_(std::move(socket)),
      tsocket_(dynamic_cast<TSocket*>(socket_.get())),
      tracked_(dynamic_cast<TrackedSocket*>(socket_.get())),
      clock_(std::move(clock)),
      deadline_(limits.message_deadline),
      idle_ms_(limits.idle_timeout.count()) {}

void DeadlineTransport::SetRecvTimeout(int64_t ms) {
  // The remaining time shrinks on every read; a few milliseconds of slack saves system calls.
  if (tsocket_ == nullptr || (recv_timeout_ms_ >= 0 && std::abs(ms - recv_timeout_ms_) < 20)) {
    return;
  }
  tsocket_->setRecvTimeout(static_cast<int>(ms));
  recv_timeout_ms_ = ms;
}

uint32_t DeadlineTransport::read(uint8_t* buf, uint32_t len) {
  if (clock_->in_message) {
    const int64_t left = Millis(deadline_ - (std::chrono::steady_clock::now() - clock_->started));
    if (left <= 0) {
      throw TTransportException(TTransportException::TIMED_OUT,
                                "request not received within the read deadline");
    }
    SetRecvTimeout(idle_ms_ > 0 ? std::min(idle_ms_, left) : left);
    return socket_->read(buf, len);
  }
  SetRecvTimeout(idle_ms_);
  // Waiting for the first byte of the next request: this connection may be closed to make
  // room for a new one (ConnectionRegistry).
  if (tracked_ != nullptr) tracked_->SetIdle(true);
  const uint32_t n = socket_->read(buf, len);
  if (n > 0) {
    if (tracked_ != nullptr) tracked_->SetIdle(false);
    clock_->in_message = true;
    clock_->started = std::chrono::steady_clock::now();
  }
  return n;
}

MessageLimitTransport::MessageLimitTransport(std::shared_ptr<TTransport> inner,
                                             std::shared_ptr<MessageClock> clock,
                                             const TransportLimits& limits)
    : inner_(std::move(inner)), clock_(std::move(clock)), max_bytes_(limits.max_message_bytes) {}

uint32_t MessageLimitTransport::ReadInner(uint8_t* buf, uint32_t len) {
  uint32_t n = inner_->read(buf, len);
  received_ += n;
  if (received_ > max_bytes_) {
    throw TTransportException(
        TTransportException::CORRUPTED_DATA,
        absl::StrCat("message larger than the limit of ", max_bytes_, " bytes"));
  }
  return n;
}

uint32_t MessageLimitTransport::read(uint8_t* buf, uint32_t len) {
  if (ahead_pos_ < ahead_.size()) {
    const uint32_t n = static_cast<uint32_t>(std::min<size_t>(len, ahead_.size() - ahead_pos_));
    std::copy_n(ahead_.data() + ahead_pos_, n, buf);
    ahead_pos_ += n;
    if (ahead_pos_ == ahead_.size()) {
      ahead_pos_ = 0;
      ahead_.clear();
      if (ahead_.capacity() > kReadAheadChunk) ahead_.shrink_to_fit();
    }
    return n;
  }
  return ReadInner(buf, len);
}

void MessageLimitTransport::RequireReceived(uint64_t bytes) {
  if (bytes > max_bytes_) {
    throw TTransportException(
        TTransportException::CORRUPTED_DATA,
        absl::StrCat("message declares more data than the limit of ", max_bytes_, " bytes"));
  }
  if (ahead_pos_ > 0) {
    ahead_.erase(0, ahead_pos_);
    ahead_pos_ = 0;
  }
  while (received_ < bytes) {
    const size_t old_size = ahead_.size();
    const uint32_t want =
        static_cast<uint32_t>(std::min<uint64_t>(bytes - received_, kReadAheadChunk));
    ahead_.resize(old_size + want);
    const uint32_t got = ReadInner(reinterpret_cast<uint8_t*>(&ahead_[old_size]), want);
    ahead_.resize(old_size + got);
    if (got == 0) {
      throw TTransportException(TTransportException::END_OF_FILE,
                                "connection closed in the middle of a message");
    }
  }
}

uint32_t MessageLimitTransport::readEnd() {
  received_ = ahead_.size() - ahead_pos_;  // Anything read ahead belongs to the next message.
  clock_->in_message = received_ > 0;
  if (clock_->in_message) clock_->started = std::chrono::steady_clock::now();
  return inner_->readEnd();
}

std::shared_ptr<TTransport> LimitedInputTransportFactory::getTransport(
    std::shared_ptr<TTransport> trans) {
  auto clock = std::make_shared<MessageClock>();
  auto timed = std::make_shared<DeadlineTransport>(trans, clock, limits_);
  std::shared_ptr<TTransport> inner;
  if (limits_.framed) {
    const int max_frame =
        static_cast<int>(std::min<uint64_t>(limits_.max_message_bytes, INT32_MAX));
    inner =
        std::make_shared<TFramedTransport>(timed, kBufferBytes, kFrameReclaimBytes,
                                           std::make_shared<TConfiguration>(max_frame, max_frame));
  } else {
    inner = std::make_shared<TBufferedTransport>(timed, kBufferBytes, kBufferBytes);
  }
  return std::make_shared<MessageLimitTransport>(inner, clock, limits_);
}

std::shared_ptr<TTransport> OutputTransportFactory::getTransport(
    std::shared_ptr<TTransport> trans) {
  if (framed_) return std::make_shared<TFramedTransport>(trans);
  return std::make_shared<TBufferedTransport>(trans);
}

namespace {

// A binary or compact protocol that reads no size on trust; see MakeProtocolFactory.
template <class Base>
class BoundedProtocol : public Base {
 public:
  static constexpr bool kBinary = std::is_same_v<Base, TBinaryProtocolT<TTransport>>;

  template <class... Args>
  explicit BoundedProtocol(MessageLimitTransport* limiter, Args&&... args)
      : Base(std::forward<Args>(args)...), limiter_(limiter) {}

  uint32_t readMessageBegin_virt(std::string& name, TMessageType& type, int32_t& seqid) override {
    declared_ = 0;
    if constexpr (!kBinary) {
      return Base::readMessageBegin(name, type, seqid);
    } else {
      int32_t word = 0;
      int32_t length = 0;
      uint32_t n = this->readI32(word);
      if (word >= 0) {
        throw TProtocolException(TProtocolException::BAD_VERSION,
                                 "Missing version in readMessageBegin, old client?");
      }
      if ((word & Base::VERSION_MASK) != Base::VERSION_1) {
        throw TProtocolException(TProtocolException::BAD_VERSION, "Bad version identifier");
      }
      type = static_cast<TMessageType>(word & 0xff);
      n += this->readI32(length);
      n += ReadBody(name, length, kMaxMethodNameBytes);
      return n + this->readI32(seqid);
    }
  }

  uint32_t readListBegin_virt(TType& type, uint32_t& size) override {
    uint32_t n = Base::readListBegin(type, size);
    Declare(size, MinSize(type));
    return n;
  }
  uint32_t readSetBegin_virt(TType& type, uint32_t& size) override {
    uint32_t n = Base::readSetBegin(type, size);
    Declare(size, MinSize(type));
    return n;
  }
  uint32_t readMapBegin_virt(TType& key, TType& value, uint32_t& size) override {
    uint32_t n = Base::readMapBegin(key, value, size);
    Declare(size, MinSize(key) + MinSize(value));
    return n;
  }

  uint32_t readString_virt(std::string& str) override { return ReadString(str); }
  uint32_t readBinary_virt(std::string& str) override { return ReadString(str); }

  // Thrift's own skip() calls the non-virtual reads, which would bypass the checks above.
  uint32_t skip_virt(TType type) override {
    return apache::thrift::protocol::skip(static_cast<TProtocol&>(*this), type);
  }

 private:
  // Every element takes at least one byte, and the elements of all the containers of a message
  // are disjoint bytes, so an honest message always holds `declared_` bytes.
  void Declare(uint32_t count, uint64_t min_size) {
    declared_ += static_cast<uint64_t>(count) * min_size;
    limiter_->RequireReceived(declared_);
  }

  uint64_t MinSize(TType type) {
    return std::max<uint64_t>(1, static_cast<uint64_t>(Base::getMinSerializedSize(type)));
  }

  uint32_t ReadString(std::string& str) {
    if constexpr (!kBinary) {
      return Base::readBinary(str);  // Sized buffer is allocated lazily; pages fill as data come.
    } else {
      int32_t length = 0;
      uint32_t n = this->readI32(length);
      return n + ReadBody(str, length, this->string_limit_);
    }
  }

  // Reads a binary-protocol string body in chunks, so memory grows only as the bytes arrive.
  uint32_t ReadBody(std::string& str, int32_t length, int32_t limit) {
    if (length < 0) throw TProtocolException(TProtocolException::NEGATIVE_SIZE);
    if (limit > 0 && length > limit) throw TProtocolException(TProtocolException::SIZE_LIMIT);
    str.clear();
    const auto total = static_cast<uint32_t>(length);
    while (str.size() < total) {
      const size_t old_size = str.size();
      const uint32_t chunk = std::min<uint32_t>(total - old_size, kStringChunk);
      str.resize(old_size + chunk);
      this->trans_->readAll(reinterpret_cast<uint8_t*>(&str[old_size]), chunk);
    }
    return total;
  }

  MessageLimitTransport* limiter_;  // The protocol's transport; owned by the base class.
  uint64_t declared_ = 0;           // Minimum bytes of the current message's containers.
};

template <class Base>
class BoundedProtocolFactory : public apache::thrift::protocol::TProtocolFactory {
 public:
  explicit BoundedProtocolFactory(const TransportLimits& limits) : limits_(limits) {}

  std::shared_ptr<TProtocol> getProtocol(std::shared_ptr<TTransport> trans) override {
    auto* limiter = dynamic_cast<MessageLimitTransport*>(trans.get());
    if (limiter == nullptr) return Make<Base>(trans);  // The output side.
    return Make<BoundedProtocol<Base>>(trans, limiter);
  }

 private:
  template <class P, class... Extra>
  std::shared_ptr<TProtocol> Make(std::shared_ptr<TTransport> trans, Extra... extra) {
    if constexpr (BoundedProtocol<Base>::kBinary) {
      return std::make_shared<P>(extra..., trans, limits_.max_string_bytes,
                                 limits_.max_container_elements, /*strict_read=*/true,
                                 /*strict_write=*/true);
    } else {
      return std::make_shared<P>(extra..., trans, limits_.max_string_bytes,
                                 limits_.max_container_elements);
    }
  }

  TransportLimits limits_;
};

}  // namespace

std::shared_ptr<apache::thrift::protocol::TProtocolFactory> MakeProtocolFactory(
    const TransportLimits& limits) {
  if (limits.compact) {
    return std::make_shared<BoundedProtocolFactory<TCompactProtocolT<TTransport>>>(limits);
  }
  return std::make_shared<BoundedProtocolFactory<TBinaryProtocolT<TTransport>>>(limits);
}

std::string PeerName(const std::shared_ptr<TTransport>& transport) {
  if (auto* socket = dynamic_cast<TSocket*>(transport.get())) {
    return absl::StrCat(socket->getPeerAddress(), ":", socket->getPeerPort());
  }
  return transport ? transport->getOrigin() : "";
}

bool GuardedProcessor::process(std::shared_ptr<TProtocol> in, std::shared_ptr<TProtocol> out,
                               void* connection_context) {
  const std::string& origin = state_->peer;
  // Charges what this request allocates to it; the processor sets its deadline on arrival.
  RequestScope request;
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

std::shared_ptr<TSocket> AdmissionServerSocket::createSocket(THRIFT_SOCKET client) {
  return std::make_shared<TrackedSocket>(
      client, interruptableChildren_ ? pChildInterruptSockReader_ : nullptr, registry_);
}

std::shared_ptr<TTransport> AdmissionServerSocket::acceptImpl() {
  constexpr auto kLogEvery = std::chrono::seconds(10);
  while (true) {
    std::shared_ptr<TTransport> client;
    try {
      client = TServerSocket::acceptImpl();
    } catch (const TTransportException& e) {
      // UNKNOWN is what TServerSocket throws for a failed poll(), accept() or fcntl(): out of
      // descriptors or memory, or a connection reset before it was accepted. Interrupts (stop)
      // and the rest go to the server loop.
      if (e.getType() != TTransportException::UNKNOWN) throw;
      const auto now = std::chrono::steady_clock::now();
      ++accept_errors_unlogged_;
      if (now - last_error_log_ >= kLogEvery) {
        LogWarning("cannot accept a connection; retrying",
                   {{"error", e.what()}, {"failures", std::to_string(accept_errors_unlogged_)}});
        accept_errors_unlogged_ = 0;
        last_error_log_ = now;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    auto* socket = static_cast<TrackedSocket*>(client.get());
    const std::string peer = PeerName(client);
    ConnectionRegistry::Admission admission =
        registry_->Admit(socket->getSocketFD(), socket->getPeerAddress(), peer);
    if (!admission.evicted_peer.empty()) {
      LogInfo("closed the connection idle the longest to admit a new one",
              {{"closed", admission.evicted_peer}, {"admitted", peer}});
    }
    if (admission.id != 0) {
      socket->set_id(admission.id);
      return client;
    }
    const auto now = std::chrono::steady_clock::now();
    ++refused_unlogged_;
    if (now - last_refused_log_ >= kLogEvery) {
      LogWarning(admission.refused_scope == "address"
                     ? "connection refused: too many busy connections from this address"
                     : "connection refused: too many busy connections",
                 {{"peer", peer}, {"refused", std::to_string(refused_unlogged_)}});
      refused_unlogged_ = 0;
      last_refused_log_ = now;
    }
    try {
      client->close();
    } catch (const std::exception&) {
    }
  }
}

}  // namespace almanac::thrift_server
