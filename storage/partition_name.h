#pragma once

// Partition names as Hive writes them: "k1=v1/k2=v2", with keys lower-cased and both keys and
// values escaped by Hive's FileUtils.escapePathName. The store keys partitions by this name and
// the core turns names from clients back into values with ParsePartitionName.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/model.h"

namespace almanac {

// Hive's name for an empty (or null) partition value.
inline constexpr char kDefaultPartitionName[] = "__HIVE_DEFAULT_PARTITION__";

// Escapes one path component exactly as Hive's FileUtils.escapePathName: ASCII control
// characters (0x00-0x1F), 0x7F and the characters " # % ' * / : = ? \ { [ ] ^ become %XX
// (upper-case hex); every other byte, including space and UTF-8 sequences, is kept. An empty
// input becomes kDefaultPartitionName.
std::string EscapePathName(std::string_view component);

// Reverses EscapePathName as Hive's FileUtils.unescapePathName does: each "%XX" with two hex
// digits becomes the character U+00XX (UTF-8 encoded); anything else is kept as is.
std::string UnescapePathName(std::string_view component);

// "k1=v1/k2=v2" for the given keys and values. Requires values.size() == keys.size(); extra
// entries of the longer list are ignored.
std::string MakePartitionName(const std::vector<Column>& keys,
                              const std::vector<std::string>& values);

// Splits a partition name into unescaped (key, value) pairs in order. InvalidArgument if the
// name is empty or a component is not of the form "key=value" with both sides non-empty.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ParsePartitionName(
    std::string_view name);

}  // namespace almanac
