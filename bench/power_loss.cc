// Simulated power losses against the SQLite store: many crash cycles at random I/O calls over a
// mixed workload (tests/storage/sqlite/power_loss.h), with the counts printed at the end.
//
//   build/bench/power_loss_bench [--crashes=N] [--cycles-per-chain=N] [--seed=N]
//
// A third of the chains lose every unsynced write, a third keep a random subset of them (one
// possibly torn), and a third keep them all (a process crash rather than a power loss). Exits 1 if
// an acknowledged write was lost, a write was half applied, or a reopened file failed PRAGMA
// integrity_check.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/storage/sqlite/fault_vfs.h"
#include "tests/storage/sqlite/power_loss.h"
#include "tests/storage/temp_dir.h"

namespace {

using almanac::testing::FaultVfs;
using almanac::testing::PowerLossConfig;
using almanac::testing::PowerLossOptions;
using almanac::testing::PowerLossReport;

bool ParseFlag(std::string_view arg, std::string_view name, int64_t* out) {
  if (arg.substr(0, name.size()) != name) return false;
  if (!absl::SimpleAtoi(std::string(arg.substr(name.size())), out) || *out < 1) {
    std::fprintf(stderr, "bad value in %s\n", std::string(arg).c_str());
    std::exit(2);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t crashes = 500;
  int64_t cycles_per_chain = 10;
  int64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (!ParseFlag(arg, "--crashes=", &crashes) &&
        !ParseFlag(arg, "--cycles-per-chain=", &cycles_per_chain) &&
        !ParseFlag(arg, "--seed=", &seed)) {
      std::fprintf(stderr, "usage: %s [--crashes=N] [--cycles-per-chain=N] [--seed=N]\n", argv[0]);
      return 2;
    }
  }
  auto vfs = FaultVfs::Register("almanac-power-loss-bench");
  if (!vfs.ok()) {
    std::fprintf(stderr, "%s\n", vfs.status().ToString().c_str());
    return 2;
  }
  const absl::Time start = absl::Now();
  PowerLossReport total;
  for (int64_t chain = 0; total.crashes < crashes; ++chain) {
    almanac::testing::TempDir dir;
    PowerLossConfig config;
    config.seed = static_cast<uint64_t>(seed + chain);
    config.cycles = static_cast<int>(std::min(cycles_per_chain, crashes - total.crashes));
    constexpr PowerLossOptions::Mode kModes[] = {PowerLossOptions::Mode::kDropUnsynced,
                                                 PowerLossOptions::Mode::kRandomSubset,
                                                 PowerLossOptions::Mode::kKeepUnsynced};
    config.mode = kModes[chain % 3];
    PowerLossReport report;
    if (const absl::Status status =
            almanac::testing::RunPowerLossChain(dir.path(), **vfs, config, &report);
        !status.ok()) {
      std::fprintf(stderr, "chain %ld: %s\n", static_cast<long>(chain), status.ToString().c_str());
      return 2;
    }
    total.Add(report);
  }
  std::printf("simulated power losses:      %ld\n", static_cast<long>(total.crashes));
  std::printf("acknowledged writes checked: %ld\n", static_cast<long>(total.acknowledged_checked));
  std::printf("objects compared:            %ld\n", static_cast<long>(total.objects_checked));
  std::printf("in-doubt writes applied:     %ld\n", static_cast<long>(total.in_doubt_applied));
  std::printf("in-doubt writes absent:      %ld\n", static_cast<long>(total.in_doubt_absent));
  std::printf("lost or half-applied writes: %ld\n", static_cast<long>(total.lost_or_partial));
  std::printf("integrity failures:          %ld\n", static_cast<long>(total.integrity_failures));
  std::printf("crash sites:\n");
  for (const auto& [site, n] : total.crash_sites) {
    std::printf("  %-26s %ld\n", site.c_str(), static_cast<long>(n));
  }
  std::printf("elapsed: %.1f s\n", absl::ToDoubleSeconds(absl::Now() - start));
  for (const std::string& failure : total.failures) std::printf("FAILURE %s\n", failure.c_str());
  return total.lost_or_partial == 0 && total.integrity_failures == 0 && total.failures.empty() ? 0
                                                                                               : 1;
}
