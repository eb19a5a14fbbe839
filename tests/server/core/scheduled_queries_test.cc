// Scheduled queries and query metrics over a real SQLite store, with a clock the tests move:
// due queries, the hand-out to one poller, execution states, timeouts and retention.

#include "server/core/scheduled_queries.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/query_metrics.h"
#include "tests/server/core/test_store.h"

namespace almanac {
namespace {

constexpr int64_t kStart = 1'700'000'000;  // 2023-11-14 22:13:20 UTC.

class ScheduledQueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &store_));
    queries_ = std::make_unique<ScheduledQueries>(store_.get(), [this] { return now_; });
    metrics_ = std::make_unique<QueryMetrics>(store_.get(), [this] { return now_; });
  }

  static ScheduledQuery Query(const std::string& name,
                              const std::string& schedule = "0 * * * * ?") {
    ScheduledQuery q;
    q.name = name;
    q.cluster_namespace = "ns";
    q.enabled = true;
    q.schedule = schedule;
    q.user = "hive";
    q.query = "select 1";
    return q;
  }

  std::optional<PolledQuery> Poll() {
    absl::StatusOr<std::optional<PolledQuery>> polled = queries_->Poll("ns");
    EXPECT_TRUE(polled.ok()) << polled.status();
    return polled.ok() ? *polled : std::nullopt;
  }

  absl::Status Report(int64_t execution, QueryState state) {
    ScheduledQueryProgress progress;
    progress.execution_id = execution;
    progress.state = state;
    progress.executor_query_id = "exec";
    return queries_->Progress(progress);
  }

  ScheduledExecution Execution(int64_t id) {
    ScheduledExecution execution;
    EXPECT_TRUE(store_
                    ->Read([&](ReadView& view) -> absl::Status {
                      absl::StatusOr<ScheduledExecution> got = view.GetScheduledExecution(id);
                      if (got.ok()) execution = *got;
                      return got.status();
                    })
                    .ok());
    return execution;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ScheduledQueries> queries_;
  std::unique_ptr<QueryMetrics> metrics_;
  int64_t now_ = kStart;
};

TEST_F(ScheduledQueriesTest, CreateComputesNextExecutionAndPollWaitsForIt) {
  ASSERT_TRUE(queries_->Change(ScheduledQueryChange::kCreate, Query("q")).ok());
  absl::StatusOr<ScheduledQuery> stored = queries_->Get("ns", "q");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->next_execution, kStart + 40);  // The next full minute.
  EXPECT_EQ(Poll(), std::nullopt);

  now_ = kStart + 41;
  std::optional<PolledQuery> polled = Poll();
  ASSERT_TRUE(polled.has_value());
  EXPECT_EQ(polled->query, "/* schedule: q */select 1");
  EXPECT_EQ(queries_->Get("ns", "q")->next_execution, kStart + 100);
  ScheduledExecution execution = Execution(polled->execution_id);
  EXPECT_EQ(execution.state, QueryState::kInited);
  EXPECT_EQ(execution.start_time, now_);
  EXPECT_EQ(execution.last_update_time, now_);
  EXPECT_EQ(execution.end_time, std::nullopt);
}

TEST_F(ScheduledQueriesTest, ProgressRecordsTimesAndAbbreviatesErrors) {
  ASSERT_TRUE(queries_->Change(ScheduledQueryChange::kCreate, Query("q")).ok());
  now_ = kStart + 60;
  const int64_t id = Poll()->execution_id;
  now_ += 5;
  ASSERT_TRUE(Report(id, QueryState::kExecuting).ok());
  EXPECT_EQ(Execution(id).last_update_time, now_);
  EXPECT_EQ(Execution(id).executor_query_id, "exec");

  now_ += 5;
  ScheduledQueryProgress failed;
  failed.execution_id = id;
  failed.state = QueryState::kFailed;
  failed.error_message = std::string(2500, 'e') + "\nx";
  ASSERT_TRUE(queries_->Progress(failed).ok());
  ScheduledExecution execution = Execution(id);
  EXPECT_EQ(execution.state, QueryState::kFailed);
  EXPECT_EQ(execution.end_time, now_);
  EXPECT_EQ(execution.last_update_time, std::nullopt);
  EXPECT_EQ(execution.error_message.size(), 1000u);
  EXPECT_EQ(execution.error_message.find('x'), std::string::npos);
  EXPECT_EQ(execution.executor_query_id, "exec");  // Kept: this report carried none.

  absl::Status again = Report(id, QueryState::kExecuting);
  EXPECT_TRUE(absl::IsFailedPrecondition(again));
  EXPECT_EQ(again.message(), "Invalid state change: FAILED=>EXECUTING");
}

