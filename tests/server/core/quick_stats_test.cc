// Quick stats (numFiles, totalSize, numFilesErasureCoded, BASIC_STATS) as Hive Metastore keeps
// them: CatalogService over a real SQLite store and a temporary warehouse with real files.

#include "server/core/quick_stats.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog_service.h"
#include "storage/sqlite/sqlite_store.h"
#include "tests/server/core/test_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {
namespace {

using ::testing::Contains;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;

namespace fs = std::filesystem;

constexpr char kAccurate[] = "COLUMN_STATS_ACCURATE";

// Writes a file of `bytes` bytes, creating its directory.
void WriteFile(const std::string& path, size_t bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << std::string(bytes, 'x');
}

class QuickStatsTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(true); }

  void Open(bool auto_gather) {
    catalog_.reset();
    store_.reset();
    warehouse_ = dir_.File("warehouse");
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &store_));
    CatalogOptions catalog_options;
    catalog_options.warehouse_root = "file:" + warehouse_;
    catalog_options.stats_auto_gather = auto_gather;
    // Data outside the warehouse lives elsewhere in the test's directory.
    catalog_options.allowed_roots = {dir_.path()};
    catalog_ = std::make_unique<CatalogService>(store_.get(), catalog_options);
    Database db;
    db.name = "d";
    absl::Status created = catalog_->CreateDatabase(ctx_, db).status();
    ASSERT_TRUE(created.ok() || absl::IsAlreadyExists(created)) << created;
  }

  // The directory of table `name` in database d, as the catalog places it.
  std::string TableDir(const std::string& name) { return warehouse_ + "/d.db/" + name; }

  Table MakeTable(const std::string& name, bool partitioned = false) {
    Table t;
    t.database = "d";
    t.name = name;
    t.sd.columns = {{"id", "bigint", ""}};
    if (partitioned) t.partition_keys = {{"ds", "string", ""}};
    return t;
  }

  Table Create(Table t, const CreateTableOptions& options = {}) {
    auto created = catalog_->CreateTable(ctx_, std::move(t), options);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : Table{};
  }

  Params TableParams(const std::string& name) {
    auto t = catalog_->GetTable("hive", "d", name);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? t->parameters : Params{};
  }

  // A partition of d.p.
  Partition Part(const std::string& value, Params params = {}) {
    Partition p;
    p.database = "d";
    p.table = "p";
    p.values = {value};
    p.parameters = std::move(params);
    return p;
  }

  Params PartParams(const std::string& table, const std::string& value) {
    auto p = catalog_->GetPartition("hive", "d", table, {value});
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? p->parameters : Params{};
  }

  // Lists `location` as the catalog would, within a budget no test here exhausts.
  std::optional<DirectoryStats> Scan(const std::string& location) {
    ListingBudget budget(1'000'000, absl::Hours(1));
    return ScanLocation(catalog_->location_guard(), location, budget);
  }

  testing::TempDir dir_;
  std::string warehouse_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CatalogService> catalog_;
  RequestContext ctx_{"alice"};
};

auto Stats(const std::string& files, const std::string& bytes) {
  return ::testing::AllOf(Contains(Pair("numFiles", files)), Contains(Pair("totalSize", bytes)),
                          Contains(Pair("numFilesErasureCoded", "0")));
}

auto NoStats() {
  return ::testing::AllOf(Not(Contains(Key("numFiles"))), Not(Contains(Key("totalSize"))),
                          Not(Contains(Key("numFilesErasureCoded"))));
}

TEST_F(QuickStatsTest, ScanCountsVisibleFilesRecursively) {
  const std::string root = dir_.File("data");
  WriteFile(root + "/a", 10);
  WriteFile(root + "/sub/b", 5);
  WriteFile(root + "/.hidden", 100);
  WriteFile(root + "/_SUCCESS", 100);
  WriteFile(root + "/_tmp/c", 100);  // Hidden directories are not entered.
  WriteFile(root + "/.staging/d", 100);
  fs::create_directories(root + "/empty");
  auto stats = Scan("file:" + root);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->num_files, 2);
  EXPECT_EQ(stats->total_size, 15);
  EXPECT_EQ(Scan(root)->num_files, 2);  // A bare path is a file: location.
  EXPECT_EQ(Scan("file://" + root)->total_size, 15);
}

