#pragma once

#include <cstddef>
#include <vector>

#include "reports/run_result.h"

namespace teeharness::reports {

// A phase's timeline with memory bounded by a number of samples, not by the length of the phase
// or the number of requests. Samples arrive one per step; once `max_samples` are held, each pair
// of neighbours is coalesced into one (counts add, in-flight is the later instant, a percentile is
// the larger of the two: an upper bound, since a quantile of a union lies between the parts'
// quantiles) and from then on every second sample is merged into its predecessor, so the step
// doubles each time the cap is reached and the samples always cover the whole phase.
// Not thread-safe (the sampler thread owns it).
class BoundedTimeline {
 public:
  // `step_seconds` > 0; `max_samples` >= 2 (smaller values are raised to 2).
  BoundedTimeline(double step_seconds, size_t max_samples);

  // Appends the window that ended at sample.t (of length sample.seconds).
  void Append(TimelineSample sample);
  // The phase's last, partial window: merged into the previous sample when it is shorter than a
  // quarter step (a few completions over a millisecond would read as a spike of the rate), else
  // appended.
  void AppendLast(TimelineSample sample);

  double step_seconds() const { return step_seconds_; }
  const std::vector<TimelineSample>& samples() const { return samples_; }
  std::vector<TimelineSample> Take() { return std::move(samples_); }

 private:
  void CoalescePairs();

  double step_seconds_;
  size_t max_samples_;
  size_t per_sample_ = 1;  // raw windows per stored sample (doubles on each coalescing)
  size_t pending_ = 0;     // raw windows already merged into samples_.back()
  std::vector<TimelineSample> samples_;
};

// `later` merged into `earlier` (the window that directly precedes it), as described above.
void MergeInto(TimelineSample& earlier, const TimelineSample& later);

}  // namespace teeharness::reports
