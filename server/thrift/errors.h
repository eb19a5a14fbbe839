#pragma once

// The Thrift front end's one mapping from absl::Status to the exceptions HMS clients expect:
//   NotFound           -> NoSuchObjectException (or UnknownTable/UnknownDB where declared)
//   AlreadyExists      -> AlreadyExistsException
//   InvalidArgument    -> InvalidObjectException (or InvalidInputException where declared)
//   FailedPrecondition -> InvalidOperationException
//   anything else      -> MetaException
// A status the core tagged with an ErrorSubject (server/core/error_subject.h) first maps to the
// exceptions of that subject:
//   kLock: NotFound -> NoSuchLockException
//   kTxn:  NotFound -> NoSuchTxnException, Aborted -> TxnAbortedException,
//          FailedPrecondition -> TxnOpenException
//   kStoreLimit, kMalformedRequest: any code -> MetaException
// Each method lists the exceptions its IDL declares; a mapped type the method does not declare
// falls back to MetaException, so a client never receives an exception it cannot decode.

#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "hive_metastore_types.h"
#include "server/core/error_subject.h"

namespace almanac::thrift_server {

namespace errors_internal {

namespace hive = ::Apache::Hadoop::Hive;

template <typename E, typename... Declared>
void ThrowIfDeclared(const std::string& message) {
  if constexpr ((std::is_same_v<E, Declared> || ...)) {
    E e;
    e.__set_message(message);
    throw e;
  }
}

// Throws the exception of `status`'s subject if the method declares it; returns otherwise.
template <typename... Declared>
void ThrowForSubject(const absl::Status& status, const std::string& message) {
  switch (SubjectOf(status)) {
    case ErrorSubject::kLock:
      if (absl::IsNotFound(status)) {
        ThrowIfDeclared<hive::NoSuchLockException, Declared...>(message);
      }
      break;
    case ErrorSubject::kTxn:
      if (absl::IsNotFound(status)) {
        ThrowIfDeclared<hive::NoSuchTxnException, Declared...>(message);
      } else if (absl::IsAborted(status)) {
        ThrowIfDeclared<hive::TxnAbortedException, Declared...>(message);
      } else if (absl::IsFailedPrecondition(status)) {
        ThrowIfDeclared<hive::TxnOpenException, Declared...>(message);
      }
      break;
    case ErrorSubject::kStoreLimit:
    case ErrorSubject::kMalformedRequest: {
      hive::MetaException e;
      e.__set_message(message);
      throw e;
    }
    case ErrorSubject::kNone:
      break;
  }
}

}  // namespace errors_internal

// Throws the exception for a non-OK `status`; returns normally for OK.
template <typename... Declared>
void Check(const absl::Status& status) {
  namespace hive = ::Apache::Hadoop::Hive;
  using errors_internal::ThrowIfDeclared;
  if (status.ok()) return;
  const std::string message(status.message());
  errors_internal::ThrowForSubject<Declared...>(status, message);
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      ThrowIfDeclared<hive::NoSuchObjectException, Declared...>(message);
      ThrowIfDeclared<hive::UnknownTableException, Declared...>(message);
      ThrowIfDeclared<hive::UnknownDBException, Declared...>(message);
      break;
    case absl::StatusCode::kAlreadyExists:
      ThrowIfDeclared<hive::AlreadyExistsException, Declared...>(message);
      break;
    case absl::StatusCode::kInvalidArgument:
      ThrowIfDeclared<hive::InvalidObjectException, Declared...>(message);
      ThrowIfDeclared<hive::InvalidInputException, Declared...>(message);
      break;
    case absl::StatusCode::kFailedPrecondition:
      ThrowIfDeclared<hive::InvalidOperationException, Declared...>(message);
      break;
    default:
      break;
  }
  hive::MetaException e;
  e.__set_message(message);
  throw e;
}

// Returns the value of an OK `result`, or throws as Check does.
template <typename... Declared, typename T>
T Unwrap(absl::StatusOr<T> result) {
  Check<Declared...>(result.status());
  return *std::move(result);
}

}  // namespace almanac::thrift_server
