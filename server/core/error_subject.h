#pragma once

// The kind of object an error status is about, for front ends whose wire errors are per kind
// rather than per status code. HMS answers a missing lock with NoSuchLockException and a missing
// transaction with NoSuchTxnException, where both are NotFound; the core tags such statuses with
// their subject and the Thrift front end (server/thrift/errors.h) reads the tag back.
//
// The tag travels as a status payload, so it survives copying and RETURN_IF_ERROR, and code that
// does not know about it sees an ordinary status.

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/string_view.h"

namespace almanac {

enum class ErrorSubject {
  kNone,  // No tag: an ordinary catalog object (or none).
  kLock,  // A lock: NotFound is "no such lock".
  // A transaction: NotFound is "no such transaction", Aborted "the transaction was aborted",
  // FailedPrecondition "the transaction is still open".
  kTxn,
  // A value longer than, or with bytes, HMS's backing database would refuse: HMS reports those
  // failures of its database as MetaException, whatever the status code says to other front ends.
  kStoreLimit,
  // A request HMS rejects with MetaException before it looks at the catalog (a batch with a
  // duplicate partition or a partition of another table, a spec without a table name).
  kMalformedRequest,
};

inline constexpr char kErrorSubjectPayloadUrl[] = "type.almanac.dev/almanac.ErrorSubject";

// `status` tagged with `subject`; OK stays OK.
inline absl::Status WithSubject(absl::Status status, ErrorSubject subject) {
  if (status.ok() || subject == ErrorSubject::kNone) return status;
  const char* tag = subject == ErrorSubject::kLock         ? "lock"
                    : subject == ErrorSubject::kTxn        ? "txn"
                    : subject == ErrorSubject::kStoreLimit ? "store-limit"
                                                           : "malformed-request";
  status.SetPayload(kErrorSubjectPayloadUrl, absl::Cord(tag));
  return status;
}

// InvalidArgument `message` tagged kMalformedRequest: a request HMS answers with MetaException.
inline absl::Status MalformedRequest(absl::string_view message) {
  return WithSubject(absl::InvalidArgumentError(message), ErrorSubject::kMalformedRequest);
}

// InvalidArgument `message` tagged kStoreLimit: a value longer than HMS's backing column holds,
// which HMS's database refuses (a MetaException).
inline absl::Status StoreLimit(absl::string_view message) {
  return WithSubject(absl::InvalidArgumentError(message), ErrorSubject::kStoreLimit);
}

inline ErrorSubject SubjectOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kErrorSubjectPayloadUrl);
  if (!payload.has_value()) return ErrorSubject::kNone;
  if (*payload == "lock") return ErrorSubject::kLock;
  if (*payload == "txn") return ErrorSubject::kTxn;
  if (*payload == "store-limit") return ErrorSubject::kStoreLimit;
  if (*payload == "malformed-request") return ErrorSubject::kMalformedRequest;
  return ErrorSubject::kNone;
}

}  // namespace almanac
