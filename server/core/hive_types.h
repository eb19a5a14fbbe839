#pragma once

// Hive's column type grammar, checked without building a type tree.
//
// A type is a primitive type or a nested one, case-insensitive, with any ASCII whitespace
// between tokens:
//   tinyint smallint int integer bigint float double "double precision" boolean string binary
//   date datetime timestamp "timestamp with [local] time zone" interval_year_month
//   interval_day_time void decimal decimal(p) decimal(p,s) char(n) varchar(n)
//   array<T>  map<K,V>  struct<name:T,...>  uniontype<T,...>
// Bounds are Hive's: decimal precision 1..38 and scale 0..precision, char length 1..255 and
// varchar length 1..65535. A struct field name is a backquoted name (`` inside it is one
// backquote) or, as Hive's type parser reads it, any text up to the next ':', ',' or '>'
// without control characters, surrounding whitespace trimmed. HMS's placeholder
// "<derived from deserializer>" is accepted as a whole type.
//
// Checking is linear in the length of the input and recursion is bounded by kMaxTypeDepth, so
// no input can exhaust the stack. Thread-safe: the functions keep no state.

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace almanac {

// How deeply array/map/struct/uniontype may nest.
inline constexpr int kMaxTypeDepth = 64;

// OK when `type` is one complete Hive type. Otherwise InvalidArgument whose message says what
// is wrong and at which byte offset, e.g. "unknown type 'notatype' at position 0".
absl::Status ValidateHiveType(absl::string_view type);

}  // namespace almanac
