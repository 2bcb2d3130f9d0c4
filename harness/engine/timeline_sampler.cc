#include "harness/engine/timeline_sampler.h"

#include <algorithm>

namespace teeharness::engine {
namespace {

uint64_t Delta(uint64_t now, uint64_t before) { return now > before ? now - before : 0; }

// The non-zero differences of two cumulative count maps.
std::map<std::string, uint64_t> Deltas(const std::map<std::string, uint64_t>& now,
                                       const std::map<std::string, uint64_t>& before) {
  std::map<std::string, uint64_t> out;
  for (const auto& [kind, count] : now) {
    const auto it = before.find(kind);
    const uint64_t delta = Delta(count, it == before.end() ? 0 : it->second);
    if (delta > 0) out[kind] = delta;
  }
  return out;
}

// ∫ rate over [0, t] of the stages.
double ExpectedArrivals(const std::vector<RateStage>& stages, double t) {
  double total = 0, start = 0;
  for (const RateStage& s : stages) {
    if (t <= start) break;
    const double in = std::min(t - start, s.seconds);
    if (s.seconds > 0) {
      const double rate_at_in = s.from + (s.to - s.from) * (in / s.seconds);
      total += (s.from + rate_at_in) / 2 * in;
    }
    start += s.seconds;
  }
  return total;
}

}  // namespace

TimelineLive ReadTimelineLive(const LiveCounters& live) {
  return {live.started.load(std::memory_order_relaxed),
          live.dropped.load(std::memory_order_relaxed),
          live.in_flight.load(std::memory_order_relaxed)};
}

double MeanTargetRate(const std::vector<RateStage>& stages, double from, double to) {
  if (!(to > from)) return 0;
  return (ExpectedArrivals(stages, to) - ExpectedArrivals(stages, from)) / (to - from);
}

TimelineBuilder::TimelineBuilder(double step_seconds, size_t max_samples,
                                 std::vector<RateStage> stages, TimelineLive at_start)
    : timeline_(step_seconds, max_samples), stages_(std::move(stages)), previous_live_(at_start) {}

void TimelineBuilder::Observe(double t, PhaseMeasurements now, const TimelineLive& live,
                              bool last) {
  if (!(t > previous_t_)) return;
  reports::TimelineSample s;
  s.t = t;
  s.seconds = t - previous_t_;
  s.target_rate = MeanTargetRate(stages_, previous_t_, t);
  s.dropped = Delta(live.dropped, previous_live_.dropped);
  s.arrivals = Delta(live.started, previous_live_.started) + s.dropped;
  s.succeeded = Delta(now.succeeded(), previous_.succeeded());
  for (auto& [kind, count] : Deltas(now.outcomes, previous_.outcomes)) {
    if (kind != "succeeded") s.failed[kind] = count;
  }
  s.completed = s.succeeded;
  for (const auto& [kind, count] : s.failed) s.completed += count;
  s.errors = Deltas(now.errors, previous_.errors);
  s.in_flight = live.in_flight;
  s.check_failures = Delta(now.check_failed, previous_.check_failed);
  s.check_passes = Delta(now.check_passed, previous_.check_passed);
  s.prompt_tokens = Delta(now.prompt_tokens, previous_.prompt_tokens);
  s.completion_tokens = Delta(now.completion_tokens, previous_.completion_tokens);
  static const reports::LatencyHistogram kEmpty;
  for (const auto& [name, cumulative] : now.latency) {
    const auto it = previous_.latency.find(name);
    const reports::LatencyHistogram window =
        cumulative.Since(it == previous_.latency.end() ? kEmpty : it->second);
    if (window.count() == 0) continue;
    if (name == "schedule_lag") {
      s.schedule_lag_p99 = window.Quantile(0.99);
      s.schedule_lag_max = window.Quantile(1.0);
      continue;
    }
    s.latency[name] = {window.count(), window.Quantile(0.5), window.Quantile(0.95),
                       window.Quantile(0.99)};
  }
  if (last) {
    timeline_.AppendLast(std::move(s));
  } else {
    timeline_.Append(std::move(s));
  }
  previous_ = std::move(now);
  previous_live_ = live;
  previous_t_ = t;
}

TimelineSampler::TimelineSampler(std::chrono::nanoseconds step, size_t max_samples,
                                 std::vector<RateStage> stages, const LiveCounters& live,
                                 Reader read)
    : live_(live),
      read_(std::move(read)),
      step_(std::max<Clock::duration>(std::chrono::duration_cast<Clock::duration>(step),
                                      std::chrono::milliseconds(1))),
      start_(Clock::now()),
      builder_(std::chrono::duration<double>(step_).count(), max_samples, std::move(stages),
               ReadTimelineLive(live)),
      thread_([this] { Loop(); }) {}

TimelineSampler::~TimelineSampler() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TimelineSampler::Loop() {
  std::unique_lock lock(mutex_);
  Clock::time_point next = start_ + step_;
  while (!done_) {
    if (wake_.wait_until(lock, next, [this] { return done_; })) break;
    SampleAt(next);
    // After a stall (a suspended process) the next window ends on the next whole step.
    const Clock::time_point now = Clock::now();
    next += step_;
    if (next <= now) next += ((now - next) / step_ + 1) * step_;
  }
}

void TimelineSampler::SampleAt(Clock::time_point at, bool last) {
  const double t = std::chrono::duration<double>(at - start_).count();
  builder_.Observe(t, read_(), ReadTimelineLive(live_), last);
}

reports::BoundedTimeline TimelineSampler::Finish() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  SampleAt(Clock::now(), /*last=*/true);
  return std::move(builder_.timeline());
}

}  // namespace teeharness::engine
