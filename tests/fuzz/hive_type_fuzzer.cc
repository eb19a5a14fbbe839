// Fuzzes the Hive column type checker (server/core/hive_types.h), which reads types straight
// from clients. Findings besides crashes and stack exhaustion:
//   - a verdict that changes with the case of the input (Hive's type names are case-insensitive;
//     struct field names and HMS's placeholder type, a whole type only, are left out of these
//     checks);
//   - a type accepted alone but refused as the element of array<...>, when that one more level
//     of nesting stays within kMaxTypeDepth;
//   - an error without a message.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/core/hive_types.h"

namespace {

[[noreturn]] void Fail(const char* what, const std::string& input) {
  std::fprintf(stderr, "%s: '%s'\n", what, input.c_str());
  std::abort();
}

int MaxNesting(const std::string& s) {
  int depth = 0;
  int max = 0;
  for (char c : s) {
    if (c == '<') max = std::max(max, ++depth);
    if (c == '>') --depth;
  }
  return max;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const absl::Status verdict = almanac::ValidateHiveType(input);
  if (!verdict.ok() && verdict.message().empty()) Fail("error without a message", input);
  if (almanac::ValidateHiveType(absl::AsciiStrToUpper(input)).ok() != verdict.ok() &&
      input.find('`') == std::string::npos && input.find(':') == std::string::npos &&
      input.find("<derived") == std::string::npos) {  // HMS's placeholder is exact text.
    Fail("verdict depends on case", input);
  }
  if (verdict.ok() && input.find("<derived") == std::string::npos &&
      MaxNesting(input) < almanac::kMaxTypeDepth - 1 &&
      !almanac::ValidateHiveType(absl::StrCat("array<", input, ">")).ok()) {
    Fail("valid type refused as an array element", input);
  }
  return 0;
}
