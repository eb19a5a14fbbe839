// Fuzzes partition names (storage/partition_name.h). The input is used twice: as a name to
// parse, and split at NUL bytes into keys and values to escape. Findings besides crashes:
//   - UnescapePathName(EscapePathName(s)) != s for a non-empty s;
//   - an escaped component that still holds '/', '=' or '%' not starting an escape;
//   - ParsePartitionName(MakePartitionName(keys, values)) not giving back the lower-cased keys
//     and the values (kDefaultPartitionName for an empty one);
//   - a parsed name that does not survive MakePartitionName and a second parse.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "storage/partition_name.h"

namespace almanac::fuzz {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

[[noreturn]] void Fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "%.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

bool IsHex(char c) { return absl::ascii_isxdigit(static_cast<unsigned char>(c)); }

void CheckEscape(const std::string& s) {
  const std::string escaped = EscapePathName(s);
  for (size_t i = 0; i < escaped.size(); ++i) {
    const char c = escaped[i];
    if (c == '/' || c == '=' ||
        (c == '%' &&
         (i + 2 >= escaped.size() || !IsHex(escaped[i + 1]) || !IsHex(escaped[i + 2])))) {
      Fail("an escaped component holds a separator", escaped);
    }
  }
  const std::string back = UnescapePathName(escaped);
  if (back != (s.empty() ? std::string(kDefaultPartitionName) : s)) {
    Fail("unescape(escape(s)) differs from s", s);
  }
}

// Keys are compared lower-cased, as MakePartitionName writes them.
Pairs LowerKeys(Pairs pairs) {
  for (auto& [key, value] : pairs) absl::AsciiStrToLower(&key);
  return pairs;
}

void CheckRoundTrip(const Pairs& pairs, std::string_view what) {
  std::vector<Column> keys;
  std::vector<std::string> values;
  Pairs expected;
  for (const auto& [key, value] : pairs) {
    keys.push_back({key, "string", ""});
    values.push_back(value);
    expected.emplace_back(key.empty() ? kDefaultPartitionName : absl::AsciiStrToLower(key),
                          value.empty() ? kDefaultPartitionName : value);
  }
  const std::string name = MakePartitionName(keys, values);
  absl::StatusOr<Pairs> parsed = ParsePartitionName(name);
  if (!parsed.ok()) Fail(std::string(what) + ": a made name does not parse", name);
  if (LowerKeys(*parsed) != LowerKeys(expected)) {
    Fail(std::string(what) + ": a made name parses to other keys or values", name);
  }
}

}  // namespace
}  // namespace almanac::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace almanac;
  using namespace almanac::fuzz;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  absl::StatusOr<Pairs> parsed = ParsePartitionName(input);
  if (parsed.ok()) {
    for (const auto& [key, value] : *parsed) {
      if (key.empty() || value.empty()) Fail("a parsed name has an empty key or value", input);
    }
    CheckRoundTrip(*parsed, "parsed");
  }

  // NUL-separated: key, value, key, value, ...
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= input.size()) {
    size_t end = input.find('\0', start);
    if (end == std::string_view::npos) end = input.size();
    parts.emplace_back(input.substr(start, end - start));
    start = end + 1;
  }
  Pairs pairs;
  for (size_t i = 0; i + 1 < parts.size(); i += 2) {
    CheckEscape(parts[i]);
    CheckEscape(parts[i + 1]);
    pairs.emplace_back(parts[i], parts[i + 1]);
  }
  if (!pairs.empty()) CheckRoundTrip(pairs, "made");
  return 0;
}
