#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "harness/engine/phase_readout.h"
#include "harness/engine/run_state.h"
#include "harness/scenario/abort_spec.h"

namespace teeharness::engine {

// Why a phase was aborted (README "Abort rules"). Value type.
struct AbortTrip {
  std::string kind;       // "threshold", "consecutive_failures" or "no_success_for"
  std::string condition;  // the rule: "errors: rate>0.5, after 5s", "consecutive_failures: 10",
                          // "no_success_for: request_timeout+5s = 8s"
  double observed = 0;    // the expression's value, the failures in a row, or the seconds
                          // without a success
  double at_seconds = 0;  // since the phase began
  std::string reason;     // one line for people, e.g. "no iteration succeeded for 8.0 s"
};

// What the rules look at, at one instant of a phase. Time is a parameter: the evaluator reads no
// clock, so it is tested without sleeping.
struct AbortView {
  double phase_seconds = 0;  // since the phase began
  uint64_t consecutive_failures = 0;
  std::optional<double> last_success_seconds;  // since the phase began; none yet: nullopt
  // The phase so far; null: threshold expressions are not evaluated this time.
  const PhaseMeasurements* measurements = nullptr;
};

// The first rule of `rules` that trips in `view`, checked in this order: consecutive_failures,
// no_success_for, then each expression (only once phase_seconds >= rules.after; an expression
// without data, such as a rate over no requests, does not trip). Thread-safe (pure).
std::optional<AbortTrip> EvaluateAbort(const scenario::AbortRules& rules, const AbortView& view);

// Watches one running phase from its own thread and sets `abort` when a rule trips:
// consecutive_failures and no_success_for from `live` every 50 ms, the expressions every second
// (on whole seconds since the phase began) from `read`, which reads the phase's measurements from
// the metrics registry. `on_trip` runs once, on the watch thread or in Finish, when one trips.
// Construct it right before the phase's first iteration (after live.StartPhase()); the phase
// begins then. Not copyable; Finish and the destructor from the constructing thread.
class AbortWatch {
 public:
  using Reader = std::function<PhaseMeasurements()>;
  using OnTrip = std::function<void(const AbortTrip&)>;

  AbortWatch(scenario::AbortRules rules, const LiveCounters& live, Reader read,
             const std::atomic<bool>& interrupt, std::atomic<bool>& abort, OnTrip on_trip);
  ~AbortWatch();
  AbortWatch(const AbortWatch&) = delete;
  AbortWatch& operator=(const AbortWatch&) = delete;

  // Ends the watch once the phase's load is over and, unless a rule tripped already or the run
  // was interrupted, evaluates every rule once more over the whole phase: a phase that ends before
  // the next check still stops the run when a rule holds at its end. Returns the trip, if any.
  std::optional<AbortTrip> Finish();

 private:
  void Loop();
  AbortView ViewAt(Clock::time_point now, const PhaseMeasurements* measurements) const;
  void Trip(AbortTrip trip);  // mutex_ held

  scenario::AbortRules rules_;
  const LiveCounters& live_;
  Reader read_;
  const std::atomic<bool>& interrupt_;
  std::atomic<bool>& abort_;
  OnTrip on_trip_;
  Clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::optional<AbortTrip> trip_;
  std::thread thread_;
};

}  // namespace teeharness::engine
