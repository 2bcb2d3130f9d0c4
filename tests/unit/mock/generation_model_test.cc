#include "mocks/generation_model.h"

#include <gtest/gtest.h>

namespace teeharness::mocks {
namespace {

using std::chrono::milliseconds;
using Clock = GenerationModel::Clock;

workload::Distribution Constant(double seconds) {
  workload::Distribution d;
  d.value = seconds;
  return d;
}

TEST(GenerationModel, RequestsBeyondCapacityQueueFirstComeFirstServed) {
  // 2 slots; ttft 100 ms, 10 ms a token, 11 tokens: each generation holds its slot 200 ms.
  GenerationModel model({2, Constant(0.1), Constant(0.01), 0});
  workload::SplitMix64 draws(1);
  const Clock::time_point t0{};
  const auto a = model.Admit(t0, 11, draws);
  const auto b = model.Admit(t0, 11, draws);
  const auto c = model.Admit(t0 + milliseconds(50), 11, draws);
  const auto d = model.Admit(t0 + milliseconds(50), 11, draws);
  EXPECT_EQ(a.queued, milliseconds(0));
  EXPECT_EQ(b.queued, milliseconds(0));
  EXPECT_EQ(c.queued, milliseconds(150));  // the first slot frees at 200 ms
  EXPECT_EQ(d.queued, milliseconds(150));
  EXPECT_EQ(a.ttft, milliseconds(100));
  EXPECT_EQ(a.per_token, milliseconds(10));
  // Once the queue has drained, nobody waits.
  const auto e = model.Admit(t0 + milliseconds(1000), 11, draws);
  EXPECT_EQ(e.queued, milliseconds(0));
  EXPECT_EQ(e.batch, 1u);
}

TEST(GenerationModel, PerTokenDelayGrowsWithTheBatch) {
  GenerationModel model({0, Constant(0), Constant(0.01), 0.5});
  workload::SplitMix64 draws(2);
  const Clock::time_point t0{};
  std::vector<GenerationModel::Plan> plans;
  for (int i = 0; i < 4; ++i) plans.push_back(model.Admit(t0, 101, draws));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(plans[i].queued, milliseconds(0));  // no capacity limit
    EXPECT_EQ(plans[i].batch, static_cast<unsigned>(i + 1));
    // 10 ms * (1 + 0.5 * others)
    EXPECT_EQ(plans[i].per_token, std::chrono::microseconds(10000 + 5000 * i));
  }
  // After they have all finished, a new one runs alone again.
  EXPECT_EQ(model.Admit(t0 + std::chrono::seconds(10), 101, draws).batch, 1u);
}

TEST(GenerationModel, DelaysAreDrawnFromTheirDistributions) {
  workload::Distribution ttft;
  ttft.kind = workload::Distribution::Kind::kUniform;
  ttft.min = 0.01;
  ttft.max = 0.02;
  GenerationModel model({0, ttft, Constant(0), 0});
  workload::SplitMix64 draws(3);
  bool varied = false;
  GenerationModel::Duration first{};
  for (int i = 0; i < 200; ++i) {
    const auto plan = model.Admit(Clock::time_point{}, 4, draws);
    ASSERT_GE(plan.ttft, milliseconds(10));
    ASSERT_LE(plan.ttft, milliseconds(20));
    if (i == 0) first = plan.ttft;
    varied = varied || plan.ttft != first;
  }
  EXPECT_TRUE(varied);
}

}  // namespace
}  // namespace teeharness::mocks
