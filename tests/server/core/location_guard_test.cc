// LocationGuard: normalisation of "file:" locations, the allowed-roots check (with symbolic
// links resolved), and the file-system operations it allows or refuses; and the budgeted
// listings of the quick stats.

#include "server/core/location_guard.h"

#include <filesystem>
#include <fstream>

#include "common/request_scope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/directory_listings.h"
#include "tests/storage/temp_dir.h"

namespace almanac {
namespace {

namespace fs = std::filesystem;
using Kind = LocationGuard::Target::Kind;
using ::testing::HasSubstr;

void WriteFile(const std::string& path, size_t bytes = 1) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << std::string(bytes, 'x');
}

TEST(NormalizeAbsolutePathTest, ResolvesDotsAndSlashes) {
  EXPECT_EQ(NormalizeAbsolutePath("/a//b/./c/../d/"), "/a/b/d");
  EXPECT_EQ(NormalizeAbsolutePath("//a///b"), "/a/b");
  EXPECT_EQ(NormalizeAbsolutePath("/a/./././b/."), "/a/b");
  EXPECT_EQ(NormalizeAbsolutePath("/wh/x/../../outside"), "/outside");
  EXPECT_EQ(NormalizeAbsolutePath("/.."), "/");
  EXPECT_EQ(NormalizeAbsolutePath("/../../etc"), "/etc");
  EXPECT_EQ(NormalizeAbsolutePath("/"), "/");
  EXPECT_EQ(NormalizeAbsolutePath("/a/..b/c.."), "/a/..b/c..");  // Only whole segments.
}

TEST(ParseLocationTest, LocalForms) {
  for (const char* location :
       {"/a/b", "file:/a/b", "file:///a/b", "file://localhost/a/b", "file://LocalHost/a/b",
        "FILE:/a/b", "file:/a//b/", "/a/./b", "file:/a/x/../b"}) {
    ParsedLocation parsed = ParseLocation(location);
    EXPECT_EQ(parsed.kind, ParsedLocation::Kind::kLocal) << location;
    EXPECT_EQ(parsed.path, "/a/b") << location;
  }
  EXPECT_EQ(ParseLocation("file:/").path, "/");
  EXPECT_EQ(ParseLocation("file:/..").path, "/");
}

TEST(ParseLocationTest, ForeignSchemes) {
  for (const char* location :
       {"hdfs://nn:8020/a", "s3a://bucket/a", "s3://b/a", "abfss://c@a/x", "viewfs://cluster/a"}) {
    EXPECT_EQ(ParseLocation(location).kind, ParsedLocation::Kind::kForeign) << location;
  }
}

TEST(ParseLocationTest, UnusableLocalForms) {
  struct Case {
    std::string location;
    std::string problem;
  };
  for (const Case& c : std::vector<Case>{{"", "empty"},
                                         {"data/t", "relative"},
                                         {"./t", "relative"},
                                         {"../t", "relative"},
                                         {"file:data/t", "relative"},
                                         {"file:../t", "relative"},
                                         {"file://otherhost/tmp/t", "otherhost"},
                                         {"file://127.0.0.1/tmp/t", "127.0.0.1"},
                                         {"file://", "no path"},
                                         {"file://localhost", "no path"},
                                         {std::string("/wh/\0/x", 7), "NUL"}}) {
    ParsedLocation parsed = ParseLocation(c.location);
    EXPECT_EQ(parsed.kind, ParsedLocation::Kind::kUnusable) << c.location;
    EXPECT_THAT(parsed.problem, HasSubstr(c.problem)) << c.location;
  }
}

TEST(ParseRootTest, AcceptsOnlyAbsoluteLocalRoots) {
  EXPECT_EQ(*ParseRoot("file:///data/lake/"), "/data/lake");
  EXPECT_EQ(*ParseRoot("/data//lake"), "/data/lake");
  for (const char* bad : {"hdfs://nn/x", "lake", "file:lake", "file://host/lake", ""}) {
    absl::StatusOr<std::string> root = ParseRoot(bad);
    EXPECT_TRUE(absl::IsInvalidArgument(root.status())) << bad;
  }
}

// A warehouse and an extra root in a temporary directory, with a directory outside both.
class LocationGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::canonical(dir_.path()).string();
    wh_ = base_ + "/wh";
    extra_ = base_ + "/extra";
    outside_ = base_ + "/outside";
    fs::create_directories(wh_);
    fs::create_directories(extra_);
    WriteFile(outside_ + "/keep", 5);
    guard_ = std::make_unique<LocationGuard>(
        std::vector<std::string>{"file:" + wh_, extra_ + "/", "hdfs://nn/warehouse"});
  }

  testing::TempDir dir_;
  std::string base_, wh_, extra_, outside_;
  std::unique_ptr<LocationGuard> guard_;
};

