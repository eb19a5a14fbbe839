// Fuzzes the two pattern languages clients send, each against a plain reference matcher written
// from its header's description:
//   - Hive listing patterns, MatchesHivePattern (server/core/names.h);
//   - partition-filter LIKE, which LikeToGlob (storage/sqlite/filter_sql.h) turns into an SQLite
//     GLOB; the GLOB is run by SQLite itself, and a match must also start with the pattern's
//     fixed prefix, which the store uses as an index range.
// Input: one selector byte, then the subject and the pattern separated by the first NUL byte.

#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "server/core/names.h"
#include "storage/absl_compat.h"
#include "storage/sqlite/filter_sql.h"

namespace almanac::fuzz {
namespace {

constexpr size_t kMaxLength = 256;  // Keeps the quadratic reference matcher fast.

[[noreturn]] void Fail(std::string_view what, std::string_view subject, std::string_view pattern) {
  std::fprintf(stderr, "%.*s\nsubject: %.*s\npattern: %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(subject.size()), subject.data(),
               static_cast<int>(pattern.size()), pattern.data());
  std::abort();
}

// A pattern as a sequence of tokens: a literal byte, any one byte, or any run of bytes.
struct Token {
  enum Kind { kLiteral, kOne, kRun } kind;
  char c = 0;
};

// Dynamic programming over (subject prefix, token prefix); `fold` compares ASCII case-blind.
bool Matches(std::string_view subject, const std::vector<Token>& tokens, bool fold) {
  std::vector<bool> row(subject.size() + 1, false);  // row[i]: tokens so far match subject[0,i)
  row[0] = true;
  for (const Token& t : tokens) {
    std::vector<bool> next(subject.size() + 1, false);
    for (size_t i = 0; i <= subject.size(); ++i) {
      if (t.kind == Token::kRun) {
        next[i] = row[i] || (i > 0 && next[i - 1]);
      } else if (i > 0 && row[i - 1]) {
        const char s = subject[i - 1];
        next[i] = t.kind == Token::kOne ||
                  (fold ? absl::ascii_tolower(s) == absl::ascii_tolower(t.c) : s == t.c);
      }
    }
    row = std::move(next);
  }
  return row[subject.size()];
}

// names.h: alternatives split at '|' (surrounding whitespace ignored); '*' or ".*" any run,
// '.' any one character. A '?' also stands for any one character: the implementation treats it
// so, though names.h does not say.
bool HivePatternReference(std::string_view name, std::string_view pattern) {
  if (pattern.empty()) return true;
  for (absl::string_view alternative : absl::StrSplit(AsAbsl(pattern), '|')) {
    alternative = absl::StripAsciiWhitespace(alternative);
    std::vector<Token> tokens;
    for (size_t i = 0; i < alternative.size(); ++i) {
      const char c = alternative[i];
      if (c == '*' || (c == '.' && i + 1 < alternative.size() && alternative[i + 1] == '*')) {
        tokens.push_back({Token::kRun});
        i += c == '.';
      } else if (c == '.' || c == '?') {
        tokens.push_back({Token::kOne});
      } else {
        tokens.push_back({Token::kLiteral, c});
      }
    }
    if (Matches(name, tokens, true)) return true;
  }
  return false;
}

// filter_sql.h's LIKE rules, scanning left to right. Also returns the literal prefix.
std::vector<Token> LikeTokens(std::string_view like, std::string* prefix) {
  std::vector<Token> tokens;
  bool fixed = true;
  auto literal = [&](char c) {
    tokens.push_back({Token::kLiteral, c});
    if (fixed) prefix->push_back(c);
  };
  for (size_t i = 0; i < like.size(); ++i) {
    const char c = like[i];
    const bool has_next = i + 1 < like.size();
    if (c == '\\' && has_next && !absl::ascii_isalnum(like[i + 1])) {
      literal(like[++i]);
    } else if (c == '.' && has_next && (like[i + 1] == '*' || like[i + 1] == '+')) {
      if (like[++i] == '+') tokens.push_back({Token::kOne});
      tokens.push_back({Token::kRun});
      fixed = false;
    } else if (c == '%' || c == '.' || c == '_') {
      tokens.push_back({c == '%' ? Token::kRun : Token::kOne});
      fixed = false;
    } else {
      literal(c);
    }
  }
  return tokens;
}

bool SqliteGlob(std::string_view subject, const std::string& glob) {
  static sqlite3* db = [] {
    sqlite3* d = nullptr;
    if (sqlite3_open(":memory:", &d) != SQLITE_OK) Fail("cannot open SQLite", "", "");
    return d;
  }();
  static sqlite3_stmt* stmt = [] {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT ?1 GLOB ?2", -1, &s, nullptr) != SQLITE_OK) {
      Fail("cannot prepare GLOB", "", "");
    }
    return s;
  }();
  sqlite3_bind_text(stmt, 1, subject.data(), static_cast<int>(subject.size()), SQLITE_STATIC);
  sqlite3_bind_text(stmt, 2, glob.data(), static_cast<int>(glob.size()), SQLITE_STATIC);
  if (sqlite3_step(stmt) != SQLITE_ROW) Fail("GLOB failed", subject, glob);
  const bool match = sqlite3_column_int(stmt, 0) != 0;
  sqlite3_reset(stmt);
  return match;
}

void CheckLike(std::string_view subject, std::string_view like) {
  // SQLite's GLOB works on UTF-8 characters and stops at NUL: compare on ASCII text only.
  for (std::string_view s : {subject, like}) {
    for (char c : s) {
      if (c <= 0) return;
    }
  }
  std::string prefix;
  const bool expected = Matches(subject, LikeTokens(like, &prefix), false);
  const GlobPattern glob = LikeToGlob(like);
  if (glob.prefix != prefix) Fail("LikeToGlob gives another fixed prefix", glob.prefix, like);
  const bool actual = SqliteGlob(subject, glob.glob);
  if (actual != expected) {
    Fail(expected ? "the GLOB misses a value the LIKE matches"
                  : "the GLOB matches a value the LIKE does not",
         subject, like);
  }
  if (actual && subject.substr(0, prefix.size()) != prefix) {
    Fail("a match does not start with the fixed prefix", subject, like);
  }
}

}  // namespace
}  // namespace almanac::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace almanac::fuzz;
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t nul = input.find('\0');
  if (nul == std::string_view::npos) return 0;
  const std::string_view subject = input.substr(0, nul);
  const std::string_view pattern = input.substr(nul + 1);
  if (subject.size() > kMaxLength || pattern.size() > kMaxLength) return 0;
  switch (data[0] % 2) {
    case 0:
      if (almanac::MatchesHivePattern(almanac::AsAbsl(subject), almanac::AsAbsl(pattern)) !=
          HivePatternReference(subject, pattern)) {
        Fail("MatchesHivePattern differs from the reference", subject, pattern);
      }
      break;
    case 1:
      CheckLike(subject, pattern);
      break;
  }
  return 0;
}
