#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/base/result.h"
#include "reports/compare/compare_rule.h"
#include "reports/compare/report_figures.h"

namespace teeharness::reports::compare {

// BASE and NEW side by side: every figure of every phase with its delta, every check's counts,
// each rule's verdict per phase, and the regressions by name. What the outputs render. Plain
// value types.

struct FigureDelta {
  std::string name;
  std::optional<double> base, now;  // absent in that report's phase
  bool shown = true;
  std::optional<double> delta() const;
  std::optional<double> percent()
      const;  // of BASE; absent when either is, or BASE is 0 and NEW not
};

struct PhaseDelta {
  std::string name;
  bool in_base = false, in_new = false;
  std::vector<FigureDelta> figures;  // BASE's order, then figures only NEW has
};

struct CheckDelta {
  std::string id;
  std::optional<CheckCounts> base, now;
  bool regressed = false;  // passed in BASE (no failure), fails in NEW
};

struct RuleOutcome {
  enum class Verdict { kPass, kFail, kSkipped };
  std::string rule;   // as written
  std::string phase;  // where it was evaluated
  std::optional<double> base, now;
  double limit = 0;  // what NEW was compared with (when both are present)
  Verdict verdict = Verdict::kPass;
  std::string reason;  // for kFail and kSkipped: one line
};

struct Comparison {
  std::string base_source, new_source;
  int base_schema = 0, new_schema = 0;
  std::string base_scenario, new_scenario;
  std::vector<PhaseDelta> phases;
  std::vector<CheckDelta> checks;
  std::vector<RuleOutcome> rules;
  std::vector<std::string> regressions;  // one line each: every failed rule and regressed check

  int exit_code() const { return regressions.empty() ? 0 : 1; }
};

// Compares NEW with BASE under `rules`. Per phase present in both (or the rule's phase), a rule
// passes, fails (NEW beyond the limit; or the figure is in BASE and missing in NEW) or is skipped
// (the figure is only in NEW). A check that passed in BASE and fails in NEW is always a
// regression. An Error (unusable input) when a rule can be evaluated nowhere: its phase is in
// neither report, or no phase of either report has its metric (a misspelt op, say). Thread-safe
// (pure).
Result<Comparison> Compare(const ReportFigures& base, const ReportFigures& now,
                           const std::vector<CompareRule>& rules);

}  // namespace teeharness::reports::compare
