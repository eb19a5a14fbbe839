#include "storage/partition_name.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/absl_compat.h"

namespace almanac {
namespace {

bool NeedsEscaping(unsigned char c) {
  if (c < 0x20 || c == 0x7F) return true;
  switch (c) {
    case '"':
    case '#':
    case '%':
    case '\'':
    case '*':
    case '/':
    case ':':
    case '=':
    case '?':
    case '\\':
    case '{':
    case '[':
    case ']':
    case '^':
      return true;
    default:
      return false;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string EscapePathName(std::string_view component) {
  if (component.empty()) return kDefaultPartitionName;
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(component.size());
  for (char c : component) {
    const auto u = static_cast<unsigned char>(c);
    if (NeedsEscaping(u)) {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string UnescapePathName(std::string_view component) {
  std::string out;
  out.reserve(component.size());
  for (size_t i = 0; i < component.size(); ++i) {
    const char c = component[i];
    if (c == '%' && i + 2 < component.size()) {
      const int hi = HexValue(component[i + 1]);
      const int lo = HexValue(component[i + 2]);
      if (hi >= 0 && lo >= 0) {
        const int code = hi * 16 + lo;
        if (code < 0x80) {
          out.push_back(static_cast<char>(code));
        } else {  // Java appends the char U+00XX; its UTF-8 form takes two bytes.
          out.push_back(static_cast<char>(0xC0 | (code >> 6)));
          out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
        }
        i += 2;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

std::string MakePartitionName(const std::vector<Column>& keys,
                              const std::vector<std::string>& values) {
  std::string name;
  const size_t n = std::min(keys.size(), values.size());
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) name.push_back('/');
    absl::StrAppend(&name, EscapePathName(absl::AsciiStrToLower(keys[i].name)), "=",
                    EscapePathName(values[i]));
  }
  return name;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParsePartitionName(
    std::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("partition name is empty");
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    const std::string_view component = name.substr(start, end - start);
    const size_t eq = component.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == component.size() ||
        component.find('=', eq + 1) != std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("invalid partition name '", AsAbsl(name),
                                                     "': component '", AsAbsl(component),
                                                     "' is not of the form key=value"));
    }
    out.emplace_back(UnescapePathName(component.substr(0, eq)),
                     UnescapePathName(component.substr(eq + 1)));
    start = end + 1;
  }
  return out;
}

}  // namespace almanac
