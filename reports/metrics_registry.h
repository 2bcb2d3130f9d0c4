#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "reports/latency_histogram.h"

namespace teeharness::reports {

// Per-thread shards: recording touches only the calling thread's cache line, so workers never
// contend on a shared lock or counter; a scrape sums the shards.
inline constexpr size_t kMetricShards = 16;
size_t MetricShard();  // this thread's shard index (stable for the thread's life)

using Labels = std::vector<std::string>;  // values, in the family's label-name order

// A monotonically increasing count. Thread-safe.
class CounterSeries {
 public:
  void Add(uint64_t n = 1) { cells_[MetricShard()].value.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const;

 private:
  struct alignas(64) Cell {
    std::atomic<uint64_t> value{0};
  };
  std::array<Cell, kMetricShards> cells_;
};

// A value that goes up and down (set by one writer at a time). Thread-safe.
class GaugeSeries {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Prometheus bucket layout shared by every latency histogram: upper bounds 2^(k/2) seconds for
// k = -34..14, i.e. 7.6 us to 128 s in steps of sqrt(2) (buckets 41% wide), fine enough for the p99
// of sub-millisecond verification and of multi-second completions.
const std::vector<double>& LatencyBuckets();

// Observations in fixed buckets with sum and count, for the exposition, and at the same time in
// the fine log-linear layout of LatencyHistogram (quantiles within 0.8%), which the JSON report
// and the thresholds read: one recording, so every output shows the same numbers. The fine
// buckets of a shard are allocated on its first observation (a series is usually recorded by one
// or two worker threads). Thread-safe.
class HistogramSeries {
 public:
  explicit HistogramSeries(const std::vector<double>* bounds);
  ~HistogramSeries();
  HistogramSeries(const HistogramSeries&) = delete;
  HistogramSeries& operator=(const HistogramSeries&) = delete;

  void Observe(double seconds);
  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf
    uint64_t count = 0;
    double sum = 0;
  };
  Snapshot Read() const;
  // Every observation so far in the fine layout (exact count, sum, min and max).
  LatencyHistogram Detail() const;
  const std::vector<double>& bounds() const { return *bounds_; }

 private:
  struct alignas(64) Cell {
    std::unique_ptr<std::atomic<uint64_t>[]> buckets;
    std::atomic<std::atomic<uint64_t>*> fine{nullptr};  // LatencyHistogram::BucketCount() cells
    std::atomic<uint64_t> count{0};
    std::atomic<uint64_t> sum_nanos{0};
    std::atomic<uint64_t> min_nanos{UINT64_MAX};
    std::atomic<uint64_t> max_nanos{0};
  };
  static std::atomic<uint64_t>* FineBuckets(Cell& cell);
  const std::vector<double>* bounds_;
  std::array<Cell, kMetricShards> cells_;
};

enum class MetricType { kCounter, kGauge, kHistogram };

// A family: one name, help text, type, label names, and its series by label values. Series are
// created on first use (under the family's mutex) and never removed, so callers may keep pointers.
// Thread-safe.
class MetricFamily {
 public:
  MetricFamily(std::string name, std::string help, MetricType type,
               std::vector<std::string> labels);

  CounterSeries* Counter(const Labels& values);
  GaugeSeries* Gauge(const Labels& values);
  HistogramSeries* Histogram(const Labels& values);

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Visits every series in label order (for exposition); holds the family's mutex meanwhile.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    std::lock_guard lock(mutex_);
    for (const auto& [labels, series] : series_) fn(labels, series);
  }

  struct Series {
    std::unique_ptr<CounterSeries> counter;
    std::unique_ptr<GaugeSeries> gauge;
    std::unique_ptr<HistogramSeries> histogram;
  };

 private:
  Series& Get(const Labels& values);

  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
  mutable std::mutex mutex_;
  std::map<Labels, Series> series_;
};

// All families of a process. Thread-safe.
class MetricsRegistry {
 public:
  MetricFamily* Add(std::string name, std::string help, MetricType type,
                    std::vector<std::string> labels);

  // Prometheus text exposition format 0.0.4 (Content-Type "text/plain; version=0.0.4;
  // charset=utf-8").
  std::string RenderPrometheus() const;
  // OpenMetrics 1.0.0 ("application/openmetrics-text; version=1.0.0; charset=utf-8"), ending "#
  // EOF".
  std::string RenderOpenMetrics() const;

 private:
  std::string Render(bool openmetrics) const;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<MetricFamily>> families_;
};

// Number formatting independent of the C and C++ locales ("+Inf", "-Inf", "NaN" as Prometheus
// spells them).
std::string FormatMetricValue(double value);
// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabelValue(const std::string& value);

}  // namespace teeharness::reports