TEST_F(QuickStatsTest, ScanOfMissingFileAndForeignLocations) {
  auto missing = Scan("file:" + dir_.File("nope"));
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->num_files, 0);
  EXPECT_EQ(missing->total_size, 0);
  WriteFile(dir_.File("one"), 7);
  auto file = Scan("file:" + dir_.File("one"));
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->num_files, 1);
  EXPECT_EQ(file->total_size, 7);
  EXPECT_EQ(Scan("s3a://bucket/t"), std::nullopt);
  EXPECT_EQ(Scan("hdfs://nn:8020/t"), std::nullopt);
}

TEST_F(QuickStatsTest, CreateTableOverExistingDirectoryCountsItsFiles) {
  WriteFile(TableDir("t") + "/part-0", 3);
  WriteFile(TableDir("t") + "/x/part-1", 4);
  WriteFile(TableDir("t") + "/_SUCCESS", 9);
  Table t = MakeTable("t");
  t.parameters[kAccurate] = R"({"BASIC_STATS":"true"})";
  Create(t);
  Params params = TableParams("t");
  EXPECT_THAT(params, Stats("2", "7"));
  EXPECT_THAT(params, Not(Contains(Key(kAccurate))));  // Not produced by a stats task.
}

TEST_F(QuickStatsTest, CreateTableInNewDirectoryComputesNothing) {
  Table t = MakeTable("t");
  t.parameters[kAccurate] = R"({"BASIC_STATS":"true"})";
  Create(t);
  Params params = TableParams("t");
  EXPECT_THAT(params, NoStats());
  EXPECT_EQ(params.at(kAccurate), R"({"BASIC_STATS":"true"})");
  EXPECT_TRUE(fs::is_directory(TableDir("t")));
}

TEST_F(QuickStatsTest, CreateTableFromStatsTaskIsAccurate) {
  WriteFile(TableDir("t") + "/f", 2);
  CreateTableOptions options;
  options.environment["STATS_GENERATED"] = "TASK";
  Create(MakeTable("t"), options);
  EXPECT_THAT(TableParams("t"), Contains(Pair(kAccurate, R"({"BASIC_STATS":"true"})")));
}

TEST_F(QuickStatsTest, CreateTableSkips) {
  for (const char* name : {"env", "param", "view", "given", "parted"}) {
    WriteFile(TableDir(name) + "/f", 2);
  }
  CreateTableOptions skip;
  skip.environment["DO_NOT_UPDATE_STATS"] = "TRUE";  // Parsed as Boolean.parseBoolean.
  Create(MakeTable("env"), skip);
  EXPECT_THAT(TableParams("env"), NoStats());

  Table param = MakeTable("param");
  param.parameters["DO_NOT_UPDATE_STATS"] = "true";
  Create(param);
  EXPECT_THAT(TableParams("param"), NoStats());
  EXPECT_THAT(TableParams("param"), Not(Contains(Key("DO_NOT_UPDATE_STATS"))));  // Consumed.

  Table view = MakeTable("view");
  view.table_type = kVirtualView;
  view.sd.location = "file:" + TableDir("view");
  Create(view);
  EXPECT_THAT(TableParams("view"), NoStats());

  Table given = MakeTable("given");
  given.parameters = {{"numFiles", "9"}, {"totalSize", "99"}, {"numFilesErasureCoded", "0"}};
  Create(given);
  EXPECT_THAT(TableParams("given"), Stats("9", "99"));

  Create(MakeTable("parted", true));
  EXPECT_THAT(TableParams("parted"), NoStats());
}

