#include "server/core/directory_listings.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging.h"
#include "common/request_scope.h"

namespace almanac {
namespace {

namespace fs = std::filesystem;
using Target = LocationGuard::Target;

// Symbolic links are followed, as Hadoop's local file system does; a loop ends here and the
// listing counts as failed.
constexpr int kMaxDepth = 128;

enum class Scan { kDone, kFailed, kOutOfBudget };

// Hive's hidden-file filter (FileUtils.HIDDEN_FILES_PATH_FILTER).
bool IsHidden(const fs::path& path) {
  const std::string name = path.filename().string();
  return !name.empty() && (name[0] == '.' || name[0] == '_');
}

// A symbolic link whose target lies outside the allowed roots (or cannot be resolved).
bool LeadsOutside(const LocationGuard& guard, const fs::directory_entry& entry) {
  std::error_code ec;
  if (!entry.is_symlink(ec) || ec) return false;
  const fs::path target = fs::canonical(entry.path(), ec);
  return ec || !guard.IsAllowedPath(target.string());
}

// Adds the visible files under `dir` to `out`.
Scan ScanDirectory(const LocationGuard& guard, const fs::path& dir, int depth,
                   ListingBudget& budget, DirectoryStats& out) {
  if (depth > kMaxDepth) return Scan::kFailed;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!budget.Spend()) return Scan::kOutOfBudget;
    const fs::path& path = it->path();
    if (IsHidden(path) || LeadsOutside(guard, *it)) continue;
    std::error_code status_ec;
    const fs::file_status status = fs::status(path, status_ec);
    // Gone since the listing, or a dangling link: Hadoop's local listing skips it too.
    if (status_ec || !fs::exists(status)) continue;
    if (fs::is_directory(status)) {
      const Scan inner = ScanDirectory(guard, path, depth + 1, budget, out);
      if (inner != Scan::kDone) return inner;
      continue;
    }
    std::error_code size_ec;
    const uintmax_t size = fs::file_size(path, size_ec);
    ++out.num_files;
    if (!size_ec) out.total_size += static_cast<int64_t>(size);
  }
  return ec ? Scan::kFailed : Scan::kDone;
}

// ScanLocation over an allowed, resolved path.
std::optional<DirectoryStats> ScanPath(const LocationGuard& guard, const std::string& path,
                                       ListingBudget& budget) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) return DirectoryStats{};
  if (!fs::is_directory(status)) {
    const uintmax_t size = fs::file_size(path, ec);
    return DirectoryStats{1, ec ? 0 : static_cast<int64_t>(size)};
  }
  DirectoryStats stats;
  switch (ScanDirectory(guard, path, 0, budget, stats)) {
    case Scan::kDone:
      return stats;
    case Scan::kFailed:
      return DirectoryStats{};
    case Scan::kOutOfBudget:
      break;
  }
  return std::nullopt;
}

}  // namespace

ListingBudget::ListingBudget(int64_t max_entries, absl::Duration timeout)
    : max_entries_(max_entries), timeout_(timeout) {}

bool ListingBudget::Spend() {
  if (exhausted_) return false;
  const absl::Time now = absl::Now();
  // The clock starts with the first entry, and the request's own deadline still applies.
  if (spent_ == 0) deadline_ = std::min(now + timeout_, CurrentDeadline());
  if (++spent_ > max_entries_ || now > deadline_) exhausted_ = true;
  return !exhausted_;
}

std::optional<DirectoryStats> ScanLocation(const LocationGuard& guard, absl::string_view location,
                                           ListingBudget& budget) {
  const Target target = guard.Check(location);
  if (target.kind != Target::Kind::kAllowed || budget.exhausted()) return std::nullopt;
  return ScanPath(guard, target.path, budget);
}

DirectoryListings::DirectoryListings(const LocationGuard* guard, int64_t max_entries,
                                     absl::Duration timeout)
    : guard_(guard), budget_(max_entries, timeout) {}

DirectoryListings::Facts* DirectoryListings::Find(absl::string_view location) {
  if (auto it = facts_.find(location); it != facts_.end()) return &it->second;
  Facts& facts = facts_[std::string(location)];
  if (frozen_) {
    // The catalog changed between the listings and the transaction.
    facts.target.reason = "it was not listed before the write transaction";
    LogWarning("quick stats not recorded: location not listed before the write transaction",
               {{"location", std::string(location)}});
    return &facts;
  }
  facts.target = guard_->Check(location);
  if (facts.target.kind == Target::Kind::kRefused) {
    guard_->LogSkipped("list files for quick stats", location, facts.target);
  }
  return &facts;
}

DirState DirectoryListings::Probe(absl::string_view location) {
  Facts* facts = Find(location);
  if (facts->state) return *facts->state;
  if (frozen_ || facts->target.kind != Target::Kind::kAllowed) return DirState::kNotLocal;
  std::error_code ec;
  facts->state =
      fs::is_directory(facts->target.path, ec) ? DirState::kDirectory : DirState::kMissing;
  return *facts->state;
}

std::optional<DirectoryStats> DirectoryListings::Count(absl::string_view location) {
  Facts* facts = Find(location);
  if (facts->stats) return *facts->stats;
  if (frozen_ || facts->target.kind != Target::Kind::kAllowed) return std::nullopt;
  facts->stats =
      budget_.exhausted() ? std::nullopt : ScanPath(*guard_, facts->target.path, budget_);
  if (!*facts->stats) {
    LogWarning(
        "quick stats not recorded: the listing budget ran out",
        {{"location", std::string(location)},
         {"quick_stats_max_entries", absl::StrCat(budget_.max_entries())},
         {"quick_stats_timeout_ms", absl::StrCat(absl::ToInt64Milliseconds(budget_.timeout()))}});
  }
  return *facts->stats;
}

bool DirectoryListings::HasNoVisibleEntries(absl::string_view location) {
  Facts* facts = Find(location);
  if (facts->no_visible_entries) return *facts->no_visible_entries;
  if (frozen_ || facts->target.kind != Target::Kind::kAllowed) return false;
  bool empty = true;
  std::error_code ec;
  for (fs::directory_iterator it(facts->target.path, ec), end; !ec && it != end; it.increment(ec)) {
    if (!budget_.Spend()) return false;
    if (!IsHidden(it->path())) {
      empty = false;
      break;
    }
  }
  facts->no_visible_entries = empty && !ec;
  return *facts->no_visible_entries;
}

}  // namespace almanac
