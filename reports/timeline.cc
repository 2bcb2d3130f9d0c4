#include "reports/timeline.h"

#include <algorithm>

namespace teeharness::reports {
namespace {

void AddCounts(std::map<std::string, uint64_t>& into, const std::map<std::string, uint64_t>& from) {
  for (const auto& [kind, count] : from) into[kind] += count;
}

}  // namespace

void MergeInto(TimelineSample& earlier, const TimelineSample& later) {
  const double seconds = earlier.seconds + later.seconds;
  if (seconds > 0) {
    earlier.target_rate =
        (earlier.target_rate * earlier.seconds + later.target_rate * later.seconds) / seconds;
  }
  earlier.t = later.t;
  earlier.seconds = seconds;
  earlier.arrivals += later.arrivals;
  earlier.dropped += later.dropped;
  earlier.completed += later.completed;
  earlier.succeeded += later.succeeded;
  AddCounts(earlier.failed, later.failed);
  AddCounts(earlier.errors, later.errors);
  earlier.in_flight = later.in_flight;
  earlier.schedule_lag_p99 = std::max(earlier.schedule_lag_p99, later.schedule_lag_p99);
  earlier.schedule_lag_max = std::max(earlier.schedule_lag_max, later.schedule_lag_max);
  for (const auto& [name, window] : later.latency) {
    TimelineLatency& into = earlier.latency[name];
    if (window.count == 0) continue;
    if (into.count == 0) {
      into = window;
      continue;
    }
    into.count += window.count;
    into.p50 = std::max(into.p50, window.p50);
    into.p95 = std::max(into.p95, window.p95);
    into.p99 = std::max(into.p99, window.p99);
  }
  earlier.check_failures += later.check_failures;
  earlier.check_passes += later.check_passes;
  earlier.prompt_tokens += later.prompt_tokens;
  earlier.completion_tokens += later.completion_tokens;
}

BoundedTimeline::BoundedTimeline(double step_seconds, size_t max_samples)
    : step_seconds_(step_seconds), max_samples_(std::max<size_t>(2, max_samples)) {}

void BoundedTimeline::Append(TimelineSample sample) {
  if (pending_ > 0 && pending_ < per_sample_) {
    MergeInto(samples_.back(), sample);
    ++pending_;
    return;
  }
  if (samples_.size() == max_samples_) CoalescePairs();
  // After coalescing, the last sample may still have room (an odd count left it half full).
  if (pending_ > 0 && pending_ < per_sample_) {
    MergeInto(samples_.back(), sample);
    ++pending_;
    return;
  }
  samples_.push_back(std::move(sample));
  pending_ = 1;
}

void BoundedTimeline::AppendLast(TimelineSample sample) {
  if (!samples_.empty() && sample.seconds < step_seconds_ / 4) {
    MergeInto(samples_.back(), sample);
    return;
  }
  Append(std::move(sample));
}

void BoundedTimeline::CoalescePairs() {
  std::vector<TimelineSample> merged;
  merged.reserve(max_samples_);
  for (size_t i = 0; i < samples_.size(); i += 2) {
    merged.push_back(std::move(samples_[i]));
    if (i + 1 < samples_.size()) MergeInto(merged.back(), samples_[i + 1]);
  }
  // The cap is even or odd: with an odd count the last stored sample covers one old sample only.
  const bool last_half = samples_.size() % 2 == 1;
  samples_ = std::move(merged);
  per_sample_ *= 2;
  step_seconds_ *= 2;
  pending_ = last_half ? per_sample_ / 2 : per_sample_;
}

}  // namespace teeharness::reports
