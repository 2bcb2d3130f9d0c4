#include "harness/engine/load/abort_rules.h"

#include <algorithm>
#include <cstdio>

#include "harness/base/duration_parse.h"
#include "harness/engine/load/thresholds.h"

namespace teeharness::engine {
namespace {

double Seconds(std::chrono::nanoseconds d) { return std::chrono::duration<double>(d).count(); }

template <typename... Args>
std::string Format(const char* format, Args... args) {
  char buffer[256];
  const int n = std::snprintf(buffer, sizeof(buffer), format, args...);
  return std::string(buffer, n < 0 ? 0 : std::min<size_t>(n, sizeof(buffer) - 1));
}

// "request_timeout+5s = 8s": the rule as written and, when that is not already a plain duration,
// what it came to for this run.
std::string AsWritten(const std::string& text, std::chrono::nanoseconds resolved) {
  const std::string plain = FormatDuration(resolved);
  return text.empty() || text == plain ? plain : text + " = " + plain;
}

// How often consecutive_failures and no_success_for are checked (two atomic loads), and how often
// the threshold expressions are (a read of the metrics registry).
constexpr auto kPoll = std::chrono::milliseconds(50);
constexpr auto kTick = std::chrono::seconds(1);

}  // namespace

std::optional<AbortTrip> EvaluateAbort(const scenario::AbortRules& rules, const AbortView& view) {
  if (rules.consecutive_failures && view.consecutive_failures >= *rules.consecutive_failures) {
    return AbortTrip{"consecutive_failures",
                     "consecutive_failures: " + std::to_string(*rules.consecutive_failures),
                     static_cast<double>(view.consecutive_failures), view.phase_seconds,
                     Format("%llu iterations in a row failed",
                            static_cast<unsigned long long>(view.consecutive_failures))};
  }
  if (rules.no_success_for) {
    const double since = view.last_success_seconds.value_or(0);
    const double without = view.phase_seconds - since;
    if (without >= Seconds(*rules.no_success_for)) {
      return AbortTrip{
          "no_success_for",
          "no_success_for: " + AsWritten(rules.no_success_for_text, *rules.no_success_for), without,
          view.phase_seconds,
          view.last_success_seconds
              ? Format("no iteration succeeded for %.1f s (the last one at %.1f s)", without, since)
              : Format("no iteration succeeded in the phase's first %.1f s", without)};
    }
  }
  if (view.measurements != nullptr && !rules.expressions.empty() &&
      view.phase_seconds >= Seconds(rules.after)) {
    std::vector<scenario::Threshold> thresholds;
    for (const scenario::AbortRules::Expression& e : rules.expressions) {
      Result<scenario::Threshold> t = scenario::ParseThresholdExpression(e.expression);
      if (!t.ok()) continue;  // validated at load
      t.value().metric = t.value().key = e.metric;
      thresholds.push_back(*t);
    }
    // The thresholds' own evaluation: `passed` is "has data and the expression holds", which for
    // an abort expression means it trips.
    const std::vector<reports::ThresholdResult> results =
        EvaluateThresholds(thresholds, {*view.measurements});
    for (const reports::ThresholdResult& r : results) {
      if (!r.passed) continue;
      std::string condition = r.metric + ": " + r.expression;
      if (rules.after.count() > 0) {
        condition += ", after " + AsWritten(rules.after_text, rules.after);
      }
      return AbortTrip{
          "threshold", condition, r.observed, view.phase_seconds,
          Format("%s %s held (observed %g)", r.metric.c_str(), r.expression.c_str(), r.observed)};
    }
  }
  return std::nullopt;
}

AbortWatch::AbortWatch(scenario::AbortRules rules, const LiveCounters& live, Reader read,
                       const std::atomic<bool>& interrupt, std::atomic<bool>& abort, OnTrip on_trip)
    : rules_(std::move(rules)),
      live_(live),
      read_(std::move(read)),
      interrupt_(interrupt),
      abort_(abort),
      on_trip_(std::move(on_trip)),
      start_(Clock::now()) {
  if (rules_.any()) thread_ = std::thread([this] { Loop(); });
}

AbortWatch::~AbortWatch() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

AbortView AbortWatch::ViewAt(Clock::time_point now, const PhaseMeasurements* measurements) const {
  AbortView view;
  view.phase_seconds = std::chrono::duration<double>(now - start_).count();
  view.consecutive_failures = live_.consecutive_failures.load(std::memory_order_relaxed);
  const int64_t ticks = live_.last_success_ticks.load(std::memory_order_relaxed);
  if (ticks != 0) {
    const Clock::time_point last{Clock::duration(ticks)};
    view.last_success_seconds = std::chrono::duration<double>(last - start_).count();
  }
  view.measurements = measurements;
  return view;
}

void AbortWatch::Trip(AbortTrip trip) {
  trip_ = std::move(trip);
  abort_.store(true);
  if (on_trip_) on_trip_(*trip_);
}

void AbortWatch::Loop() {
  Clock::time_point next_tick = start_ + kTick;
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kPoll, [this] { return done_; })) {
    if (interrupt_.load() || trip_) continue;
    const Clock::time_point now = Clock::now();
    std::optional<PhaseMeasurements> measured;
    if (now >= next_tick) {
      while (next_tick <= now) next_tick += kTick;
      if (!rules_.expressions.empty()) {
        lock.unlock();  // a registry read; Finish may wait for it meanwhile
        measured = read_();
        lock.lock();
        if (done_) break;
      }
    }
    if (std::optional<AbortTrip> trip =
            EvaluateAbort(rules_, ViewAt(now, measured ? &*measured : nullptr))) {
      Trip(std::move(*trip));
    }
  }
}

std::optional<AbortTrip> AbortWatch::Finish() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (!trip_ && rules_.any() && !interrupt_.load()) {
    const PhaseMeasurements measured = read_();
    if (std::optional<AbortTrip> trip = EvaluateAbort(rules_, ViewAt(Clock::now(), &measured))) {
      Trip(std::move(*trip));
    }
  }
  return trip_;
}

}  // namespace teeharness::engine
