#include "server/core/names.h"
#include "absl/strings/string_view.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace almanac {
namespace {

// Glob-style match of one alternative; '*' any run, '?' one character (after translation).
bool MatchOne(absl::string_view name, absl::string_view pattern) {
  size_t n = 0, p = 0;
  size_t star_p = absl::string_view::npos, star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_n = n;
    } else if (p < pattern.size() && (pattern[p] == '?' || absl::ascii_tolower(pattern[p]) ==
                                                               absl::ascii_tolower(name[n]))) {
      ++p;
      ++n;
    } else if (star_p != absl::string_view::npos) {
      p = star_p + 1;
      n = ++star_n;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Rewrites Hive's regex-flavoured pattern into the glob alphabet used by MatchOne.
std::string ToGlob(absl::string_view alternative) {
  std::string glob;
  for (size_t i = 0; i < alternative.size(); ++i) {
    char c = alternative[i];
    if (c == '.' && i + 1 < alternative.size() && alternative[i + 1] == '*') {
      glob.push_back('*');
      ++i;
    } else if (c == '.') {
      glob.push_back('?');
    } else {
      glob.push_back(c);
    }
  }
  return glob;
}

}  // namespace

std::string NormalizeName(absl::string_view name) { return absl::AsciiStrToLower(name); }

bool IsValidObjectName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_') return false;
  }
  return true;
}

bool IsValidTableName(absl::string_view name) {
  static constexpr absl::string_view kSpecial = " \"%&'()*+,-./:;<=>?[]|{}$^!~#@`";
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_' && !absl::StrContains(kSpecial, c)) return false;
  }
  return true;
}

std::string TableDirectoryName(absl::string_view name) {
  std::string dir;
  for (char c : name) {
    if (absl::ascii_isalnum(c) || c == '_') {
      dir.push_back(c);
    } else {
      absl::StrAppend(&dir, "-", static_cast<int>(static_cast<unsigned char>(c)), "-");
    }
  }
  return dir;
}

bool IsBlank(absl::string_view text) { return absl::StripAsciiWhitespace(text).empty(); }

bool HasControlCharacter(absl::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return true;
  }
  return false;
}

std::string Printable(absl::string_view text, size_t max_bytes) {
  std::string out;
  for (char c : text.substr(0, max_bytes)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      absl::StrAppend(&out, "\\x", absl::Hex(u, absl::kZeroPad2));
    } else {
      out.push_back(c);
    }
  }
  if (text.size() > max_bytes) absl::StrAppend(&out, "... (", text.size(), " bytes)");
  return out;
}

size_t CharacterCount(absl::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++count;
  }
  return count;
}

bool MatchesHivePattern(absl::string_view name, absl::string_view pattern) {
  if (pattern.empty()) return true;
  for (absl::string_view alternative : absl::StrSplit(pattern, '|')) {
    if (MatchOne(name, ToGlob(absl::StripAsciiWhitespace(alternative)))) return true;
  }
  return false;
}

}  // namespace almanac