TEST_F(QuickStatsTest, AutoGatherOffSkipsCreateAndAddButNotAlter) {
  Open(false);
  WriteFile(TableDir("t") + "/f", 2);
  WriteFile(TableDir("p") + "/ds=a/f", 3);
  Table t = Create(MakeTable("t"));
  EXPECT_THAT(TableParams("t"), NoStats());
  Create(MakeTable("p", true));
  ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", "p", {Part("a")}, false).ok());
  EXPECT_THAT(PartParams("p", "a"), NoStats());
  // HiveAlterHandler.alterTable does not consult the setting.
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "t", t, {}).ok());
  EXPECT_THAT(TableParams("t"), Stats("1", "2"));
}

TEST_F(QuickStatsTest, AddPartitionCountsOnlyExistingDirectories) {
  Create(MakeTable("p", true));
  WriteFile(TableDir("p") + "/ds=a/f1", 10);
  WriteFile(TableDir("p") + "/ds=a/.f1.crc", 1);
  WriteFile(dir_.File("elsewhere") + "/f", 6);
  Partition elsewhere = Part("c", {{kAccurate, R"({"BASIC_STATS":"true"})"}});
  elsewhere.sd.location = "file:" + dir_.File("elsewhere");
  auto added =
      catalog_->AddPartitions(ctx_, "hive", "d", "p", {Part("a"), Part("b"), elsewhere}, false);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_THAT(added->at(0).parameters, Stats("1", "10"));  // The answer carries them too.
  EXPECT_THAT(PartParams("p", "a"), Stats("1", "10"));
  EXPECT_THAT(PartParams("p", "b"), NoStats());  // Made by the metastore: empty.
  EXPECT_TRUE(fs::is_directory(TableDir("p") + "/ds=b"));
  EXPECT_THAT(PartParams("p", "c"), Stats("1", "6"));
  EXPECT_THAT(PartParams("p", "c"), Not(Contains(Key(kAccurate))));
}

TEST_F(QuickStatsTest, AddPartitionRules) {
  Create(MakeTable("p", true));
  for (const char* v : {"a", "b", "c", "d"}) WriteFile(TableDir("p") + "/ds=" + v + "/f", 4);
  // HMSHandler.canUpdateStats reads only the table parameter; the context's flag is ignored.
  EnvironmentProperties skip{{"DO_NOT_UPDATE_STATS", "true"}};
  ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", "p", {Part("a")}, false, skip).ok());
  EXPECT_THAT(PartParams("p", "a"), Stats("1", "4"));
  EnvironmentProperties task{{"STATS_GENERATED", "TASK"}};
  ASSERT_TRUE(catalog_->AppendPartition(ctx_, "hive", "d", "p", {"b"}, task).ok());
  EXPECT_THAT(PartParams("p", "b"), Contains(Pair(kAccurate, R"({"BASIC_STATS":"true"})")));
  Params given{{"numFiles", "5"}, {"totalSize", "50"}, {"numFilesErasureCoded", "0"}};
  ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", "p", {Part("c", given)}, false).ok());
  EXPECT_THAT(PartParams("p", "c"), Stats("5", "50"));

  Table t = *catalog_->GetTable("hive", "d", "p");
  t.parameters["DO_NOT_UPDATE_STATS"] = "true";
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "p", t, {}).ok());
  ASSERT_TRUE(catalog_->AppendPartition(ctx_, "hive", "d", "p", {"d"}).ok());
  EXPECT_THAT(PartParams("p", "d"), NoStats());
}

