#pragma once

// Identifier rules shared by every front end: normalisation, validation and Hive's name patterns.

#include <string>

#include "absl/strings/string_view.h"

namespace almanac {

// Hive stores database, table, column and function names in lower case.
std::string NormalizeName(absl::string_view name);

// True for names Hive accepts for databases and functions: one or more ASCII letters, digits or
// underscores (HMS checks these without its special-character setting).
bool IsValidObjectName(absl::string_view name);

// True for table names Hive 4 accepts by default (metastore.support.special.characters.tablename
// is true): one or more ASCII letters, digits, underscores, spaces or any of
// " % & ' ( ) * + , - . / : ; < = > ? [ ] | { } $ ^ ! ~ # @ `
// No control characters, backslashes or non-ASCII bytes.
bool IsValidTableName(absl::string_view name);

// The directory name of a table under its database directory, encoded as Hive encodes it:
// letters, digits and '_' stay, every other byte becomes "-<decimal code>-" (so "a.b" is
// "a-46-b" and ".." is "-46--46-"). The result never contains '/' and is never "." or "..".
std::string TableDirectoryName(absl::string_view name);

// True if `text` is empty or only ASCII whitespace (what HMS calls blank).
bool IsBlank(absl::string_view text);

// True if `text` holds an ASCII control character (0x00-0x1f or 0x7f).
bool HasControlCharacter(absl::string_view text);

// `text` for an error message: control characters as \xHH, cut after `max_bytes` bytes with a
// note of the full length. Everything else is kept as is.
std::string Printable(absl::string_view text, size_t max_bytes = 128);

// The number of characters in UTF-8 `text` (bytes that do not continue a character), which is
// what HMS's backing databases count against a column's declared length.
size_t CharacterCount(absl::string_view text);

// Matches `name` against a Hive listing pattern, case-insensitively. A pattern is a list of
// alternatives separated by '|'; within one, '*' (or ".*") matches any run of characters and a
// lone '.' any one character. An empty pattern or "*" matches everything.
bool MatchesHivePattern(absl::string_view name, absl::string_view pattern);

}  // namespace almanac
