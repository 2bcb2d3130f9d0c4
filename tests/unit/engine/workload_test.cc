#include "harness/engine/workload.h"

#include <gtest/gtest.h>

namespace teeharness::engine {
namespace {

// An iteration that finishes `work` later on the same loop (no network).
Iteration Timed(Workers& workers, Clock::duration work, std::atomic<int>* concurrent,
                std::atomic<int>* peak) {
  return [&workers, work, concurrent, peak](unsigned w, Clock::time_point,
                                            std::function<void()> done) {
    const int now = ++*concurrent;
    int seen = peak->load();
    while (now > seen && !peak->compare_exchange_weak(seen, now)) {
    }
    workers.loop(w).At(Clock::now() + work, [concurrent, done] {
      --*concurrent;
      done();
    });
  };
}

TEST(Workload, ClosedModelRunsExactlyTheIterationsWithBoundedUsers) {
  Workers workers(2);
  std::atomic<int> concurrent{0}, peak{0};
  WorkloadSpec spec;
  spec.concurrency = 5;
  spec.iterations = 103;
  std::atomic<bool> interrupt{false};
  const WorkloadResult r = RunWorkload(
      workers, spec, Timed(workers, std::chrono::milliseconds(1), &concurrent, &peak), interrupt);
  EXPECT_EQ(r.started, 103u);
  EXPECT_EQ(r.completed, 103u);
  EXPECT_EQ(r.dropped, 0u);
  EXPECT_LE(peak.load(), 5);
  EXPECT_FALSE(r.interrupted);
}

TEST(Workload, ClosedModelForADuration) {
  Workers workers(1);
  std::atomic<int> concurrent{0}, peak{0};
  WorkloadSpec spec;
  spec.concurrency = 2;
  spec.duration = std::chrono::milliseconds(200);
  std::atomic<bool> interrupt{false};
  const WorkloadResult r = RunWorkload(
      workers, spec, Timed(workers, std::chrono::milliseconds(10), &concurrent, &peak), interrupt);
  EXPECT_GT(r.completed, 10u);
  EXPECT_LT(r.completed, 60u);  // 2 users x 200 ms / 10 ms = ~40
  EXPECT_EQ(r.started, r.completed);
}

TEST(Workload, OpenModelCountsEveryArrivalAndDropsBeyondMaxInFlight) {
  Workers workers(2);
  std::atomic<int> concurrent{0}, peak{0};
  WorkloadSpec spec;
  spec.kind = WorkloadSpec::Kind::kOpen;
  spec.stages = {{500, 500, 0.4}};  // 200 arrivals
  spec.max_in_flight = 10;
  std::atomic<bool> interrupt{false};
  // Each iteration takes 50 ms: 500/s x 50 ms = 25 would be in flight, so some are dropped.
  const WorkloadResult r = RunWorkload(
      workers, spec, Timed(workers, std::chrono::milliseconds(50), &concurrent, &peak), interrupt);
  EXPECT_EQ(r.scheduled, 200u);
  EXPECT_EQ(r.started + r.dropped, r.scheduled);  // every arrival accounted for exactly once
  EXPECT_GT(r.dropped, 0u);
  EXPECT_EQ(r.completed, r.started);
  EXPECT_LE(peak.load(), 10);
  EXPECT_DOUBLE_EQ(r.target_rate, 500);
  EXPECT_EQ(r.schedule_lag.count(), r.started);
}

TEST(Workload, InterruptStopsANeverEndingPhase) {
  Workers workers(1);
  std::atomic<int> concurrent{0}, peak{0};
  WorkloadSpec spec;
  spec.concurrency = 3;
  spec.duration = std::chrono::hours(1);
  std::atomic<bool> interrupt{false};
  std::thread stopper([&interrupt] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    interrupt = true;
  });
  const auto start = Clock::now();
  const WorkloadResult r = RunWorkload(
      workers, spec, Timed(workers, std::chrono::milliseconds(5), &concurrent, &peak), interrupt);
  stopper.join();
  EXPECT_TRUE(r.interrupted);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r.started, r.completed);
}

}  // namespace
}  // namespace teeharness::engine
