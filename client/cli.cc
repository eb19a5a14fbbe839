#include "client/cli.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "client/catalog_client.h"
#include "google/protobuf/util/json_util.h"

namespace almanac::client {
namespace {

constexpr char kDefaultServer[] = "127.0.0.1:9084";

// Flags of the commands that take no value.
const std::set<std::string>& BooleanFlags() {
  static const auto* flags = new std::set<std::string>{"cascade", "delete-data", "count", "json"};
  return *flags;
}

// A command line split into words and --flags (given before or after the words).
struct Invocation {
  std::vector<std::string> words;
  std::map<std::string, std::vector<std::string>> flags;

  bool Has(const std::string& name) const { return flags.count(name) > 0; }
  std::string Flag(const std::string& name, const std::string& fallback = "") const {
    auto it = flags.find(name);
    return it == flags.end() ? fallback : it->second.back();
  }
};

absl::StatusOr<Invocation> Parse(const std::vector<std::string>& args) {
  Invocation inv;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      inv.words.insert(inv.words.begin(), "help");
      continue;
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      inv.words.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (BooleanFlags().count(name) > 0) {
      value = "true";
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
    }
    inv.flags[name].push_back(value);
  }
  return inv;
}

// Splits "db.table" into its two names.
absl::Status SplitTableName(const std::string& text, std::string* db, std::string* table) {
  std::vector<std::string> parts = absl::StrSplit(text, absl::MaxSplits('.', 1));
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a table as DATABASE.TABLE, got '", text, "'"));
  }
  *db = parts[0];
  *table = parts[1];
  return absl::OkStatus();
}

