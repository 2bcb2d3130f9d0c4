// Timeline windows from cumulative registry readings: each sample holds only what happened since
// the previous one, and the intended rate of an open workload's ramp per window.
#include <gtest/gtest.h>

#include "harness/engine/timeline_sampler.h"

namespace teeharness::engine {
namespace {

TEST(MeanTargetRate, FollowsTheStages) {
  const std::vector<RateStage> ramp = {{0, 100, 10}, {100, 100, 5}};
  EXPECT_DOUBLE_EQ(MeanTargetRate(ramp, 0, 10), 50);
  EXPECT_DOUBLE_EQ(MeanTargetRate(ramp, 9, 10), 95);
  EXPECT_DOUBLE_EQ(MeanTargetRate(ramp, 10, 15), 100);
  EXPECT_DOUBLE_EQ(MeanTargetRate(ramp, 14, 16), 50);  // half of the window is past the end
  EXPECT_DOUBLE_EQ(MeanTargetRate(ramp, 20, 21), 0);
  EXPECT_DOUBLE_EQ(MeanTargetRate({}, 0, 1), 0);  // closed model
  EXPECT_DOUBLE_EQ(MeanTargetRate(ramp, 3, 3), 0);
}

TEST(TimelineBuilder, EachWindowHoldsOnlyItsOwnCounts) {
  TimelineBuilder builder(1.0, 100, {{50, 50, 10}}, TimelineLive{1000, 7, 0});
  PhaseMeasurements m;
  for (int i = 0; i < 100; ++i) m.latency["chat"].RecordSeconds(0.001);
  m.outcomes["succeeded"] = 90;
  m.outcomes["http_500"] = 10;
  m.errors["http_500"] = 12;
  m.check_failed = 3;
  m.check_passed = 40;
  m.prompt_tokens = 800;
  m.completion_tokens = 1600;
  builder.Observe(1.0, m, TimelineLive{1100, 9, 4});

  for (int i = 0; i < 20; ++i) m.latency["chat"].RecordSeconds(0.2);
  m.latency["schedule_lag"].RecordSeconds(0.05);
  m.outcomes["succeeded"] = 110;
  m.errors["timeout"] = 1;
  m.completion_tokens = 1920;
  builder.Observe(2.0, m, TimelineLive{1120, 9, 2});
  builder.Observe(2.0, m, TimelineLive{1120, 9, 2});  // no time passed: ignored

  const auto& samples = builder.timeline().samples();
  ASSERT_EQ(samples.size(), 2u);
  const reports::TimelineSample& first = samples[0];
  EXPECT_EQ(first.arrivals, 102u);  // 100 started + 2 dropped since the phase began
  EXPECT_EQ(first.dropped, 2u);
  EXPECT_EQ(first.succeeded, 90u);
  EXPECT_EQ(first.completed, 100u);
  EXPECT_EQ(first.failed.at("http_500"), 10u);
  EXPECT_EQ(first.errors.at("http_500"), 12u);
  EXPECT_EQ(first.in_flight, 4);
  EXPECT_EQ(first.check_failures, 3u);
  EXPECT_EQ(first.check_passes, 40u);
  EXPECT_EQ(first.prompt_tokens, 800u);
  EXPECT_EQ(first.completion_tokens, 1600u);
  EXPECT_DOUBLE_EQ(first.target_rate, 50);
  EXPECT_EQ(first.latency.at("chat").count, 100u);
  EXPECT_NEAR(first.latency.at("chat").p99, 0.001, 0.00002);

  const reports::TimelineSample& second = samples[1];
  EXPECT_EQ(second.t, 2.0);
  EXPECT_EQ(second.seconds, 1.0);
  EXPECT_EQ(second.arrivals, 20u);
  EXPECT_EQ(second.succeeded, 20u);
  EXPECT_TRUE(second.failed.empty());
  EXPECT_EQ(second.errors.size(), 1u);
  EXPECT_EQ(second.errors.at("timeout"), 1u);
  EXPECT_EQ(second.check_failures, 0u);
  EXPECT_EQ(second.prompt_tokens, 0u);
  EXPECT_EQ(second.completion_tokens, 320u);
  // Only the 20 slow chats of this window: its median is theirs, not the run's.
  EXPECT_EQ(second.latency.at("chat").count, 20u);
  EXPECT_NEAR(second.latency.at("chat").p50, 0.2, 0.002);
  EXPECT_NEAR(second.schedule_lag_p99, 0.05, 0.0005);
  EXPECT_EQ(second.latency.count("schedule_lag"), 0u);
}

}  // namespace
}  // namespace teeharness::engine
