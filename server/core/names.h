#pragma once

// Identifier rules shared by every front end: normalisation, validation and Hive's name patterns.

#include <string>

#include "absl/strings/string_view.h"

namespace almanac {

// Hive stores database, table, column and function names in lower case.
std::string NormalizeName(absl::string_view name);

// True for names Hive accepts for databases, tables and functions: one or more letters,
// digits or underscores.
bool IsValidObjectName(absl::string_view name);

// Matches `name` against a Hive listing pattern, case-insensitively. A pattern is a list of
// alternatives separated by '|'; within one, '*' (or ".*") matches any run of characters and a
// lone '.' any one character. An empty pattern or "*" matches everything.
bool MatchesHivePattern(absl::string_view name, absl::string_view pattern);

}  // namespace almanac