TEST_F(LocationGuardTest, RootsAreNormalisedAndForeignOnesIgnored) {
  EXPECT_THAT(guard_->roots(), ::testing::ElementsAre(wh_, extra_));
  EXPECT_EQ(guard_->RootsText(), wh_ + "," + extra_);
  EXPECT_EQ(LocationGuard({}).RootsText(), "(none)");
}

TEST_F(LocationGuardTest, AllowsPathsUnderARoot) {
  for (const std::string& location :
       {"file:" + wh_ + "/d.db/t", wh_ + "//d.db/./t/", "file://" + wh_ + "/d.db/x/../t",
        "file://localhost" + wh_ + "/d.db/t"}) {
    LocationGuard::Target target = guard_->Check(location);
    EXPECT_EQ(target.kind, Kind::kAllowed) << location;
    EXPECT_EQ(target.path, wh_ + "/d.db/t") << location;
    EXPECT_FALSE(target.is_root) << location;
  }
  EXPECT_EQ(guard_->Check("file:" + extra_ + "/t").kind, Kind::kAllowed);
  LocationGuard::Target root = guard_->Check("file:" + wh_ + "/");
  EXPECT_EQ(root.kind, Kind::kAllowed);
  EXPECT_TRUE(root.is_root);
}

TEST_F(LocationGuardTest, RefusesPathsOutsideTheRoots) {
  for (const std::string& location :
       {"file:" + outside_, "file:" + wh_ + "/x/../../outside", wh_ + "/../outside",
        "file:" + wh_ + "2/t", "file:" + base_, std::string("file:/"), std::string("file:/usr")}) {
    LocationGuard::Target target = guard_->Check(location);
    EXPECT_EQ(target.kind, Kind::kRefused) << location;
    EXPECT_EQ(target.reason, "outside the allowed roots") << location;
  }
  EXPECT_EQ(guard_->Check(wh_ + "/x/../../outside").path, outside_);
}

TEST_F(LocationGuardTest, RefusesUnusableAndPassesForeignLocations) {
  for (const std::string& location :
       {std::string("file:wh/t"), std::string("wh/t"), "file://otherhost" + wh_ + "/t"}) {
    LocationGuard::Target target = guard_->Check(location);
    EXPECT_EQ(target.kind, Kind::kRefused) << location;
    EXPECT_THAT(target.reason, HasSubstr("not a usable local path")) << location;
  }
  EXPECT_EQ(guard_->Check("s3a://bucket/t").kind, Kind::kForeign);
}

TEST_F(LocationGuardTest, ResolvesSymbolicLinks) {
  fs::create_directory_symlink(outside_, wh_ + "/escape");
  fs::create_directory_symlink(extra_, wh_ + "/to_extra");
  // Through the link, the path lies outside.
  EXPECT_EQ(guard_->Check("file:" + wh_ + "/escape").kind, Kind::kRefused);
  EXPECT_EQ(guard_->Check("file:" + wh_ + "/escape/t").kind, Kind::kRefused);
  EXPECT_EQ(guard_->Check("file:" + wh_ + "/escape/t", LocationGuard::LastLink::kKeep).kind,
            Kind::kRefused);
  // The link itself lies inside: deleting or moving it does not touch its target.
  LocationGuard::Target link =
      guard_->Check("file:" + wh_ + "/escape", LocationGuard::LastLink::kKeep);
  EXPECT_EQ(link.kind, Kind::kAllowed);
  EXPECT_EQ(link.path, wh_ + "/escape");
  // A link to another root is followed there.
  LocationGuard::Target other = guard_->Check("file:" + wh_ + "/to_extra/t");
  EXPECT_EQ(other.kind, Kind::kAllowed);
  EXPECT_EQ(other.path, extra_ + "/t");
}