std::string Time(int64_t seconds) {
  if (seconds <= 0) return "-";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

std::string Json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

void PrintParams(const google::protobuf::Map<std::string, std::string>& params, std::ostream& out) {
  std::map<std::string, std::string> sorted(params.begin(), params.end());
  for (const auto& [key, value] : sorted) out << "  " << key << " = " << value << "\n";
}

void PrintColumns(const google::protobuf::RepeatedPtrField<v1::Column>& columns,
                  std::ostream& out) {
  for (const v1::Column& column : columns) {
    out << "  " << column.name() << "  " << column.type();
    if (!column.comment().empty()) out << "  -- " << column.comment();
    out << "\n";
  }
}

void PrintDatabase(const v1::Database& db, std::ostream& out) {
  out << "database     " << db.name() << "\n"
      << "catalog      " << db.catalog() << "\n"
      << "location     " << db.location() << "\n"
      << "description  " << db.description() << "\n"
      << "owner        " << db.owner_name() << "\n"
      << "created      " << Time(db.create_time()) << "\n";
  if (!db.parameters().empty()) {
    out << "parameters:\n";
    PrintParams(db.parameters(), out);
  }
}

void PrintTable(const v1::Table& table, std::ostream& out) {
  const v1::StorageDescriptor& sd = table.storage();
  out << "table        " << table.database() << "." << table.name() << "\n"
      << "type         " << table.table_type() << "\n"
      << "owner        " << table.owner() << "\n"
      << "created      " << Time(table.create_time()) << "\n"
      << "location     " << sd.location() << "\n"
      << "input        " << sd.input_format() << "\n"
      << "output       " << sd.output_format() << "\n"
      << "serde        " << sd.serde().serialization_lib() << "\n"
      << "columns:\n";
  PrintColumns(sd.columns(), out);
  if (!table.partition_keys().empty()) {
    out << "partition keys:\n";
    PrintColumns(table.partition_keys(), out);
  }
  if (!table.view_original_text().empty()) {
    out << "view text:\n  " << table.view_original_text() << "\n";
  }
  if (!table.parameters().empty()) {
    out << "parameters:\n";
    PrintParams(table.parameters(), out);
  }
}

// What changed between two versions of a table, in a few words.
std::string Changes(const v1::Table& before, const v1::Table& after) {
  std::vector<std::string> changes;
  if (before.database() != after.database() || before.name() != after.name()) {
    changes.push_back(absl::StrCat("renamed from ", before.database(), ".", before.name()));
  }
  std::map<std::string, std::string> old_columns;
  for (const v1::Column& c : before.storage().columns()) old_columns[c.name()] = c.type();
  std::set<std::string> seen;
  for (const v1::Column& c : after.storage().columns()) {
    seen.insert(c.name());
    auto it = old_columns.find(c.name());
    if (it == old_columns.end()) {
      changes.push_back(absl::StrCat("+", c.name(), " ", c.type()));
    } else if (it->second != c.type()) {
      changes.push_back(absl::StrCat("~", c.name(), " ", it->second, " -> ", c.type()));
    }
  }
  for (const auto& [name, type] : old_columns) {
    if (seen.count(name) == 0) changes.push_back(absl::StrCat("-", name));
  }
  if (before.storage().location() != after.storage().location()) {
    changes.push_back(absl::StrCat("location ", after.storage().location()));
  }
  std::vector<std::string> params;
  for (const auto& [key, value] : after.parameters()) {
    if (key == "transient_lastDdlTime") continue;
    auto it = before.parameters().find(key);
    if (it == before.parameters().end() || it->second != value) params.push_back(key);
  }
  for (const auto& [key, value] : before.parameters()) {
    if (after.parameters().count(key) == 0) params.push_back(absl::StrCat("-", key));
  }
  if (!params.empty()) {
    std::sort(params.begin(), params.end());
    changes.push_back(absl::StrCat("parameters ", absl::StrJoin(params, ",")));
  }
  return changes.empty() ? "-" : absl::StrJoin(changes, "; ");
}

void PrintHistory(const v1::ListTableVersionsResponse& history, std::ostream& out) {
  out << absl::StrFormat("%-8s %-20s  %-16s %-10s %s\n", "VERSION", "TIME", "PRINCIPAL",
                         "OPERATION", "CHANGES");
  const v1::Table* previous = nullptr;
  for (const v1::TableVersion& version : history.versions()) {
    std::string changes =
        previous == nullptr
            ? absl::StrCat(version.definition().storage().columns_size(), " columns")
            : Changes(*previous, version.definition());
    out << absl::StrFormat("%-8d %-20s  %-16s %-10s %s\n", version.version(), Time(version.time()),
                           version.principal().empty() ? "-" : version.principal(),
                           version.operation(), changes);
    previous = &version.definition();
  }
}

struct Context {
  CatalogClient* client;
  std::string catalog;
  bool json = false;
  std::ostream& out;
};

// Prints `message` as JSON, or with `text` otherwise.
template <typename Message>
absl::Status Show(const Context& ctx, const absl::StatusOr<Message>& result,
                  const std::function<void(const Message&, std::ostream&)>& text) {
  if (!result.ok()) return result.status();
  if (ctx.json) {
    ctx.out << Json(*result) << "\n";
  } else {
    text(*result, ctx.out);
  }
  return absl::OkStatus();
}

void PrintNames(const google::protobuf::RepeatedPtrField<std::string>& names, std::ostream& out) {
  for (const std::string& name : names) out << name << "\n";
}

// A usage error is marked with this payload, so that it exits with 2 rather than 1.
constexpr char kUsagePayload[] = "almanac.cli/usage";

absl::Status Usage(absl::string_view why) {
  absl::Status status = absl::InvalidArgumentError(absl::StrCat(why, " (run 'almanac help')"));
  status.SetPayload(kUsagePayload, absl::Cord("1"));
  return status;
}

absl::Status RunDatabase(const Context& ctx, const Invocation& inv) {
  if (inv.words.size() != 3) return Usage("expected: database show|create|drop NAME");
  const std::string& verb = inv.words[1];
  const std::string& name = inv.words[2];
  if (verb == "show") {
    v1::GetDatabaseRequest request;
    request.set_catalog(ctx.catalog);
    request.set_name(name);
    return Show<v1::Database>(ctx, ctx.client->GetDatabase(request), PrintDatabase);
  }
  if (verb == "create") {
    v1::CreateDatabaseRequest request;
    v1::Database* db = request.mutable_database();
    db->set_catalog(ctx.catalog);
    db->set_name(name);
    db->set_description(inv.Flag("description"));
    db->set_location(inv.Flag("location"));
    auto params = inv.flags.find("param");
    if (params != inv.flags.end()) {
      for (const std::string& kv : params->second) {
        size_t eq = kv.find('=');
        if (eq == std::string::npos) return Usage("--param expects KEY=VALUE");
        (*db->mutable_parameters())[kv.substr(0, eq)] = kv.substr(eq + 1);
      }
    }
    return Show<v1::Database>(ctx, ctx.client->CreateDatabase(request), PrintDatabase);
  }
  if (verb == "drop") {
    v1::DropDatabaseRequest request;
    request.set_catalog(ctx.catalog);
    request.set_name(name);
    request.set_cascade(inv.Has("cascade"));
    request.set_delete_data(inv.Has("delete-data"));
    absl::Status dropped = ctx.client->DropDatabase(request);
    if (dropped.ok() && !ctx.json) ctx.out << "dropped database " << name << "\n";
    return dropped;
  }
  return Usage(absl::StrCat("unknown database command '", verb, "'"));
}

absl::Status RunTable(const Context& ctx, const Invocation& inv) {
  if (inv.words.size() != 3) return Usage("expected: table show|history DATABASE.TABLE");
  std::string db, table;
  if (absl::Status split = SplitTableName(inv.words[2], &db, &table); !split.ok()) {
    return Usage(split.message());
  }
  if (inv.words[1] == "show") {
    v1::GetTableRequest request;
    request.set_catalog(ctx.catalog);
    request.set_database(db);
    request.set_name(table);
    return Show<v1::Table>(ctx, ctx.client->GetTable(request), PrintTable);
  }
  if (inv.words[1] == "history") {
    v1::ListTableVersionsRequest request;
    request.set_catalog(ctx.catalog);
    request.set_database(db);
    request.set_table(table);
    return Show<v1::ListTableVersionsResponse>(ctx, ctx.client->ListTableVersions(request),
                                               PrintHistory);
  }
  return Usage(absl::StrCat("unknown table command '", inv.words[1], "'"));
}

absl::Status RunPartitions(const Context& ctx, const Invocation& inv) {
  if (inv.words.size() != 2) return Usage("expected: partitions DATABASE.TABLE");
  std::string db, table;
  if (absl::Status split = SplitTableName(inv.words[1], &db, &table); !split.ok()) {
    return Usage(split.message());
  }
  if (inv.Has("count")) {
    v1::CountPartitionsRequest request;
    request.set_catalog(ctx.catalog);
    request.set_database(db);
    request.set_table(table);
    request.set_filter(inv.Flag("filter"));
    return Show<v1::CountPartitionsResponse>(
        ctx, ctx.client->CountPartitions(request),
        [](const v1::CountPartitionsResponse& r, std::ostream& out) { out << r.count() << "\n"; });
  }
  v1::ListPartitionNamesRequest request;
  request.set_catalog(ctx.catalog);
  request.set_database(db);
  request.set_table(table);
  request.set_filter(inv.Flag("filter"));
  if (inv.Has("limit")) {
    int64_t limit;
    if (!absl::SimpleAtoi(inv.Flag("limit"), &limit) || limit < 1) {
      return Usage(
          absl::StrCat("--limit expects a positive number, got '", inv.Flag("limit"), "'"));
    }
    request.set_max_results(limit);
  }
  return Show<v1::ListPartitionNamesResponse>(
      ctx, ctx.client->ListPartitionNames(request),
      [](const v1::ListPartitionNamesResponse& r, std::ostream& out) {
        PrintNames(r.names(), out);
      });
}

absl::Status Run(const Context& ctx, const Invocation& inv) {
  const std::string& command = inv.words[0];
  if (command == "status") {
    return Show<v1::ServerInfo>(
        ctx, ctx.client->GetServerInfo(), [](const v1::ServerInfo& info, std::ostream& out) {
          out << "almanacd " << info.version() << ", up since " << Time(info.started_at()) << "\n";
        });
  }
  if (command == "databases") {
    if (inv.words.size() > 2) return Usage("expected: databases [PATTERN]");
    v1::ListDatabasesRequest request;
    request.set_catalog(ctx.catalog);
    if (inv.words.size() == 2) request.set_pattern(inv.words[1]);
    return Show<v1::ListDatabasesResponse>(
        ctx, ctx.client->ListDatabases(request),
        [](const v1::ListDatabasesResponse& r, std::ostream& out) { PrintNames(r.names(), out); });
  }
  if (command == "tables") {
    if (inv.words.size() < 2 || inv.words.size() > 3) {
      return Usage("expected: tables DATABASE [PATTERN]");
    }
    v1::ListTablesRequest request;
    request.set_catalog(ctx.catalog);
    request.set_database(inv.words[1]);
    if (inv.words.size() == 3) request.set_pattern(inv.words[2]);
    return Show<v1::ListTablesResponse>(
        ctx, ctx.client->ListTables(request),
        [](const v1::ListTablesResponse& r, std::ostream& out) { PrintNames(r.names(), out); });
  }
  if (command == "database") return RunDatabase(ctx, inv);
  if (command == "table") return RunTable(ctx, inv);
  if (command == "partitions") return RunPartitions(ctx, inv);
  return Usage(absl::StrCat("unknown command '", command, "'"));
}

}  // namespace

