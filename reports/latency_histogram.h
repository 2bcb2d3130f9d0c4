#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace teeharness::reports {

// A log-linear histogram of durations (HdrHistogram-like): exact below 128 ns, then 128
// sub-buckets per power of two, so any quantile is within 1/128 (0.8%) of the true value; values
// up to ~73 minutes. Count, sum, min and max are exact. Recording is O(1) with no allocation.
// Not thread-safe: each worker records into its own and the run merges them (Merge) at the end of
// a phase, so the request path takes no shared lock.
class LatencyHistogram {
 public:
  LatencyHistogram();

  void RecordSeconds(double seconds);
  void RecordNanos(uint64_t nanos);
  void Merge(const LatencyHistogram& other);
  // The observations recorded after `earlier`, a previous snapshot of the same cumulative
  // histogram (a timeline window). Counts and sum are exact; min and max stay this histogram's
  // (a window's own extremes are not kept), so a quantile is clamped to the cumulative maximum.
  LatencyHistogram Since(const LatencyHistogram& earlier) const;

  uint64_t count() const { return count_; }
  double sum_seconds() const { return sum_nanos_ * 1e-9; }
  double min_seconds() const { return count_ ? min_nanos_ * 1e-9 : 0; }
  double max_seconds() const { return max_nanos_ * 1e-9; }
  double mean_seconds() const { return count_ ? sum_seconds() / count_ : 0; }
  // The q-quantile (0 <= q <= 1) in seconds: the upper edge of the bucket holding that rank,
  // clamped to the exact maximum. 0 when empty.
  double Quantile(double q) const;
  // Observations <= `seconds` (bucket-exact at bucket edges), for Prometheus-style buckets.
  uint64_t CountAtOrBelow(double seconds) const;

  // The bucket layout, for recorders that keep the same buckets elsewhere (the metrics registry
  // keeps them in atomics) and rebuild a histogram from them with FromBuckets.
  static size_t BucketCount();
  static size_t Index(uint64_t nanos);
  static uint64_t ToNanos(double seconds);  // clamped to the layout's range; NaN and < 0 give 0
  // `buckets` has BucketCount() entries; min/max/sum as recorded (min is ignored when empty).
  static LatencyHistogram FromBuckets(std::vector<uint64_t> buckets, long double sum_nanos,
                                      uint64_t min_nanos, uint64_t max_nanos);

 private:
  static uint64_t UpperEdge(size_t index);

  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  long double sum_nanos_ = 0;
  uint64_t min_nanos_ = UINT64_MAX;
  uint64_t max_nanos_ = 0;
};

}  // namespace teeharness::reports
