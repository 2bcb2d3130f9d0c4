#include "reports/metrics_registry.h"

#include <gtest/gtest.h>

#include <clocale>
#include <cmath>
#include <locale>
#include <thread>

#include "reports/latency_histogram.h"

namespace teeharness::reports {
namespace {

TEST(MetricsRegistry, TextExpositionFormat) {
  MetricsRegistry registry;
  MetricFamily* requests =
      registry.Add("x_requests_total", "Requests\nsent \\ counted.", MetricType::kCounter, {"op"});
  MetricFamily* gauge = registry.Add("x_gauge", "A gauge.", MetricType::kGauge, {"address"});
  MetricFamily* latency = registry.Add("x_seconds", "Latency.", MetricType::kHistogram, {});
  requests->Counter({"chat \"q\"\n\\"})->Add(3);
  gauge->Gauge({"0xAbC"})->Set(1.5);
  latency->Histogram({})->Observe(0.0001);
  latency->Histogram({})->Observe(2);
  const std::string text = registry.RenderPrometheus();
  EXPECT_NE(text.find("# HELP x_requests_total Requests\\nsent \\\\ counted.\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE x_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("x_requests_total{op=\"chat \\\"q\\\"\\n\\\\\"} 3\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("x_gauge{address=\"0xAbC\"} 1.5\n"), std::string::npos);
  EXPECT_NE(text.find("x_seconds_bucket{le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("x_seconds_count 2\n"), std::string::npos);
  EXPECT_NE(text.find("x_seconds_sum 2.0001\n"), std::string::npos) << text;
  // Buckets are cumulative: 0.0001 s falls at or below 2^-13 (0.000122) and every larger bound.
  EXPECT_NE(text.find("x_seconds_bucket{le=\"0.0001220703125\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_bucket{le=\"2\"} 2\n"), std::string::npos);
  const std::string open = registry.RenderOpenMetrics();
  EXPECT_NE(open.find("# TYPE x_requests counter\n"), std::string::npos);
  EXPECT_EQ(open.substr(open.size() - 6), "# EOF\n");
}

TEST(MetricsRegistry, NumbersIgnoreACommaLocale) {
  const char* previous = std::setlocale(LC_ALL, nullptr);
  const std::string saved = previous ? previous : "C";
  ASSERT_NE(std::setlocale(LC_ALL, "de_DE.UTF-8"), nullptr)
      << "de_DE.UTF-8 missing: scripts/install-deps.sh generates it";
  std::locale::global(std::locale("de_DE.UTF-8"));
  char probe[16];
  std::snprintf(probe, sizeof(probe), "%.1f", 1.5);
  EXPECT_STREQ(probe, "1,5");  // the locale really uses a comma
  MetricsRegistry registry;
  registry.Add("g", "g", MetricType::kGauge, {})->Gauge({})->Set(1234.5);
  const std::string text = registry.RenderPrometheus();
  std::locale::global(std::locale::classic());
  std::setlocale(LC_ALL, saved.c_str());
  EXPECT_NE(text.find("g 1234.5\n"), std::string::npos) << text;
  EXPECT_EQ(FormatMetricValue(1.0 / 0.0), "+Inf");
  EXPECT_EQ(FormatMetricValue(0.25), "0.25");
}

TEST(MetricsRegistry, ConcurrentRecordingLosesNothing) {
  MetricsRegistry registry;
  CounterSeries* counter = registry.Add("c_total", "c", MetricType::kCounter, {})->Counter({});
  HistogramSeries* histogram =
      registry.Add("h_seconds", "h", MetricType::kHistogram, {})->Histogram({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) {
        counter->Add();
        histogram->Observe(0.001);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter->Value(), 400000u);
  const auto snapshot = histogram->Read();
  EXPECT_EQ(snapshot.count, 400000u);
  EXPECT_NEAR(snapshot.sum, 400.0, 1e-6);
}

// The exposition's buckets and the report's fine histogram come from one Observe: the same
// count, sum and extremes, and quantiles that fall inside the exported bucket they belong to.
TEST(MetricsRegistry, DetailAndExpositionShowTheSameObservations) {
  MetricsRegistry registry;
  HistogramSeries* h = registry.Add("h_seconds", "h", MetricType::kHistogram, {})->Histogram({});
  LatencyHistogram reference;
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([h, t] {
      for (int i = 1; i <= 5000; ++i) h->Observe(i * 1e-6 * (t + 1));  // 1 us .. 10 ms
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 2; ++t) {
    for (int i = 1; i <= 5000; ++i) reference.RecordSeconds(i * 1e-6 * (t + 1));
  }
  const LatencyHistogram detail = h->Detail();
  const HistogramSeries::Snapshot snapshot = h->Read();
  EXPECT_EQ(detail.count(), 10000u);
  EXPECT_EQ(snapshot.count, 10000u);
  EXPECT_NEAR(detail.sum_seconds(), snapshot.sum, 1e-9);
  EXPECT_DOUBLE_EQ(detail.min_seconds(), reference.min_seconds());
  EXPECT_DOUBLE_EQ(detail.max_seconds(), reference.max_seconds());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    EXPECT_DOUBLE_EQ(detail.Quantile(q), reference.Quantile(q)) << q;
  }
  // Each exported bucket holds exactly the observations <= its bound (le is inclusive).
  const std::vector<double>& bounds = h->bounds();
  for (size_t i = 0; i < bounds.size(); ++i) {
    uint64_t expected = 0;
    for (int t = 0; t < 2; ++t) {
      for (int k = 1; k <= 5000; ++k) expected += k * 1e-6 * (t + 1) <= bounds[i];
    }
    EXPECT_EQ(snapshot.cumulative[i], expected) << "le=" << bounds[i];
  }
}

TEST(LatencyBuckets, CoverMicrosecondsToMinutesInSqrtTwoSteps) {
  const auto& bounds = LatencyBuckets();
  EXPECT_LT(bounds.front(), 10e-6);
  EXPECT_GE(bounds.back(), 120.0);
  for (size_t i = 1; i < bounds.size(); ++i)
    EXPECT_NEAR(bounds[i] / bounds[i - 1], std::sqrt(2.0), 1e-9);
}

}  // namespace
}  // namespace teeharness::reports
