#pragma once

// Early-return helpers for absl::Status / absl::StatusOr. Debian's Abseil ships none.

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define ALMANAC_CONCAT_INNER_(a, b) a##b
#define ALMANAC_CONCAT_(a, b) ALMANAC_CONCAT_INNER_(a, b)

// Returns from the current function if `expr` (an absl::Status) is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    ::absl::Status almanac_status_ = (expr);           \
    if (!almanac_status_.ok()) return almanac_status_; \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, Foo());` declares/assigns from an absl::StatusOr, or returns its
// error status from the current function.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ALMANAC_ASSIGN_OR_RETURN_IMPL_(ALMANAC_CONCAT_(almanac_statusor_, __LINE__), lhs, expr)

// `statusor` and `lhs` are declarations, which parentheses would break.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ALMANAC_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()
// NOLINTEND(bugprone-macro-parentheses)
