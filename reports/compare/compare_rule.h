#pragma once

#include <string>
#include <string_view>

#include "harness/base/result.h"

namespace teeharness::reports::compare {

// One `teeharness compare --fail-on RULE`: when NEW's figure is beyond BASE's changed by a limit,
// the comparison fails. README "Comparing runs" documents the grammar:
//
//   rule    := metric [ "{phase:" NAME "}" ] ( ">" | "<" ) change
//   metric  := AGG "(" OP "_seconds" ")"     AGG: p50 p90 p95 p99 mean max; OP a latency op
//            | COUNTER                       rate errors dropped requests failed check_failures
//                                            output_tokens_per_second goodput verified_goodput
//   change  := ( "+" | "-" ) NUMBER [ "%" ]
//
// `>` fails when NEW > limit, `<` when NEW < limit; the limit is BASE + change (absolute, in the
// metric's unit) or BASE * (1 + change/100) (percent). So `p95(chat_seconds)>+10%` fails when p95
// grew by more than 10%, `errors>+0` when there is any new error, `rate<-5%` when the rate fell by
// more than 5%. Spaces are allowed between tokens. Plain value type.
struct CompareRule {
  std::string text;     // as written
  std::string metric;   // the figure's name: "p95(chat_seconds)", "rate"
  std::string phase;    // "" = every phase
  bool greater = true;  // `>` (NEW above the limit fails); false: `<`
  double change = 0;    // signed
  bool percent = false;

  // The value NEW is compared with.
  double Limit(double base) const { return percent ? base * (1 + change / 100) : base + change; }
  bool Fails(double base, double now) const {
    return greater ? now > Limit(base) : now < Limit(base);
  }
};

// Parses one rule. An error names the rule and the 1-based column of the problem, e.g.
// `"p9(chat_seconds)>+10%" at column 1: unknown aggregate "p9" (one of p50 p90 p95 p99 mean max)`.
// Thread-safe (pure).
Result<CompareRule> ParseCompareRule(std::string_view text);

// The figure name a latency op's aggregate is reported under: ("p95", "chat") ->
// "p95(chat_seconds)". The threshold spelling time_to_first_token_seconds is the `ttft` op.
std::string LatencyFigureName(std::string_view aggregate, std::string_view op);

}  // namespace teeharness::reports::compare
