#pragma once

// Encodes the domain model (storage/model.h) as the JSON documents the store keeps in TEXT
// columns, and decodes them back. Encoding is deterministic (maps are sorted, fields are written
// in a fixed order), so equal values give equal text: the store relies on this to share one
// stored storage descriptor between partitions.
//
// Byte fields (decimal unscaled values, bit vectors, histograms) are written as base64 strings.
// Decoding tolerates missing members (they take their default values) so that older documents
// stay readable; text that is not valid JSON or has members of the wrong type returns DataLoss.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/json.h"
#include "storage/model.h"

namespace almanac {

std::string EncodeParams(const Params& params);
absl::StatusOr<Params> DecodeParams(std::string_view text);

std::string EncodeStringList(const std::vector<std::string>& values);
absl::StatusOr<std::vector<std::string>> DecodeStringList(std::string_view text);

std::string EncodeColumns(const std::vector<Column>& columns);
absl::StatusOr<std::vector<Column>> DecodeColumns(std::string_view text);

std::string EncodeStorageDescriptor(const StorageDescriptor& sd);
absl::StatusOr<StorageDescriptor> DecodeStorageDescriptor(std::string_view text);

// The whole table definition, including its id, names and parameters.
std::string EncodeTable(const Table& table);
absl::StatusOr<Table> DecodeTable(std::string_view text);

std::string EncodeResourceUris(const std::vector<ResourceUri>& uris);
absl::StatusOr<std::vector<ResourceUri>> DecodeResourceUris(std::string_view text);

std::string EncodeColumnStatsData(const ColumnStatsData& data);
absl::StatusOr<ColumnStatsData> DecodeColumnStatsData(std::string_view text);

// A stable 64-bit FNV-1a hash, used to find equal stored documents quickly.
uint64_t Fnv1a64(std::string_view data);

}  // namespace almanac