TEST_F(LocationGuardTest, RootReachedThroughALink) {
  fs::create_directory_symlink(wh_, base_ + "/wh_link");
  LocationGuard guard({base_ + "/wh_link"});
  EXPECT_EQ(guard.Check("file:" + wh_ + "/t").kind, Kind::kAllowed);
  EXPECT_EQ(guard.Check("file:" + base_ + "/wh_link/t").kind, Kind::kAllowed);
  EXPECT_EQ(guard.Check("file:" + outside_).kind, Kind::kRefused);
}

TEST_F(LocationGuardTest, DeletesOnlyUnderTheRoots) {
  WriteFile(wh_ + "/d.db/t/f");
  ASSERT_TRUE(guard_->Delete("file:" + wh_ + "/d.db/t").ok());
  EXPECT_FALSE(fs::exists(wh_ + "/d.db/t"));
  EXPECT_TRUE(fs::exists(wh_ + "/d.db"));

  for (const std::string& location :
       {"file:" + outside_, "file:" + wh_ + "/x/../../outside", "file://" + wh_ + "/../outside",
        "file://otherhost" + outside_, outside_ + "/.", "file:" + wh_ + "/d.db/../../outside"}) {
    EXPECT_TRUE(guard_->Delete(location).ok()) << location;
    EXPECT_TRUE(fs::exists(outside_ + "/keep")) << location;
  }
}

TEST_F(LocationGuardTest, NeverDeletesARoot) {
  WriteFile(wh_ + "/d.db/t/f");
  EXPECT_TRUE(guard_->Delete("file:" + wh_).ok());
  EXPECT_TRUE(guard_->Delete("file:" + wh_ + "/d.db/..").ok());
  EXPECT_TRUE(guard_->Delete(extra_ + "//").ok());
  EXPECT_TRUE(fs::exists(wh_ + "/d.db/t/f"));
  EXPECT_TRUE(fs::exists(extra_));
}

TEST_F(LocationGuardTest, DeletingThroughALinkLeavesItsTargetAlone) {
  fs::create_directory_symlink(outside_, wh_ + "/escape");
  WriteFile(outside_ + "/sub/f");
  EXPECT_TRUE(guard_->Delete("file:" + wh_ + "/escape/sub").ok());
  EXPECT_TRUE(fs::exists(outside_ + "/sub/f"));
  // The link itself lies in the warehouse: it goes, and what it points to stays.
  EXPECT_TRUE(guard_->Delete("file:" + wh_ + "/escape/").ok());
  EXPECT_FALSE(fs::exists(fs::symlink_status(wh_ + "/escape")));
  EXPECT_TRUE(fs::exists(outside_ + "/keep"));
  EXPECT_TRUE(fs::exists(outside_ + "/sub/f"));
}

TEST_F(LocationGuardTest, DiscardMovesIntoTheTrashUnlessPurged) {
  const std::string trash = base_ + "/home/.Trash";
  LocationGuard guard({"file:" + wh_}, "file:" + trash);
  WriteFile(wh_ + "/d.db/t/k=1/f", 3);
  ASSERT_TRUE(guard.Discard("file:" + wh_ + "/d.db/t/k=1", false).ok());
  EXPECT_FALSE(fs::exists(wh_ + "/d.db/t/k=1"));
  EXPECT_TRUE(fs::exists(trash + "/Current" + wh_ + "/d.db/t/k=1/f"));
  // The name in the trash is taken: the second copy gets a suffix, as Hadoop's does.
  WriteFile(wh_ + "/d.db/t/k=1/g");
  ASSERT_TRUE(guard.Discard("file:" + wh_ + "/d.db/t/k=1", false).ok());
  EXPECT_FALSE(fs::exists(wh_ + "/d.db/t/k=1"));
  int copies = 0;
  for (const auto& entry : fs::directory_iterator(trash + "/Current" + wh_ + "/d.db/t")) {
    copies += entry.path().filename().string().starts_with("k=1") ? 1 : 0;
  }
  EXPECT_EQ(copies, 2);
  // Purged data is deleted; nothing more lands in the trash.
  WriteFile(wh_ + "/d.db/t/k=2/f");
  ASSERT_TRUE(guard.Discard("file:" + wh_ + "/d.db/t/k=2", true).ok());
  EXPECT_FALSE(fs::exists(wh_ + "/d.db/t/k=2"));
  EXPECT_FALSE(fs::exists(trash + "/Current" + wh_ + "/d.db/t/k=2"));
}

