#pragma once

// Parses and validates Hive partition filters, the text that get_partitions_by_filter,
// get_num_partitions_by_filter and get_part_specs_by_filter receive, e.g.
//   ds >= "2024-01-01" and (hr) in (1, 2) or region like "us%"
// into a FilterNode tree (storage/partition_filter.h) that a store compiles into a query.
//
// Grammar (HMS's PartitionFilter.g4; keywords are case-insensitive):
//   filter     := or
//   or         := and (OR and)*                      AND binds tighter than OR
//   and        := term (AND term)*
//   term       := '(' or ')' | condition
//   condition  := key op value | value op key         op: = == <> != < <= > >= LIKE
//               | key [NOT] BETWEEN value AND value
//               | [(]key[)] [NOT] IN '(' value (',' value)* ')'
//               | '(' STRUCT '(' key, ... ')' ')' [NOT] IN
//                   '(' [CONST] STRUCT '(' value, ... ')', ... ')'
//   value      := string+ | integer | DATE string | yyyy-mm-dd | TIMESTAMP string
//               | yyyy-mm-dd hh:mm:ss
//   key        := [A-Za-z0-9_]+ | `backquoted` (`` inside stands for one `)
// Strings use '...' or "..."; a backslash escapes the next character so that it cannot end the
// string. As in HMS, a literal's text is what lies between the quotes, backslashes included
// (PartFilterVisitor only trims the quotes), so LIKE patterns can still escape wildcards with
// `\`. Adjacent strings are concatenated. Integers are -?[0-9]+ and must fit in 64 bits; dates
// and timestamps must be valid calendar values.
//
// Expansions (as HMS): `k BETWEEN a AND b` -> k >= a AND k <= b; NOT BETWEEN -> k < a OR k > b;
// IN -> OR of `=`; NOT IN -> AND of `!=`; STRUCT IN -> OR over tuples of AND over keys (NOT IN:
// AND over tuples of OR of `!=`). `value op key` is stored as `key op' value` with op mirrored.
// Nested ANDs (ORs) are flattened into one node.
//
// `<=>` is rejected, as HMS's visitor does. Deliberate differences from HMS: text after a
// complete filter is an error (HMS's ANTLR grammar silently ignores it); DATE, TIMESTAMP, STRUCT
// and CONST may also be used as key names where no literal or STRUCT can follow, so
// `date = "2024-01-01"` works (HMS rejects it).
//
// Both functions are pure and thread-safe.

#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/model.h"
#include "storage/partition_filter.h"

namespace almanac {

// Maximum nesting of parentheses the parser accepts, so that hostile input cannot exhaust the
// stack.
inline constexpr int kMaxFilterNesting = 100;
// Maximum number of values (hence of conditions after expansion) in one filter.
inline constexpr int kMaxFilterValues = 100000;

// Parses `text` into a tree whose keys are as written and whose key_index is -1.
// An empty filter is an error here: HMS treats an empty filter as "all partitions", and callers
// must handle that case before parsing.
// Returns InvalidArgument whose message starts with "Error parsing partition filter", followed by
// "; lexer error: <what> at position <n>" or ": <what>" (positions are 0-based byte offsets):
// malformed text, an unsupported operator, an invalid date/timestamp, an integer out of range,
// LIKE with the value on its left, mismatched STRUCT sizes, nesting beyond kMaxFilterNesting or
// more than kMaxFilterValues values.
absl::StatusOr<FilterNodePtr> ParsePartitionFilter(std::string_view text);

// Parses the filter of get_table_names_by_filter, which HMS reads with the same grammar. Keys
// may also contain '.' (table parameter keys do), and errors start with "Error parsing table
// filter". The keys are checked, and the tree evaluated, by TableFilter (table_filter.h).
absl::StatusOr<FilterNodePtr> ParseTableFilter(std::string_view text);

// Validates a parsed tree against the table's partition keys and prepares it for a store:
// lower-cases each key, sets key_index, and normalises literals to the key's type.
// Key names match case-insensitively. Key types: string, varchar(n), char(n) are strings;
// tinyint, smallint, int, integer, bigint are integral; date is a date. Accepted conditions:
//   string key:   string values (any op, LIKE included); date values compare as their text.
//   integral key: integer values (not LIKE); a string holding -?[0-9]+ is read as that integer
//                 (HMS rejects this; we accept it as harmless).
//   date key:     date values, or strings holding a valid yyyy-mm-dd (as HMS's direct SQL).
//   integral and date keys also accept the string "__HIVE_DEFAULT_PARTITION__" (as HMS's
//   direct SQL), compared as text.
// After success a literal is kString, kInteger (integral keys only) or kDate (date keys only).
// Returns InvalidArgument:
//   "Specified key <k> is not a partitioning key for the table" for an unknown key (as HMS);
//   "Filtering is supported only on partition keys of type string..." for a key of any other
//   type (timestamp, decimal, ...), LIKE on a non-string key, and any other type mismatch such as
//   `int_key >= "p12"`, `string_key = 5` or timestamp values (HMS's message; TestHiveMetaStore
//   expects it for `p3 >= "p12"` on an int key and accepts `p3 between 1 and 3`);
//   "...nests too deeply" for trees deeper than 2 * kMaxFilterNesting.
absl::Status ResolveFilterKeys(FilterNode& root, const std::vector<Column>& partition_keys);

}  // namespace almanac
