#include "storage/codec.h"

#include "storage/codec_internal.h"

#include <limits>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace almanac {
namespace codec_internal {

void WriteParams(const Params& params, json::Writer& w) {
  w.BeginObject();
  for (const auto& [k, v] : params) {
    w.Key(k);
    w.String(v);
  }
  w.EndObject();
}

void WriteStrings(const std::vector<std::string>& values, json::Writer& w) {
  w.BeginArray();
  for (const std::string& v : values) w.String(v);
  w.EndArray();
}

void WriteColumns(const std::vector<Column>& columns, json::Writer& w) {
  w.BeginArray();
  for (const Column& c : columns) {
    w.BeginObject();
    w.Key("name");
    w.String(c.name);
    w.Key("type");
    w.String(c.type);
    w.Key("comment");
    w.String(c.comment);
    w.EndObject();
  }
  w.EndArray();
}

void WriteStringField(std::string_view key, std::string_view value, json::Writer& w) {
  w.Key(key);
  w.String(value);
}

void WriteIntField(std::string_view key, int64_t value, json::Writer& w) {
  w.Key(key);
  w.Int(value);
}

}  // namespace codec_internal

namespace {

using codec_internal::DecodeDocument;
using codec_internal::Decoder;
using codec_internal::WriteColumns;
using codec_internal::WriteIntField;
using codec_internal::WriteParams;
using codec_internal::WriteStringField;
using codec_internal::WriteStrings;

void WriteSerDe(const SerDeInfo& serde, json::Writer& w) {
  w.BeginObject();
  if (serde.name.has_value()) WriteStringField("name", *serde.name, w);
  WriteStringField("serialization_lib", serde.serialization_lib, w);
  w.Key("parameters");
  WriteParams(serde.parameters, w);
  WriteStringField("description", serde.description, w);
  WriteStringField("serializer_class", serde.serializer_class, w);
  WriteStringField("deserializer_class", serde.deserializer_class, w);
  WriteIntField("serde_type", serde.serde_type, w);
  w.EndObject();
}

SerDeInfo ReadSerDe(const json::Value& v, Decoder& d) {
  const json::Value& obj = d.Object(&v, "serde");
  SerDeInfo s;
  const json::Value* name = obj.Find("name");
  if (name != nullptr && !name->is_null()) s.name = d.Str(name, "serde name");
  s.serialization_lib = d.Str(obj.Find("serialization_lib"), "serialization_lib");
  s.parameters = d.ToParams(obj.Find("parameters"), "serde parameters");
  s.description = d.Str(obj.Find("description"), "serde description");
  s.serializer_class = d.Str(obj.Find("serializer_class"), "serializer_class");
  s.deserializer_class = d.Str(obj.Find("deserializer_class"), "deserializer_class");
  s.serde_type = d.Int32(obj.Find("serde_type"), "serde_type");
  return s;
}

void WriteSkewed(const SkewedInfo& skewed, json::Writer& w) {
  w.BeginObject();
  w.Key("column_names");
  WriteStrings(skewed.column_names, w);
  w.Key("column_values");
  w.BeginArray();
  for (const auto& values : skewed.column_values) WriteStrings(values, w);
  w.EndArray();
  w.Key("value_locations");
  w.BeginArray();
  for (const auto& [values, location] : skewed.value_locations) {
    w.BeginObject();
    w.Key("values");
    WriteStrings(values, w);
    WriteStringField("location", location, w);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

SkewedInfo ReadSkewed(const json::Value& v, Decoder& d) {
  const json::Value& obj = d.Object(&v, "skewed info");
  SkewedInfo s;
  s.column_names = d.ToStrings(obj.Find("column_names"), "skewed column names");
  for (const json::Value& item : d.Array(obj.Find("column_values"), "skewed values")) {
    s.column_values.push_back(d.ToStrings(&item, "skewed values"));
  }
  for (const json::Value& item : d.Array(obj.Find("value_locations"), "skewed locations")) {
    const json::Value& entry = d.Object(&item, "skewed location");
    s.value_locations.emplace_back(d.ToStrings(entry.Find("values"), "skewed location values"),
                                   d.Str(entry.Find("location"), "skewed location"));
  }
  return s;
}

void WriteStorageDescriptor(const StorageDescriptor& sd, json::Writer& w) {
  w.BeginObject();
  w.Key("columns");
  if (sd.columns_null) {
    w.Null();
  } else {
    WriteColumns(sd.columns, w);
  }
  WriteStringField("location", sd.location, w);
  WriteStringField("input_format", sd.input_format, w);
  WriteStringField("output_format", sd.output_format, w);
  w.Key("compressed");
  w.Bool(sd.compressed);
  WriteIntField("num_buckets", sd.num_buckets, w);
  w.Key("serde");
  WriteSerDe(sd.serde, w);
  w.Key("bucket_columns");
  WriteStrings(sd.bucket_columns, w);
  w.Key("sort_columns");
  w.BeginArray();
  for (const SortOrder& s : sd.sort_columns) {
    w.BeginObject();
    WriteStringField("column", s.column, w);
    WriteIntField("order", s.order, w);
    w.EndObject();
  }
  w.EndArray();
  w.Key("parameters");
  WriteParams(sd.parameters, w);
  if (sd.skewed.has_value()) {
    w.Key("skewed");
    WriteSkewed(*sd.skewed, w);
  }
  if (sd.stored_as_subdirectories.has_value()) {
    w.Key("stored_as_subdirectories");
    w.Bool(*sd.stored_as_subdirectories);
  }
  w.EndObject();
}

StorageDescriptor ReadStorageDescriptor(const json::Value& v, Decoder& d) {
  const json::Value& obj = d.Object(&v, "storage descriptor");
  StorageDescriptor sd;
  const json::Value* columns = obj.Find("columns");
  sd.columns_null = columns != nullptr && columns->is_null();
  sd.columns = d.ToColumns(columns);
  sd.location = d.Str(obj.Find("location"), "location");
  sd.input_format = d.Str(obj.Find("input_format"), "input_format");
  sd.output_format = d.Str(obj.Find("output_format"), "output_format");
  sd.compressed = d.Bool(obj.Find("compressed"), "compressed");
  sd.num_buckets = d.Int32(obj.Find("num_buckets"), "num_buckets", -1);
  if (const json::Value* serde = obj.Find("serde")) sd.serde = ReadSerDe(*serde, d);
  sd.bucket_columns = d.ToStrings(obj.Find("bucket_columns"), "bucket_columns");
  for (const json::Value& item : d.Array(obj.Find("sort_columns"), "sort_columns")) {
    const json::Value& s = d.Object(&item, "sort column");
    sd.sort_columns.push_back(SortOrder{d.Str(s.Find("column"), "sort column name"),
                                        d.Int32(s.Find("order"), "sort order", 1)});
  }
  sd.parameters = d.ToParams(obj.Find("parameters"), "storage parameters");
  const json::Value* skewed = obj.Find("skewed");
  if (skewed != nullptr && !skewed->is_null()) sd.skewed = ReadSkewed(*skewed, d);
  const json::Value* subdirs = obj.Find("stored_as_subdirectories");
  if (subdirs != nullptr && !subdirs->is_null()) {
    sd.stored_as_subdirectories = d.Bool(subdirs, "stored_as_subdirectories");
  }
  return sd;
}

}  // namespace

uint64_t Fnv1a64(std::string_view data) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string EncodeParams(const Params& params) {
  json::Writer w;
  WriteParams(params, w);
  return w.Release();
}

absl::StatusOr<Params> DecodeParams(std::string_view text) {
  return DecodeDocument<Params>(
      text, [](const json::Value& v, Decoder& d) { return d.ToParams(&v, "parameters"); });
}

std::string EncodeStringList(const std::vector<std::string>& values) {
  json::Writer w;
  WriteStrings(values, w);
  return w.Release();
}

absl::StatusOr<std::vector<std::string>> DecodeStringList(std::string_view text) {
  return DecodeDocument<std::vector<std::string>>(
      text, [](const json::Value& v, Decoder& d) { return d.ToStrings(&v, "string list"); });
}

std::string EncodeColumns(const std::vector<Column>& columns) {
  json::Writer w;
  WriteColumns(columns, w);
  return w.Release();
}

absl::StatusOr<std::vector<Column>> DecodeColumns(std::string_view text) {
  return DecodeDocument<std::vector<Column>>(
      text, [](const json::Value& v, Decoder& d) { return d.ToColumns(&v); });
}

std::string EncodeStorageDescriptor(const StorageDescriptor& sd) {
  json::Writer w;
  WriteStorageDescriptor(sd, w);
  return w.Release();
}

absl::StatusOr<StorageDescriptor> DecodeStorageDescriptor(std::string_view text) {
  return DecodeDocument<StorageDescriptor>(text, ReadStorageDescriptor);
}

std::string EncodeTable(const Table& t) {
  json::Writer w;
  w.BeginObject();
  WriteIntField("id", t.id, w);
  WriteStringField("catalog", t.catalog, w);
  WriteStringField("database", t.database, w);
  WriteStringField("name", t.name, w);
  WriteStringField("owner", t.owner, w);
  WriteIntField("owner_type", static_cast<int>(t.owner_type), w);
  WriteIntField("create_time", t.create_time, w);
  WriteIntField("last_access_time", t.last_access_time, w);
  WriteIntField("retention", t.retention, w);
  w.Key("sd");
  WriteStorageDescriptor(t.sd, w);
  w.Key("partition_keys");
  WriteColumns(t.partition_keys, w);
  w.Key("parameters");
  WriteParams(t.parameters, w);
  WriteStringField("view_original_text", t.view_original_text, w);
  WriteStringField("view_expanded_text", t.view_expanded_text, w);
  WriteStringField("table_type", t.table_type, w);
  w.Key("temporary");
  w.Bool(t.temporary);
  if (t.rewrite_enabled.has_value()) {
    w.Key("rewrite_enabled");
    w.Bool(*t.rewrite_enabled);
  }
  WriteIntField("write_id", t.write_id, w);
  w.EndObject();
  return w.Release();
}

absl::StatusOr<Table> DecodeTable(std::string_view text) {
  return DecodeDocument<Table>(text, [](const json::Value& v, Decoder& d) {
    const json::Value& obj = d.Object(&v, "table");
    Table t;
    t.id = d.Int(obj.Find("id"), "table id");
    t.catalog = d.Str(obj.Find("catalog"), "catalog");
    t.database = d.Str(obj.Find("database"), "database");
    t.name = d.Str(obj.Find("name"), "table name");
    t.owner = d.Str(obj.Find("owner"), "owner");
    t.owner_type = static_cast<PrincipalType>(d.Int32(obj.Find("owner_type"), "owner_type", 1));
    t.create_time = d.Int32(obj.Find("create_time"), "create_time");
    t.last_access_time = d.Int32(obj.Find("last_access_time"), "last_access_time");
    t.retention = d.Int32(obj.Find("retention"), "retention");
    if (const json::Value* sd = obj.Find("sd")) t.sd = ReadStorageDescriptor(*sd, d);
    t.partition_keys = d.ToColumns(obj.Find("partition_keys"));
    t.parameters = d.ToParams(obj.Find("parameters"), "table parameters");
    t.view_original_text = d.Str(obj.Find("view_original_text"), "view_original_text");
    t.view_expanded_text = d.Str(obj.Find("view_expanded_text"), "view_expanded_text");
    t.table_type = d.Str(obj.Find("table_type"), "table_type");
    t.temporary = d.Bool(obj.Find("temporary"), "temporary");
    const json::Value* rewrite = obj.Find("rewrite_enabled");
    if (rewrite != nullptr && !rewrite->is_null()) {
      t.rewrite_enabled = d.Bool(rewrite, "rewrite_enabled");
    }
    t.write_id = d.Int(obj.Find("write_id"), "write_id", -1);
    return t;
  });
}

std::string EncodeResourceUris(const std::vector<ResourceUri>& uris) {
  json::Writer w;
  w.BeginArray();
  for (const ResourceUri& u : uris) {
    w.BeginObject();
    WriteIntField("type", u.type, w);
    WriteStringField("uri", u.uri, w);
    w.EndObject();
  }
  w.EndArray();
  return w.Release();
}

absl::StatusOr<std::vector<ResourceUri>> DecodeResourceUris(std::string_view text) {
  return DecodeDocument<std::vector<ResourceUri>>(text, [](const json::Value& v, Decoder& d) {
    std::vector<ResourceUri> out;
    for (const json::Value& item : d.Array(&v, "resource uris")) {
      const json::Value& obj = d.Object(&item, "resource uri");
      out.push_back(ResourceUri{d.Int32(obj.Find("type"), "resource type", 1),
                                d.Str(obj.Find("uri"), "resource uri")});
    }
    return out;
  });
}

}  // namespace almanac