TEST_F(ScheduledQueriesTest, SilentExecutionTimesOutAndFreesTheQuery) {
  ASSERT_TRUE(queries_->Change(ScheduledQueryChange::kCreate, Query("q", "* * * * * ?")).ok());
  now_ = kStart + 1;
  const int64_t first = Poll()->execution_id;
  now_ += 10;
  EXPECT_EQ(Poll(), std::nullopt);  // Still active.

  now_ += ScheduledQueries::kExecutionTimeoutSeconds;
  std::optional<PolledQuery> second = Poll();
  ASSERT_TRUE(second.has_value());
  EXPECT_GT(second->execution_id, first);
  ScheduledExecution timed_out = Execution(first);
  EXPECT_EQ(timed_out.state, QueryState::kTimedOut);
  EXPECT_EQ(timed_out.end_time, now_);
  EXPECT_TRUE(absl::IsFailedPrecondition(Report(first, QueryState::kFinished)));
}

TEST_F(ScheduledQueriesTest, FinishedExecutionsArePurgedAfterRetention) {
  ASSERT_TRUE(queries_->Change(ScheduledQueryChange::kCreate, Query("q", "* * * * * ?")).ok());
  now_ = kStart + 1;
  const int64_t id = Poll()->execution_id;
  ASSERT_TRUE(Report(id, QueryState::kFinished).ok());
  now_ += ScheduledQueries::kExecutionRetentionSeconds + 1;
  ASSERT_TRUE(Poll().has_value());
  EXPECT_TRUE(absl::IsNotFound(Report(id, QueryState::kFinished)));
}

TEST_F(ScheduledQueriesTest, DisabledAndNeverFiringQueriesAreNotPolled) {
  ScheduledQuery off = Query("off", "* * * * * ?");
  off.enabled = false;
  ASSERT_TRUE(queries_->Change(ScheduledQueryChange::kCreate, off).ok());
  ASSERT_TRUE(
      queries_->Change(ScheduledQueryChange::kCreate, Query("past", "0 0 0 1 1 ? 2020")).ok());
  EXPECT_EQ(queries_->Get("ns", "past")->next_execution, std::nullopt);
  now_ = kStart + 3600;
  EXPECT_EQ(Poll(), std::nullopt);
}

TEST_F(ScheduledQueriesTest, RuntimeStatsOlderThanTheirMaxAgeArePurged) {
  RuntimeStat stat;
  stat.weight = 1;
  stat.payload = "a";
  ASSERT_TRUE(metrics_->AddRuntimeStat(stat).ok());
  now_ += QueryMetrics::kRuntimeStatsMaxAgeSeconds + 1;
  stat.weight = 2;
  ASSERT_TRUE(metrics_->AddRuntimeStat(stat).ok());
  absl::StatusOr<std::vector<RuntimeStat>> stats = metrics_->GetRuntimeStats(-1, -1);
  ASSERT_TRUE(stats.ok()) << stats.status();
  ASSERT_EQ(stats->size(), 1u);
  EXPECT_EQ((*stats)[0].weight, 2);
  EXPECT_EQ((*stats)[0].create_time, now_);
}

}  // namespace
}  // namespace almanac