TEST_F(LocationGuardTest, DiscardKeepsToTheRoots) {
  const std::string trash = base_ + "/trash";
  LocationGuard guard({"file:" + wh_}, trash);
  for (const std::string& location : {"file:" + outside_, "file:" + wh_ + "/../outside"}) {
    EXPECT_TRUE(guard.Discard(location, false).ok()) << location;
    EXPECT_TRUE(fs::exists(outside_ + "/keep")) << location;
  }
  EXPECT_TRUE(guard.Discard("file:" + wh_, false).ok());
  EXPECT_TRUE(fs::is_directory(wh_));
  EXPECT_FALSE(fs::exists(trash));
  // Without a trash, Discard deletes.
  WriteFile(wh_ + "/d.db/t/f");
  ASSERT_TRUE(guard_->Discard("file:" + wh_ + "/d.db/t", false).ok());
  EXPECT_FALSE(fs::exists(wh_ + "/d.db/t"));
}

TEST_F(LocationGuardTest, RemovesOnlyEmptyDirectoriesUnderTheRoots) {
  fs::create_directories(wh_ + "/d.db/t/y=1");
  WriteFile(wh_ + "/d.db/t/y=2/f");
  fs::create_directories(outside_ + "/empty");
  ASSERT_TRUE(guard_->RemoveIfEmpty("file:" + wh_ + "/d.db/t/y=1").ok());
  EXPECT_FALSE(fs::exists(wh_ + "/d.db/t/y=1"));
  ASSERT_TRUE(guard_->RemoveIfEmpty("file:" + wh_ + "/d.db/t/y=2").ok());
  EXPECT_TRUE(fs::exists(wh_ + "/d.db/t/y=2/f"));
  ASSERT_TRUE(guard_->RemoveIfEmpty("file:" + outside_ + "/empty").ok());
  EXPECT_TRUE(fs::is_directory(outside_ + "/empty"));
  fs::remove_all(wh_ + "/d.db");
  ASSERT_TRUE(guard_->RemoveIfEmpty("file:" + wh_).ok());
  EXPECT_TRUE(fs::is_directory(wh_));
}

TEST_F(LocationGuardTest, EmptiesDirectoriesOnlyUnderTheRoots) {
  const std::string table = wh_ + "/d.db/t";
  WriteFile(table + "/data", 3);
  WriteFile(table + "/.hidden", 3);
  WriteFile(table + "/sub/part-0", 3);
  fs::create_symlink(outside_, table + "/link");
  ASSERT_TRUE(guard_->EmptyDirectory("file:" + table).ok());
  EXPECT_TRUE(fs::is_directory(table));
  EXPECT_TRUE(fs::is_empty(table));
  EXPECT_TRUE(fs::exists(outside_ + "/keep"));  // The link went, not its target.

  ASSERT_TRUE(guard_->EmptyDirectory("file:" + wh_ + "/d.db/missing").ok());
  EXPECT_TRUE(fs::is_directory(wh_ + "/d.db/missing"));

  for (const std::string& refused : {"file:" + outside_, "file:" + wh_, extra_ + "/",
                                     std::string("hdfs://nn/warehouse/t"), std::string("rel/x")}) {
    absl::Status status = guard_->EmptyDirectory(refused);
    EXPECT_TRUE(absl::IsFailedPrecondition(status)) << refused << ": " << status;
    EXPECT_THAT(status.message(), HasSubstr(refused)) << refused;
  }
  EXPECT_TRUE(fs::exists(outside_ + "/keep"));
  EXPECT_TRUE(fs::exists(wh_ + "/d.db/t"));
}