TEST_F(QuickStatsTest, AlterPartitionRecomputesWhenHiveWould) {
  Create(MakeTable("p", true));
  ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", "p", {Part("a")}, false).ok());
  WriteFile(TableDir("p") + "/ds=a/f", 8);
  Partition a = *catalog_->GetPartition("hive", "d", "p", {"a"});
  ASSERT_THAT(a.parameters, NoStats());

  // The partition lacks stats: they are computed.
  ASSERT_TRUE(catalog_->AlterPartitions(ctx_, "hive", "d", "p", {a}).ok());
  Partition computed = *catalog_->GetPartition("hive", "d", "p", {"a"});
  EXPECT_THAT(computed.parameters, Stats("1", "8"));

  // Same stats as stored, no stats task: left as given, even if the files changed.
  WriteFile(TableDir("p") + "/ds=a/g", 2);
  computed.parameters[kAccurate] = R"({"BASIC_STATS":"true"})";
  ASSERT_TRUE(catalog_->AlterPartitions(ctx_, "hive", "d", "p", {computed}).ok());
  EXPECT_THAT(PartParams("p", "a"), Stats("1", "8"));
  EXPECT_THAT(PartParams("p", "a"), Contains(Key(kAccurate)));

  // Same stats from a stats task: only the flag changes.
  EnvironmentProperties task{{"STATS_GENERATED", "TASK"}};
  Partition same = *catalog_->GetPartition("hive", "d", "p", {"a"});
  same.parameters.erase(kAccurate);
  ASSERT_TRUE(catalog_->AlterPartitions(ctx_, "hive", "d", "p", {same}, task).ok());
  EXPECT_THAT(PartParams("p", "a"), Stats("1", "8"));
  EXPECT_THAT(PartParams("p", "a"), Contains(Pair(kAccurate, R"({"BASIC_STATS":"true"})")));

  // Different stats: recounted from the files; the flag goes.
  Partition changed = *catalog_->GetPartition("hive", "d", "p", {"a"});
  changed.parameters["numFiles"] = "100";
  ASSERT_TRUE(catalog_->AlterPartitions(ctx_, "hive", "d", "p", {changed}).ok());
  EXPECT_THAT(PartParams("p", "a"), Stats("2", "10"));
  EXPECT_THAT(PartParams("p", "a"), Not(Contains(Key(kAccurate))));

  // DO_NOT_UPDATE_STATS=true (exactly) keeps whatever the client sent.
  changed.parameters["numFiles"] = "100";
  EnvironmentProperties skip{{"DO_NOT_UPDATE_STATS", "true"}};
  ASSERT_TRUE(catalog_->AlterPartitions(ctx_, "hive", "d", "p", {changed}, skip).ok());
  EXPECT_THAT(PartParams("p", "a"), Contains(Pair("numFiles", "100")));
}

TEST_F(QuickStatsTest, AlterPartitionOfTransactionalTableKeepsStats) {
  Table t = MakeTable("p", true);
  t.parameters["transactional"] = "TRUE";
  Create(t);
  ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", "p", {Part("a")}, false).ok());
  WriteFile(TableDir("p") + "/ds=a/f", 8);
  ASSERT_TRUE(catalog_->AlterPartitions(ctx_, "hive", "d", "p", {Part("a")}).ok());
  EXPECT_THAT(PartParams("p", "a"), NoStats());
}

TEST_F(QuickStatsTest, AlterTableRecomputesUnlessToldNotTo) {
  Table t = Create(MakeTable("t"));
  WriteFile(TableDir("t") + "/f", 5);
  t.parameters = {{"numFiles", "1"}, {"totalSize", "1"}, {"numFilesErasureCoded", "0"}};
  t.parameters[kAccurate] = R"({"BASIC_STATS":"true","COLUMN_STATS":{"id":"true"}})";

  EnvironmentProperties skip{{"DO_NOT_UPDATE_STATS", "true"}};
  AlterTableOptions skipping;
  skipping.environment = skip;
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "t", t, skipping).ok());
  EXPECT_THAT(TableParams("t"), Stats("1", "1"));

  // Forced recount; without a stats task the whole COLUMN_STATS_ACCURATE goes.
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "t", t, {}).ok());
  EXPECT_THAT(TableParams("t"), Stats("1", "5"));
  EXPECT_THAT(TableParams("t"), Not(Contains(Key(kAccurate))));

  AlterTableOptions task;
  task.environment["STATS_GENERATED"] = "TASK";
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "t", t, task).ok());
  EXPECT_THAT(TableParams("t"),
              Contains(Pair(kAccurate, R"({"BASIC_STATS":"true","COLUMN_STATS":{"id":"true"}})")));

  AlterTableOptions no_listing;
  no_listing.environment["DO_NOT_POPULATE_QUICK_STATS"] = "true";
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "t", t, no_listing).ok());
  EXPECT_THAT(TableParams("t"), Stats("1", "1"));
  EXPECT_THAT(TableParams("t"), Not(Contains(Key(kAccurate))));
}

