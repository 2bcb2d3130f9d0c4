#include "reports/latency_histogram.h"

#include <gtest/gtest.h>

#include <random>

namespace teeharness::reports {
namespace {

TEST(LatencyHistogram, QuantilesWithinOnePercentAcrossNineDecades) {
  LatencyHistogram h;
  std::vector<double> values;
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(std::log(0.01), 3.0);  // ~1us .. ~minutes
  for (int i = 0; i < 100000; ++i) {
    const double v = std::min(dist(rng), 3000.0);
    values.push_back(v);
    h.RecordSeconds(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const double exact = values[static_cast<size_t>(std::ceil(q * values.size())) - 1];
    EXPECT_NEAR(h.Quantile(q), exact, exact * 0.01 + 1e-9) << q;
  }
  EXPECT_NEAR(h.max_seconds(), values.back(), 1e-9);  // exact to the nanosecond
  EXPECT_EQ(h.count(), 100000u);
}

TEST(LatencyHistogram, SmallValuesExactAndMergeAdds) {
  LatencyHistogram a, b;
  a.RecordNanos(5);
  a.RecordNanos(100);
  b.RecordNanos(1000000);
  a.Merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_DOUBLE_EQ(a.Quantile(0.0), 5e-9);
  EXPECT_DOUBLE_EQ(a.Quantile(0.5), 100e-9);
  EXPECT_DOUBLE_EQ(a.Quantile(1.0), 1e-3);
  EXPECT_DOUBLE_EQ(a.min_seconds(), 5e-9);
  EXPECT_NEAR(a.mean_seconds(), (5 + 100 + 1e6) / 3 * 1e-9, 1e-15);
  EXPECT_EQ(a.CountAtOrBelow(1e-7), 2u);
  EXPECT_EQ(a.CountAtOrBelow(1.0), 3u);
  LatencyHistogram empty;
  EXPECT_EQ(empty.Quantile(0.99), 0);
  empty.RecordSeconds(-1);
  empty.RecordSeconds(std::nan(""));
  EXPECT_EQ(empty.count(), 2u);
}

}  // namespace
}  // namespace teeharness::reports