TEST_F(LocationGuardTest, ReadsWritabilityFromThePermissionBits) {
  const std::string db = wh_ + "/d.db";
  fs::create_directories(db + "/t");
  EXPECT_EQ(guard_->UnwritableParent("file:" + db + "/t"), std::nullopt);
  fs::permissions(db, fs::perms::owner_read | fs::perms::owner_exec);
  EXPECT_EQ(guard_->UnwritableParent("file:" + db + "/t"), std::make_optional(db));
  EXPECT_EQ(guard_->UnwritableParent("file:" + outside_ + "/t"), std::nullopt);
  EXPECT_EQ(guard_->UnwritableParent("hdfs://nn/warehouse/t"), std::nullopt);
  fs::permissions(db, fs::perms::owner_all);
}

TEST_F(LocationGuardTest, CreatesDirectoriesOnlyUnderTheRoots) {
  ASSERT_TRUE(guard_->Ensure("file:" + wh_ + "/d.db/./t//").ok());
  EXPECT_TRUE(fs::is_directory(wh_ + "/d.db/t"));
  ASSERT_TRUE(guard_->Ensure("file:" + wh_ + "/x/../../outside/made").ok());
  EXPECT_FALSE(fs::exists(outside_ + "/made"));
  ASSERT_TRUE(guard_->Ensure("file:" + base_ + "/new").ok());
  EXPECT_FALSE(fs::exists(base_ + "/new"));
  fs::create_directory_symlink(outside_, wh_ + "/escape");
  ASSERT_TRUE(guard_->Ensure("file:" + wh_ + "/escape/made").ok());
  EXPECT_FALSE(fs::exists(outside_ + "/made"));
  // A relative path would land below the server's working directory.
  const std::string relative = "almanac-relative-" + std::to_string(getpid());
  ASSERT_TRUE(guard_->Ensure("file:" + relative).ok());
  ASSERT_TRUE(guard_->Ensure(relative + "/t").ok());
  EXPECT_FALSE(fs::exists(relative));
}

TEST_F(LocationGuardTest, MovesOnlyBetweenPathsUnderTheRoots) {
  WriteFile(wh_ + "/d.db/a/f");
  ASSERT_TRUE(guard_->Move("file:" + wh_ + "/d.db/a", "file:" + extra_ + "/e.db/b").ok());
  EXPECT_TRUE(fs::exists(extra_ + "/e.db/b/f"));
  ASSERT_TRUE(guard_->Move("file:" + extra_ + "/e.db/b", "file:" + outside_ + "/b").ok());
  EXPECT_TRUE(fs::exists(extra_ + "/e.db/b/f"));
  EXPECT_FALSE(fs::exists(outside_ + "/b"));
  ASSERT_TRUE(guard_->Move("file:" + outside_, "file:" + wh_ + "/stolen").ok());
  EXPECT_TRUE(fs::exists(outside_ + "/keep"));
  EXPECT_FALSE(fs::exists(wh_ + "/stolen"));
  ASSERT_TRUE(guard_->Move("file:" + wh_, "file:" + extra_ + "/wh").ok());
  EXPECT_TRUE(fs::is_directory(wh_));
  WriteFile(wh_ + "/d.db/c/f");
  WriteFile(wh_ + "/d.db/taken/f");
  EXPECT_TRUE(absl::IsFailedPrecondition(
      guard_->Move("file:" + wh_ + "/d.db/c", "file:" + wh_ + "/d.db/taken")));
}

TEST_F(LocationGuardTest, ListsOnlyUnderTheRootsAndNotThroughLinksOutside) {
  WriteFile(wh_ + "/t/a", 3);
  WriteFile(extra_ + "/shared/b", 4);
  WriteFile(outside_ + "/big", 1000);
  fs::create_directory_symlink(outside_, wh_ + "/t/escape");
  fs::create_symlink(outside_ + "/big", wh_ + "/t/big_link");
  fs::create_directory_symlink(extra_ + "/shared", wh_ + "/t/shared");
  ListingBudget budget(1000, absl::Hours(1));
  std::optional<DirectoryStats> stats = ScanLocation(*guard_, "file:" + wh_ + "/t", budget);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->num_files, 2);  // a, and b through the link into the other root.
  EXPECT_EQ(stats->total_size, 7);
  EXPECT_EQ(ScanLocation(*guard_, "file:" + outside_, budget), std::nullopt);
  EXPECT_EQ(ScanLocation(*guard_, "file:" + wh_ + "/t/escape", budget), std::nullopt);
  EXPECT_EQ(ScanLocation(*guard_, "file:" + wh_ + "/../outside", budget), std::nullopt);
  EXPECT_FALSE(budget.exhausted());
}

