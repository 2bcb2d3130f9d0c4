#include "reports/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace teeharness::reports {
namespace {

constexpr unsigned kSubBits = 7;  // 128 sub-buckets per power of two
constexpr uint64_t kSub = uint64_t{1} << kSubBits;
constexpr unsigned kMaxExponent = 42;  // 2^42 ns ~ 73 minutes
constexpr size_t kBuckets = kSub + (kMaxExponent - kSubBits + 1) * kSub;
constexpr uint64_t kMaxNanos = (uint64_t{1} << (kMaxExponent + 1)) - 1;

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBuckets, 0) {}

size_t LatencyHistogram::Index(uint64_t nanos) {
  nanos = std::min(nanos, kMaxNanos);
  if (nanos < kSub) return static_cast<size_t>(nanos);
  const unsigned exponent = 63 - static_cast<unsigned>(std::countl_zero(nanos));
  const uint64_t mantissa = nanos >> (exponent - kSubBits);  // in [128, 255]
  return kSub + (exponent - kSubBits) * kSub + (mantissa - kSub);
}

uint64_t LatencyHistogram::UpperEdge(size_t index) {
  if (index < kSub) return index;
  const size_t shifted = index - kSub;
  const unsigned exponent = static_cast<unsigned>(shifted / kSub) + kSubBits;
  const uint64_t mantissa = kSub + shifted % kSub;
  // Largest value that maps to this bucket.
  return ((mantissa + 1) << (exponent - kSubBits)) - 1;
}

void LatencyHistogram::RecordNanos(uint64_t nanos) {
  ++buckets_[Index(nanos)];
  ++count_;
  sum_nanos_ += nanos;
  min_nanos_ = std::min(min_nanos_, nanos);
  max_nanos_ = std::max(max_nanos_, nanos);
}

uint64_t LatencyHistogram::ToNanos(double seconds) {
  // Negative durations (clock skew between threads cannot happen on steady_clock, but be total).
  const double nanos = std::isfinite(seconds) && seconds > 0 ? seconds * 1e9 : 0;
  return static_cast<uint64_t>(std::min(nanos, static_cast<double>(kMaxNanos)));
}

void LatencyHistogram::RecordSeconds(double seconds) { RecordNanos(ToNanos(seconds)); }

size_t LatencyHistogram::BucketCount() { return kBuckets; }

LatencyHistogram LatencyHistogram::FromBuckets(std::vector<uint64_t> buckets, long double sum_nanos,
                                               uint64_t min_nanos, uint64_t max_nanos) {
  LatencyHistogram h;
  buckets.resize(kBuckets);
  h.buckets_ = std::move(buckets);
  for (uint64_t n : h.buckets_) h.count_ += n;
  if (h.count_ == 0) return h;
  h.sum_nanos_ = sum_nanos;
  h.min_nanos_ = min_nanos;
  h.max_nanos_ = max_nanos;
  return h;
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  sum_nanos_ += other.sum_nanos_;
  min_nanos_ = std::min(min_nanos_, other.min_nanos_);
  max_nanos_ = std::max(max_nanos_, other.max_nanos_);
}

LatencyHistogram LatencyHistogram::Since(const LatencyHistogram& earlier) const {
  LatencyHistogram window;
  for (size_t i = 0; i < kBuckets; ++i) {
    // A snapshot taken later than this one would give negative counts: treat them as none.
    const uint64_t n = buckets_[i] > earlier.buckets_[i] ? buckets_[i] - earlier.buckets_[i] : 0;
    window.buckets_[i] = n;
    window.count_ += n;
  }
  if (window.count_ == 0) return window;
  window.sum_nanos_ = std::max<long double>(0, sum_nanos_ - earlier.sum_nanos_);
  window.min_nanos_ = min_nanos_;
  window.max_nanos_ = max_nanos_;
  return window;
}

double LatencyHistogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  const double clamped = std::clamp(q, 0.0, 1.0);
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(clamped * count_)));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(UpperEdge(i), max_nanos_) * 1e-9;
  }
  return max_nanos_ * 1e-9;
}

uint64_t LatencyHistogram::CountAtOrBelow(double seconds) const {
  if (!(seconds >= 0)) return 0;
  const uint64_t limit =
      static_cast<uint64_t>(std::min(seconds * 1e9, static_cast<double>(kMaxNanos)));
  uint64_t total = 0;
  for (size_t i = 0; i < kBuckets && UpperEdge(i) <= limit; ++i) total += buckets_[i];
  return total;
}

}  // namespace teeharness::reports
