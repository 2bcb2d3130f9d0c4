#pragma once

#include <rapidjson/fwd.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"

namespace teeharness::scenario {

struct Scenario;

// The live abort conditions of one flow phase (README "Abort rules"): the scenario's `abort`, with
// the keys of the phase's own `abort` on top. Checked while the phase runs (harness/engine/
// abort_rules.h); the first that trips stops the run. Plain value type.
struct AbortRules {
  // "errors": ["rate>0.5"]: a threshold expression over the phase so far that aborts when it
  // HOLDS (the opposite sense of `thresholds`, which must hold to pass). Grammar and metrics as
  // for thresholds; validated at load.
  struct Expression {
    std::string metric;      // errors
    std::string expression;  // rate>0.5
  };
  std::vector<Expression> expressions;
  std::optional<uint64_t> consecutive_failures;  // this many iterations in a row ended failed
  // No iteration succeeded for this long: counted from the phase start until the first success,
  // then from the latest one.
  std::optional<std::chrono::nanoseconds> no_success_for;
  std::chrono::nanoseconds after{0};  // the expressions apply only once the phase is this old
  std::string no_success_for_text;    // as written, e.g. "request_timeout+5s"
  std::string after_text;             // as written ("" when not given)

  bool any() const { return !expressions.empty() || consecutive_failures || no_success_for; }
};

// A duration of an abort rule: "30s" (any duration of the scenario format), "request_timeout",
// "N*request_timeout", or a sum of those ("request_timeout+5s"), so that shipped defaults follow
// the scenario's target.request_timeout (given here). Thread-safe (pure).
Result<std::chrono::nanoseconds> ParseAbortDuration(std::string_view text,
                                                    std::chrono::nanoseconds request_timeout);

// Reads the scenario-level `abort` and each phase's `abort` of `doc` (already schema-valid) into
// s.phases[i].abort: a phase without `abort` gets the scenario's rules; a phase's `abort` object
// replaces the scenario's keys it names (null removes one); `"abort": false` means no rules.
// Needs s.target and s.phases read first. Each problem is reported as (JSON pointer, message).
using AbortProblemFn = std::function<void(const std::string& pointer, const std::string& message)>;
void ReadAbortRules(const rapidjson::Value& doc, Scenario& s, const AbortProblemFn& problem);

// One line for people: "errors rate>0.5 after 60s; 10 consecutive failures; no success for 65s"
// ("none" without rules).
std::string DescribeAbortRules(const AbortRules& rules);

}  // namespace teeharness::scenario