std::string CliUsage() {
  return R"(usage: almanac [--server HOST:PORT] [--catalog NAME] [--json] COMMAND [ARGS...]

Talks to almanacd's gRPC API (default server 127.0.0.1:9084, or $ALMANAC_SERVER). Changes are
recorded under the principal $ALMANAC_PRINCIPAL (default $USER).

commands:
  status                                 the server's version and start time
  databases [PATTERN]                    database names ('*' wildcard, '|' alternatives)
  database show NAME
  database create NAME [--description TEXT] [--location URI] [--param KEY=VALUE]...
  database drop NAME [--cascade] [--delete-data]
  tables DATABASE [PATTERN]              table names
  table show DATABASE.TABLE              a table's definition
  table history DATABASE.TABLE           every version of a table's definition, oldest first
  partitions DATABASE.TABLE [--filter EXPR] [--limit N]
                                         partition names, e.g. --filter 'ds >= "2024-01-01"'
  partitions DATABASE.TABLE --count [--filter EXPR]
  help                                   this text

--json prints the server's answer as JSON. Exit status: 0 ok, 1 error from the server, 2 usage.
)";
}

int RunCli(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
           std::ostream& out, std::ostream& err) {
  absl::StatusOr<Invocation> inv = Parse(args);
  if (!inv.ok()) {
    err << "almanac: " << inv.status().message() << "\n";
    return 2;
  }
  if (inv->words.empty() || inv->words[0] == "help") {
    (inv->words.empty() ? err : out) << CliUsage();
    return inv->words.empty() ? 2 : 0;
  }
  auto lookup = [&](const char* key) {
    auto it = env.find(key);
    return it == env.end() ? std::string() : it->second;
  };
  std::string server = inv->Flag("server", lookup("ALMANAC_SERVER"));
  if (server.empty()) server = kDefaultServer;
  std::string principal = lookup("ALMANAC_PRINCIPAL");
  if (principal.empty()) principal = lookup("USER");
  CatalogClient client(server, principal);
  Context ctx{&client, inv->Flag("catalog"), inv->Has("json"), out};
  absl::Status status = Run(ctx, *inv);
  if (status.ok()) return 0;
  if (status.GetPayload(kUsagePayload).has_value()) {
    err << "almanac: " << status.message() << "\n";
    return 2;
  }
  err << "almanac: " << absl::StatusCodeToString(status.code()) << ": " << status.message() << "\n";
  return 1;
}

}  // namespace almanac::client
