#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "harness/engine/load/arrival_schedule.h"
#include "harness/engine/phase_readout.h"
#include "harness/engine/run_state.h"
#include "reports/timeline.h"

namespace teeharness::engine {

// The samples a phase keeps at most (README "Timeline"): an hour at the default 1 s step; a longer
// phase has its samples coalesced in pairs (reports/timeline.h), so its step doubles.
constexpr size_t kMaxTimelineSamples = 3600;

// The live counts a timeline reads besides the registry, at one instant.
struct TimelineLive {
  uint64_t started = 0;  // iterations started (run-wide, cumulative)
  uint64_t dropped = 0;  // arrivals dropped at max_in_flight (run-wide, cumulative)
  int64_t in_flight = 0;
};
TimelineLive ReadTimelineLive(const LiveCounters& live);

// The mean intended rate (arrivals/s) of an open workload's stages over [from, to] seconds since
// the phase began; 0 past the last stage or without stages (closed model). Pure.
double MeanTargetRate(const std::vector<RateStage>& stages, double from, double to);

// Turns successive cumulative readings of one phase (from the metrics registry and the live
// counters) into timeline windows: each Observe appends what happened since the previous one.
// The flows record nothing for it: the per-request path is unchanged. Time is a parameter (seconds
// since the phase began), so it is tested without a clock. Not thread-safe.
class TimelineBuilder {
 public:
  TimelineBuilder(double step_seconds, size_t max_samples, std::vector<RateStage> stages,
                  TimelineLive at_start);

  // Appends the window (previous t, t]; ignored unless t is later than the previous one. `last`:
  // the phase's final, partial window (BoundedTimeline::AppendLast).
  // `cumulative` is kept (moved) as the next window's baseline.
  void Observe(double t, PhaseMeasurements cumulative, const TimelineLive& live, bool last = false);

  const reports::BoundedTimeline& timeline() const { return timeline_; }
  reports::BoundedTimeline& timeline() { return timeline_; }

 private:
  reports::BoundedTimeline timeline_;
  std::vector<RateStage> stages_;
  PhaseMeasurements previous_;
  TimelineLive previous_live_;
  double previous_t_ = 0;
};

// Samples one running phase from its own thread, every `step` since construction (the phase's
// start), reading the registry through `read`. Finish takes a last sample for the partial window
// and returns the timeline. Construct right before the phase's first iteration; Finish and the
// destructor from the constructing thread (the sampler's state is its own thread's until then).
// Not copyable.
class TimelineSampler {
 public:
  using Reader = std::function<PhaseMeasurements()>;

  TimelineSampler(std::chrono::nanoseconds step, size_t max_samples, std::vector<RateStage> stages,
                  const LiveCounters& live, Reader read);
  ~TimelineSampler();
  TimelineSampler(const TimelineSampler&) = delete;
  TimelineSampler& operator=(const TimelineSampler&) = delete;

  // Stops sampling, records the last window and hands over the samples (once).
  reports::BoundedTimeline Finish();

 private:
  void Loop();
  // On the sampler thread, or once it has ended (`last`).
  void SampleAt(Clock::time_point at, bool last = false);

  const LiveCounters& live_;
  Reader read_;
  Clock::duration step_;
  Clock::time_point start_;
  TimelineBuilder builder_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace teeharness::engine
