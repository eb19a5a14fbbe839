// Simulated power loss at random I/O calls while the store runs a mixed workload: every
// acknowledged write survives, the write in flight survives entirely or not at all, and the
// reopened file passes PRAGMA integrity_check. The number of chains and cycles is fixed and the
// seeds are too, so every run crashes at the same points. bench/power_loss.cc runs many more.

#include "tests/storage/sqlite/power_loss.h"

#include <memory>
#include <string>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/storage/sqlite/fault_vfs.h"
#include "tests/storage/temp_dir.h"

namespace almanac::testing {
namespace {

PowerLossReport RunChains(PowerLossOptions::Mode mode, uint64_t first_seed, int chains, int cycles,
                          bool ignore_syncs = false) {
  auto vfs = FaultVfs::Register("almanac-power-loss-test");
  EXPECT_TRUE(vfs.ok()) << vfs.status();
  PowerLossReport total;
  if (!vfs.ok()) return total;
  (*vfs)->set_ignore_syncs(ignore_syncs);
  for (int i = 0; i < chains; ++i) {
    TempDir dir;
    PowerLossConfig config;
    config.seed = first_seed + static_cast<uint64_t>(i);
    config.cycles = cycles;
    config.mode = mode;
    PowerLossReport report;
    const absl::Status status = RunPowerLossChain(dir.path(), **vfs, config, &report);
    EXPECT_TRUE(status.ok()) << status;
    total.Add(report);
  }
  return total;
}

void ExpectNothingLost(const PowerLossReport& report, int64_t crashes) {
  EXPECT_EQ(report.crashes, crashes);
  EXPECT_EQ(report.lost_or_partial, 0);
  EXPECT_EQ(report.integrity_failures, 0);
  EXPECT_TRUE(report.failures.empty()) << absl::StrJoin(report.failures, "\n");
  EXPECT_GT(report.acknowledged_checked, 0);
  // The crash points cover transactions, commits and checkpoints.
  EXPECT_GT(report.crash_sites.count("write wal"), 0u);
  EXPECT_GT(report.crash_sites.count("sync wal"), 0u);
  EXPECT_GT(report.crash_sites.count("write main-db") + report.crash_sites.count("sync main-db"),
            0u);
}

TEST(PowerLossTest, AcknowledgedWritesSurviveLosingEveryUnsyncedWrite) {
  const PowerLossReport report = RunChains(PowerLossOptions::Mode::kDropUnsynced, 100, 3, 10);
  ExpectNothingLost(report, 30);
}

TEST(PowerLossTest, AcknowledgedWritesSurviveRandomlyKeptAndTornUnsyncedWrites) {
  const PowerLossReport report = RunChains(PowerLossOptions::Mode::kRandomSubset, 200, 3, 10);
  ExpectNothingLost(report, 30);
}

// A process crash keeps every write: a step whose commit failed at the WAL sync may come back.
TEST(PowerLossTest, AcknowledgedWritesSurviveProcessCrashes) {
  const PowerLossReport report = RunChains(PowerLossOptions::Mode::kKeepUnsynced, 400, 3, 10);
  ExpectNothingLost(report, 30);
}

// The check can fail: on a disk that ignores syncs, acknowledged writes are lost.
TEST(PowerLossTest, DetectsLostWritesWhenSyncsAreIgnored) {
  const PowerLossReport report =
      RunChains(PowerLossOptions::Mode::kDropUnsynced, 300, 1, 5, /*ignore_syncs=*/true);
  EXPECT_GT(report.acknowledged_checked, 0);
  EXPECT_GT(report.lost_or_partial + report.integrity_failures, 0);
}

}  // namespace
}  // namespace almanac::testing
