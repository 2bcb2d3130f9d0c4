#include "harness/engine/load/arrival_schedule.h"

#include <gtest/gtest.h>

namespace teeharness::engine {
namespace {

std::vector<double> All(ArrivalSchedule& schedule) {
  std::vector<double> times;
  while (std::optional<double> t = schedule.Next()) times.push_back(*t);
  return times;
}

TEST(ArrivalSchedule, ConstantRateIsEvenlySpaced) {
  ArrivalSchedule schedule({{100, 100, 2}}, 0, 1, false, 1);
  const auto times = All(schedule);
  ASSERT_EQ(times.size(), 200u);
  EXPECT_NEAR(times[0], 0.005, 1e-12);
  EXPECT_NEAR(times[1] - times[0], 0.01, 1e-12);
  EXPECT_NEAR(times.back(), 1.995, 1e-9);
}

TEST(ArrivalSchedule, StreamsSplitTheScheduleExactly) {
  std::vector<double> merged;
  for (unsigned w = 0; w < 3; ++w) {
    ArrivalSchedule schedule({{10, 200, 5}}, w, 3, false, 1);
    const auto times = All(schedule);
    merged.insert(merged.end(), times.begin(), times.end());
  }
  ArrivalSchedule whole({{10, 200, 5}}, 0, 1, false, 1);
  const auto reference = All(whole);
  std::sort(merged.begin(), merged.end());
  ASSERT_EQ(merged.size(), reference.size());
  for (size_t i = 0; i < merged.size(); ++i) EXPECT_NEAR(merged[i], reference[i], 1e-9);
  EXPECT_EQ(reference.size(), 525u);  // (10 + 200) / 2 * 5
}

TEST(ArrivalSchedule, RampFollowsTheRate) {
  ArrivalSchedule schedule({{0, 100, 10}, {100, 100, 5}, {100, 0, 10}}, 0, 1, false, 1);
  const auto times = All(schedule);
  EXPECT_EQ(times.size(), static_cast<size_t>(500 + 500 + 500));
  // In the first ramp, arrivals in [0, 5s) are a quarter of the ramp's 500.
  const auto early = std::count_if(times.begin(), times.end(), [](double t) { return t < 5; });
  EXPECT_NEAR(early, 125, 1);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  EXPECT_LE(times.back(), 25.0);
}

TEST(ArrivalSchedule, PoissonMatchesTheMeanRate) {
  size_t total = 0;
  for (unsigned w = 0; w < 2; ++w) {
    ArrivalSchedule schedule({{1000, 1000, 10}}, w, 2, true, 42);
    const auto times = All(schedule);
    EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
    total += times.size();
  }
  EXPECT_NEAR(static_cast<double>(total), 10000, 400);  // 4 sigma of sqrt(10000)
}

}  // namespace
}  // namespace teeharness::engine