TEST_F(LocationGuardTest, ListingStopsWhenTheBudgetRunsOut) {
  for (int i = 0; i < 30; ++i) WriteFile(wh_ + "/t/f" + std::to_string(i));
  ListingBudget enough(31, absl::Hours(1));
  EXPECT_EQ(ScanLocation(*guard_, "file:" + wh_ + "/t", enough)->num_files, 30);
  ListingBudget few_entries(10, absl::Hours(1));
  EXPECT_EQ(ScanLocation(*guard_, "file:" + wh_ + "/t", few_entries), std::nullopt);
  EXPECT_TRUE(few_entries.exhausted());
  ListingBudget no_time(1'000'000, absl::ZeroDuration() - absl::Seconds(1));
  EXPECT_EQ(ScanLocation(*guard_, "file:" + wh_ + "/t", no_time), std::nullopt);
  EXPECT_TRUE(no_time.exhausted());
  {
    // A request whose deadline has passed lists nothing, whatever the listing's own budget.
    RequestScope expired(absl::Now() - absl::Seconds(1));
    ListingBudget past_deadline(1'000'000, absl::Hours(1));
    EXPECT_EQ(ScanLocation(*guard_, "file:" + wh_ + "/t", past_deadline), std::nullopt);
    EXPECT_TRUE(past_deadline.exhausted());
  }
}

TEST_F(LocationGuardTest, ListingsAreGatheredBeforeFreezing) {
  WriteFile(wh_ + "/t/a", 3);
  fs::create_directories(wh_ + "/empty");
  DirectoryListings listings(guard_.get(), 1000, absl::Hours(1));
  EXPECT_EQ(listings.Probe("file:" + wh_ + "/t"), DirState::kDirectory);
  EXPECT_EQ(listings.Count("file:" + wh_ + "/t")->num_files, 1);
  EXPECT_EQ(listings.Probe("file:" + wh_ + "/missing"), DirState::kMissing);
  EXPECT_EQ(listings.Probe("file:" + outside_), DirState::kNotLocal);
  EXPECT_EQ(listings.Count("file:" + outside_), std::nullopt);
  EXPECT_TRUE(listings.HasNoVisibleEntries("file:" + wh_ + "/empty"));
  listings.Freeze();
  // What was gathered stays as it was when listed.
  WriteFile(wh_ + "/t/b", 4);
  EXPECT_EQ(listings.Count("file:" + wh_ + "/t")->num_files, 1);
  // Anything not gathered before cannot be listed any more.
  WriteFile(wh_ + "/u/c", 4);
  EXPECT_EQ(listings.Probe("file:" + wh_ + "/u"), DirState::kNotLocal);
  EXPECT_EQ(listings.Count("file:" + wh_ + "/u"), std::nullopt);
  EXPECT_EQ(listings.Count("file:" + wh_ + "/missing"), std::nullopt);
  EXPECT_FALSE(listings.HasNoVisibleEntries("file:" + wh_ + "/t"));
}

TEST_F(LocationGuardTest, OneCallSharesOneBudget) {
  for (int i = 0; i < 8; ++i) WriteFile(wh_ + "/p1/f" + std::to_string(i));
  for (int i = 0; i < 8; ++i) WriteFile(wh_ + "/p2/f" + std::to_string(i));
  DirectoryListings listings(guard_.get(), 12, absl::Hours(1));
  EXPECT_EQ(listings.Count("file:" + wh_ + "/p1")->num_files, 8);
  EXPECT_EQ(listings.Count("file:" + wh_ + "/p2"), std::nullopt);
}

}  // namespace
}  // namespace almanac
