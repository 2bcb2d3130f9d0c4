// The timeline's memory bound (a fixed number of samples however long the phase) and how windows
// are coalesced past it; LatencyHistogram::Since, which the windows' percentiles come from.
#include "reports/timeline.h"

#include <gtest/gtest.h>

#include <cmath>

#include "reports/latency_histogram.h"

namespace teeharness::reports {
namespace {

TimelineSample Window(double t, uint64_t arrivals, double p99, double seconds = 1) {
  TimelineSample s;
  s.t = t;
  s.seconds = seconds;
  s.arrivals = arrivals;
  s.completed = arrivals;
  s.errors["http_500"] = 1;
  s.in_flight = static_cast<int64_t>(t);
  s.latency["chat"] = {arrivals, p99 / 2, p99, p99};
  return s;
}

TEST(BoundedTimeline, KeepsEveryWindowUpToTheCap) {
  BoundedTimeline timeline(1.0, 8);
  for (int i = 1; i <= 8; ++i) timeline.Append(Window(i, 10, 0.1));
  ASSERT_EQ(timeline.samples().size(), 8u);
  EXPECT_EQ(timeline.step_seconds(), 1.0);
  EXPECT_EQ(timeline.samples()[7].t, 8);
}

// However many windows arrive, at most max_samples are held; together they cover the whole phase
// (every count is kept) and the step is the configured one times a power of two.
TEST(BoundedTimeline, StaysBoundedAndCoversTheWholePhase) {
  for (size_t cap : {2u, 3u, 7u, 100u}) {
    BoundedTimeline timeline(0.5, cap);
    const int windows = 10'000;
    for (int i = 1; i <= windows; ++i) {
      timeline.Append(Window(i * 0.5, static_cast<uint64_t>(i % 7), 0.01 * (i % 13), 0.5));
      ASSERT_LE(timeline.samples().size(), cap) << "cap " << cap << " after " << i;
    }
    uint64_t arrivals = 0, errors = 0;
    double seconds = 0;
    for (const TimelineSample& s : timeline.samples()) {
      arrivals += s.arrivals;
      errors += s.errors.at("http_500");
      seconds += s.seconds;
    }
    uint64_t expected_arrivals = 0;
    for (int i = 1; i <= windows; ++i) expected_arrivals += static_cast<uint64_t>(i % 7);
    EXPECT_EQ(arrivals, expected_arrivals) << cap;
    EXPECT_EQ(errors, static_cast<uint64_t>(windows)) << cap;
    EXPECT_DOUBLE_EQ(seconds, windows * 0.5) << cap;
    EXPECT_DOUBLE_EQ(timeline.samples().back().t, windows * 0.5) << cap;
    EXPECT_DOUBLE_EQ(timeline.samples().front().t - timeline.samples().front().seconds, 0) << cap;
    // Every sample but the last is one full step long.
    for (size_t i = 0; i + 1 < timeline.samples().size(); ++i) {
      EXPECT_DOUBLE_EQ(timeline.samples()[i].seconds, timeline.step_seconds()) << cap << " " << i;
    }
    const double ratio = timeline.step_seconds() / 0.5;
    EXPECT_EQ(ratio, std::exp2(std::round(std::log2(ratio)))) << cap;
    EXPECT_GT(ratio, 1) << cap;
  }
}

// The phase's end a moment after a step is no window of its own (its rate would be a spike).
TEST(BoundedTimeline, AShortLastWindowJoinsThePreviousOne) {
  BoundedTimeline timeline(1.0, 10);
  timeline.Append(Window(1, 10, 0.1));
  timeline.AppendLast(Window(1.001, 3, 0.1, 0.001));
  ASSERT_EQ(timeline.samples().size(), 1u);
  EXPECT_EQ(timeline.samples()[0].arrivals, 13u);
  EXPECT_DOUBLE_EQ(timeline.samples()[0].t, 1.001);
  timeline.AppendLast(Window(1.6, 3, 0.1, 0.599));  // long enough to stand alone
  EXPECT_EQ(timeline.samples().size(), 2u);
  BoundedTimeline single(1.0, 10);  // a phase shorter than a step keeps its one window
  single.AppendLast(Window(0.001, 3, 0.1, 0.001));
  EXPECT_EQ(single.samples().size(), 1u);
}

TEST(BoundedTimeline, CoalescedPercentilesAreTheLargerOfTheTwo) {
  TimelineSample a = Window(1, 10, 0.2), b = Window(2, 30, 0.05);
  b.target_rate = 30;
  a.target_rate = 10;
  MergeInto(a, b);
  EXPECT_EQ(a.t, 2);
  EXPECT_EQ(a.seconds, 2);
  EXPECT_EQ(a.arrivals, 40u);
  EXPECT_EQ(a.errors.at("http_500"), 2u);
  EXPECT_EQ(a.in_flight, 2);  // the later instant
  EXPECT_DOUBLE_EQ(a.target_rate, 20);
  EXPECT_EQ(a.latency.at("chat").count, 40u);
  EXPECT_DOUBLE_EQ(a.latency.at("chat").p99, 0.2);
  EXPECT_DOUBLE_EQ(a.latency.at("chat").p50, 0.1);
}

TEST(LatencyHistogramSince, IsTheWindowAfterASnapshot) {
  LatencyHistogram cumulative;
  for (int i = 0; i < 100; ++i) cumulative.RecordSeconds(0.001);
  const LatencyHistogram snapshot = cumulative;
  for (int i = 0; i < 50; ++i) cumulative.RecordSeconds(0.1);
  const LatencyHistogram window = cumulative.Since(snapshot);
  EXPECT_EQ(window.count(), 50u);
  EXPECT_NEAR(window.Quantile(0.5), 0.1, 0.001);
  EXPECT_NEAR(window.sum_seconds(), 5.0, 1e-6);
  EXPECT_EQ(cumulative.Since(cumulative).count(), 0u);
  // A snapshot "from the future" gives no negative counts.
  EXPECT_EQ(snapshot.Since(cumulative).count(), 0u);
}

}  // namespace
}  // namespace teeharness::reports