TEST_F(QuickStatsTest, RenamesAndViewsKeepTheirParameters) {
  Table t = Create(MakeTable("t"));
  WriteFile(TableDir("t") + "/f", 5);
  Table renamed = t;
  renamed.name = "u";
  renamed.sd.location.clear();
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "t", renamed, {}).ok());
  EXPECT_THAT(TableParams("u"), NoStats());

  Table view = MakeTable("v");
  view.table_type = kVirtualView;
  Create(view);
  view = *catalog_->GetTable("hive", "d", "v");
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "v", view, {}).ok());
  EXPECT_THAT(TableParams("v"), NoStats());
}

TEST_F(QuickStatsTest, RenamePartitionCountsTheMovedFiles) {
  Create(MakeTable("p", true));
  ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", "p", {Part("a")}, false).ok());
  WriteFile(TableDir("p") + "/ds=a/f", 6);
  Partition renamed = *catalog_->GetPartition("hive", "d", "p", {"a"});
  renamed.values = {"b"};
  ASSERT_TRUE(catalog_->RenamePartition(ctx_, "hive", "d", "p", {"a"}, renamed).ok());
  EXPECT_THAT(PartParams("p", "b"), Stats("1", "6"));
  EXPECT_TRUE(fs::exists(TableDir("p") + "/ds=b/f"));
}

TEST_F(QuickStatsTest, ForeignSchemesAreNotListed) {
  Table t = MakeTable("s3");
  t.sd.location = "s3a://bucket/s3";
  t.table_type = kExternalTable;
  t.parameters = {{"EXTERNAL", "TRUE"}, {kAccurate, R"({"BASIC_STATS":"true"})"}};
  t = Create(t);
  EXPECT_THAT(TableParams("s3"), NoStats());  // Treated as a new, empty directory.
  EXPECT_THAT(TableParams("s3"), Contains(Key(kAccurate)));
  t.parameters["numFiles"] = "3";
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "s3", t, {}).ok());
  EXPECT_THAT(TableParams("s3"), Contains(Pair("numFiles", "3")));
  EXPECT_THAT(TableParams("s3"), Not(Contains(Key(kAccurate))));
}

TEST_F(QuickStatsTest, StatsSetupOfHive4MarksEmptyTablesAccurate) {
  CreateTableOptions setup;
  setup.stats_setup = R"({"enabled":true})";
  Create(MakeTable("fresh"), setup);
  EXPECT_THAT(
      TableParams("fresh"),
      ::testing::IsSupersetOf({Pair("numFiles", "0"), Pair("numRows", "0"), Pair("totalSize", "0"),
                               Pair("rawDataSize", "0"), Pair("numFilesErasureCoded", "0"),
                               Pair(kAccurate, R"({"BASIC_STATS":"true","COLUMN_STATS":)"
                                               R"({"id":"true"}})")}));

  WriteFile(TableDir("hidden_only") + "/_SUCCESS", 1);
  Create(MakeTable("hidden_only"), setup);
  EXPECT_THAT(TableParams("hidden_only"), Contains(Pair("numRows", "0")));

  WriteFile(TableDir("full") + "/f", 4);
  Create(MakeTable("full"), setup);
  EXPECT_THAT(TableParams("full"), Not(Contains(Key("numRows"))));
  EXPECT_THAT(TableParams("full"), Stats("1", "4"));

  setup.stats_setup = "not json";
  Create(MakeTable("garbled"), setup);
  EXPECT_THAT(TableParams("garbled"), NoStats());
}

}  // namespace
}  // namespace almanac
