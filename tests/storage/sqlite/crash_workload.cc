#include "tests/storage/sqlite/crash_workload.h"

#include <iterator>
#include <tuple>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "storage/model.h"

namespace almanac::testing {
namespace {

constexpr char kEventType[] = "CRASH_WORKLOAD";
constexpr char kCounterKey[] = "counter";

// A random element of a non-empty container.
template <typename Container>
auto PickOne(const Container& container, std::mt19937_64& rng) {
  auto it = container.begin();
  std::advance(it, static_cast<long>(rng() % container.size()));
  return it;
}

Table MakeTable(const std::string& db, const std::string& name) {
  Table t;
  t.database = db;
  t.name = name;
  t.owner = "crash";
  t.create_time = 1700000000;
  t.table_type = kManagedTable;
  t.sd.columns = {{"id", "bigint", ""}, {"payload", "string", "the data"}};
  t.sd.location = absl::StrCat("file:/warehouse/", db, ".db/", name);
  t.sd.input_format = "org.apache.hadoop.mapred.TextInputFormat";
  t.sd.serde.serialization_lib = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
  t.partition_keys = {{"p", "string", ""}};
  t.parameters = {{kCounterKey, "0"}};
  return t;
}

Partition MakePartition(const Table& table, const std::string& value) {
  Partition p;
  p.database = table.database;
  p.table = table.name;
  p.values = {value};
  p.create_time = 1700000100;
  p.sd = table.sd;
  p.sd.location = absl::StrCat(table.sd.location, "/p=", value);
  // Some bulk, so that the log grows and checkpoints copy many pages.
  p.parameters = {{"numRows", "10"},
                  {"note", std::string(300, static_cast<char>('a' + value.size() % 26))}};
  return p;
}

std::string Describe(const CrashWorkload::CatalogState& state) {
  std::string out = absl::StrCat("steps {", absl::StrJoin(state.steps, ","), "}");
  for (const auto& [db, tables] : state.databases) {
    absl::StrAppend(&out, " ", db, "{");
    for (const auto& [name, table] : tables) {
      absl::StrAppend(&out, name, "(counter=", table.counter,
                      " parts=", absl::StrJoin(table.partitions, ","), ")");
    }
    absl::StrAppend(&out, "}");
  }
  return out;
}

}  // namespace

CrashWorkload::Op CrashWorkload::NextOp() {
  Op op;
  op.id = next_id_++;
  std::vector<std::pair<std::string, std::string>> tables;
  for (const auto& [db, ts] : model_.databases) {
    for (const auto& [name, t] : ts) tables.emplace_back(db, name);
  }
  const uint64_t roll = rng_() % 100;
  if (model_.databases.empty() || (!uniform_ && roll < 5)) {
    op.kind = Kind::kCreateDatabase;
    op.database = absl::StrCat("db", next_name_++);
    return op;
  }
  if (tables.empty() || (!uniform_ && roll < 15)) {
    op.kind = Kind::kCreateTable;
    op.database = PickOne(model_.databases, rng_)->first;
    op.table = absl::StrCat("t", next_name_++);
    return op;
  }
  if (uniform_) {
    std::tie(op.database, op.table) = tables.front();
    op.kind = Kind::kAddPartitions;
    for (int i = 0; i < 8; ++i) op.partitions.push_back(absl::StrCat("v", next_name_++));
    return op;
  }
  std::tie(op.database, op.table) = tables[rng_() % tables.size()];
  const TableState& table = model_.databases.at(op.database).at(op.table);
  if (roll < 60 || table.partitions.empty()) {
    op.kind = Kind::kAddPartitions;
    const int count = 1 + static_cast<int>(rng_() % 12);
    for (int i = 0; i < count; ++i) op.partitions.push_back(absl::StrCat("v", next_name_++));
  } else if (roll < 85) {
    op.kind = Kind::kBumpCounter;
  } else {
    op.kind = Kind::kDropPartition;
    op.partitions.push_back(*PickOne(table.partitions, rng_));
  }
  return op;
}

absl::Status CrashWorkload::Apply(const Op& op, WriteTxn& txn) const {
  switch (op.kind) {
    case Kind::kCreateDatabase: {
      Database db;
      db.name = op.database;
      db.location = absl::StrCat("file:/warehouse/", op.database, ".db");
      db.owner_name = "crash";
      RETURN_IF_ERROR(txn.CreateDatabase(db));
      break;
    }
    case Kind::kCreateTable:
      RETURN_IF_ERROR(txn.CreateTable(MakeTable(op.database, op.table)).status());
      break;
    case Kind::kAddPartitions: {
      ASSIGN_OR_RETURN(const Table table, txn.GetTable(kDefaultCatalog, op.database, op.table));
      std::vector<Partition> parts;
      for (const std::string& value : op.partitions) parts.push_back(MakePartition(table, value));
      RETURN_IF_ERROR(txn.AddPartitions(table, parts));
      break;
    }
    case Kind::kBumpCounter: {
      ASSIGN_OR_RETURN(Table table, txn.GetTable(kDefaultCatalog, op.database, op.table));
      int64_t counter = 0;
      if (!absl::SimpleAtoi(table.parameters[kCounterKey], &counter)) {
        return absl::DataLossError(absl::StrCat("bad counter in ", op.table));
      }
      table.parameters[kCounterKey] = absl::StrCat(counter + 1);
      RETURN_IF_ERROR(txn.UpdateTable(table.id, table));
      break;
    }
    case Kind::kDropPartition: {
      ASSIGN_OR_RETURN(const Table table, txn.GetTable(kDefaultCatalog, op.database, op.table));
      RETURN_IF_ERROR(txn.DeletePartition(table, op.partitions));
      break;
    }
  }
  Event event;
  event.time = 1700000000 + op.id;
  event.type = kEventType;
  event.catalog = kDefaultCatalog;
  event.database = op.database;
  event.table = op.table;
  event.principal = "crash";
  event.detail = absl::StrCat(op.id);
  return txn.AppendEvent(event).status();
}

void CrashWorkload::ApplyToModel(const Op& op, CatalogState& state) {
  state.steps.insert(op.id);
  switch (op.kind) {
    case Kind::kCreateDatabase:
      state.databases[op.database];
      return;
    case Kind::kCreateTable:
      state.databases[op.database][op.table];
      return;
    case Kind::kAddPartitions:
      for (const std::string& v : op.partitions) {
        state.databases[op.database][op.table].partitions.insert(v);
      }
      return;
    case Kind::kBumpCounter:
      ++state.databases[op.database][op.table].counter;
      return;
    case Kind::kDropPartition:
      state.databases[op.database][op.table].partitions.erase(op.partitions[0]);
      return;
  }
}

absl::Status CrashWorkload::Step(Store& store) {
  if (in_doubt_.has_value()) {
    return absl::FailedPreconditionError("a step is in doubt; Verify the store first");
  }
  const Op op = NextOp();
  absl::Status status = store.Write([&](WriteTxn& txn) { return Apply(op, txn); });
  if (status.ok()) {
    ApplyToModel(op, model_);
    ++acknowledged_;
  } else {
    in_doubt_ = op;
  }
  return status;
}

absl::StatusOr<CrashWorkload::CatalogState> CrashWorkload::ReadState(Store& store) {
  CatalogState state;
  RETURN_IF_ERROR(store.Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(const std::vector<std::string> dbs, view.ListDatabaseNames(kDefaultCatalog));
    for (const std::string& db : dbs) {
      if (db == "default") continue;
      auto& tables = state.databases[db];
      ASSIGN_OR_RETURN(const std::vector<std::string> names,
                       view.ListTableNames(kDefaultCatalog, db, std::nullopt));
      for (const std::string& name : names) {
        ASSIGN_OR_RETURN(Table table, view.GetTable(kDefaultCatalog, db, name));
        TableState& t = tables[name];
        if (!absl::SimpleAtoi(table.parameters[kCounterKey], &t.counter)) {
          return absl::DataLossError(absl::StrCat("bad counter in ", db, ".", name));
        }
        RETURN_IF_ERROR(view.ListPartitionNames(table, PartitionQuery{}, [&](std::string&& n) {
          t.partitions.insert(n.substr(n.find('=') + 1));
          return true;
        }));
      }
    }
    ASSIGN_OR_RETURN(const std::vector<Event> events, view.ListEvents(0, -1));
    for (const Event& e : events) {
      int64_t id = 0;
      if (e.type == kEventType && absl::SimpleAtoi(e.detail, &id)) state.steps.insert(id);
    }
    return absl::OkStatus();
  }));
  return state;
}

absl::StatusOr<CrashWorkload::Outcome> CrashWorkload::Verify(Store& store) {
  ASSIGN_OR_RETURN(const CatalogState actual, ReadState(store));
  objects_checked_ = 0;
  for (const auto& [db, tables] : actual.databases) {
    objects_checked_ += 1 + static_cast<int64_t>(tables.size());
    for (const auto& [name, t] : tables)
      objects_checked_ += static_cast<int64_t>(t.partitions.size());
  }
  std::optional<Op> op = std::exchange(in_doubt_, std::nullopt);
  if (actual == model_) return Outcome::kAbsent;
  if (op.has_value()) {
    CatalogState with = model_;
    ApplyToModel(*op, with);
    if (actual == with) {
      model_ = std::move(with);
      return Outcome::kApplied;
    }
  }
  return absl::DataLossError(absl::StrCat(
      "the store holds ", Describe(actual), "\nbut the acknowledged steps make ", Describe(model_),
      op.has_value() ? absl::StrCat(" (step ", op->id, " in doubt)") : ""));
}

}  // namespace almanac::testing
