#include "reports/compare/comparison.h"

#include <set>

#include "reports/compare/compare_cells.h"

namespace teeharness::reports::compare {
namespace {

std::optional<double> ValueOf(const PhaseFigures* phase, const std::string& name) {
  if (phase == nullptr) return std::nullopt;
  const Figure* figure = phase->Find(name);
  return figure == nullptr ? std::nullopt : std::optional<double>(figure->value);
}

std::string Number(double value) { return NumberCell(value, false, ""); }

PhaseDelta DiffPhase(const std::string& name, const PhaseFigures* base, const PhaseFigures* now) {
  PhaseDelta out{name, base != nullptr, now != nullptr, {}};
  std::set<std::string> seen;
  for (const PhaseFigures* side : {base, now}) {
    if (side == nullptr) continue;
    for (const Figure& figure : side->figures) {
      if (!seen.insert(figure.name).second) continue;
      out.figures.push_back(
          {figure.name, ValueOf(base, figure.name), ValueOf(now, figure.name), figure.shown});
    }
  }
  return out;
}

std::vector<CheckDelta> DiffChecks(const ReportFigures& base, const ReportFigures& now) {
  std::vector<CheckDelta> out;
  std::set<std::string> ids;
  for (const auto& [id, counts] : base.checks) ids.insert(id);
  for (const auto& [id, counts] : now.checks) ids.insert(id);
  for (const std::string& id : ids) {
    CheckDelta d{id, std::nullopt, std::nullopt, false};
    if (const auto it = base.checks.find(id); it != base.checks.end()) d.base = it->second;
    if (const auto it = now.checks.find(id); it != now.checks.end()) d.now = it->second;
    d.regressed = d.base && d.base->passed > 0 && d.base->failed == 0 && d.now && d.now->failed > 0;
    out.push_back(d);
  }
  return out;
}

RuleOutcome Evaluate(const CompareRule& rule, const PhaseDelta& phase, const FigureDelta* figure) {
  RuleOutcome out{rule.text, phase.name, std::nullopt, std::nullopt, 0, RuleOutcome::Verdict::kPass,
                  ""};
  if (figure != nullptr) {
    out.base = figure->base;
    out.now = figure->now;
  }
  if (!out.base && !out.now) {
    out.verdict = RuleOutcome::Verdict::kSkipped;
    out.reason = phase.in_base && phase.in_new
                     ? rule.metric + " is in neither report's phase"
                     : "the phase is in " + std::string(phase.in_base ? "BASE" : "NEW") + " only";
    return out;
  }
  if (!out.now) {
    out.verdict = RuleOutcome::Verdict::kFail;
    out.reason = rule.metric + " is in BASE (" + Number(*out.base) + ") and missing in NEW" +
                 (phase.in_new ? "" : " (NEW has no phase " + phase.name + ")");
    return out;
  }
  if (!out.base) {
    out.verdict = RuleOutcome::Verdict::kSkipped;
    out.reason = rule.metric + " is new in NEW: nothing to compare with";
    return out;
  }
  out.limit = rule.Limit(*out.base);
  if (rule.Fails(*out.base, *out.now)) {
    out.verdict = RuleOutcome::Verdict::kFail;
    out.reason = rule.metric + " " + Number(*out.base) + " -> " + Number(*out.now) + ", " +
                 (rule.greater ? "above" : "below") + " the limit " + Number(out.limit);
  }
  return out;
}

// The rule's outcomes over the phases it scopes; an Error when it can be evaluated nowhere.
Result<std::vector<RuleOutcome>> ApplyRule(const CompareRule& rule,
                                           const std::vector<PhaseDelta>& phases) {
  std::vector<RuleOutcome> out;
  bool phase_found = false, metric_found = false;
  for (const PhaseDelta& phase : phases) {
    if (!rule.phase.empty() && phase.name != rule.phase) continue;
    phase_found = true;
    const FigureDelta* figure = nullptr;
    for (const FigureDelta& f : phase.figures) {
      if (f.name == rule.metric) figure = &f;
    }
    metric_found = metric_found || figure != nullptr;
    // A phase without the figure on either side (chat latency in an attest phase) is not its
    // place; named explicitly, the phase still reports that it had none.
    if (figure == nullptr && rule.phase.empty()) continue;
    out.push_back(Evaluate(rule, phase, figure));
  }
  if (!phase_found) {
    return MakeError("--fail-on \"", rule.text, "\": phase \"", rule.phase,
                     "\" is in neither report");
  }
  if (!metric_found) {
    return MakeError("--fail-on \"", rule.text, "\": no phase", rule.phase.empty() ? "" : " ",
                     rule.phase.empty() ? "" : rule.phase, " of either report has ", rule.metric);
  }
  return out;
}

}  // namespace

std::optional<double> FigureDelta::delta() const {
  if (!base || !now) return std::nullopt;
  return *now - *base;
}

std::optional<double> FigureDelta::percent() const {
  if (!base || !now) return std::nullopt;
  if (*base == 0) return *now == 0 ? std::optional<double>(0) : std::nullopt;
  return (*now - *base) / *base * 100;
}

Result<Comparison> Compare(const ReportFigures& base, const ReportFigures& now,
                           const std::vector<CompareRule>& rules) {
  Comparison c;
  c.base_source = base.source;
  c.new_source = now.source;
  c.base_schema = base.schema_version;
  c.new_schema = now.schema_version;
  c.base_scenario = base.scenario;
  c.new_scenario = now.scenario;
  for (const PhaseFigures& phase : base.phases) {
    c.phases.push_back(DiffPhase(phase.name, &phase, now.FindPhase(phase.name)));
  }
  for (const PhaseFigures& phase : now.phases) {
    if (base.FindPhase(phase.name) == nullptr) {
      c.phases.push_back(DiffPhase(phase.name, nullptr, &phase));
    }
  }
  c.checks = DiffChecks(base, now);
  for (const CheckDelta& check : c.checks) {
    if (!check.regressed) continue;
    c.regressions.push_back("check " + check.id + " passed in BASE (" +
                            std::to_string(check.base->passed) + " passed) and fails in NEW (" +
                            std::to_string(check.now->failed) + " failed)");
  }
  for (const CompareRule& rule : rules) {
    Result<std::vector<RuleOutcome>> outcomes = ApplyRule(rule, c.phases);
    if (!outcomes.ok()) return Error{outcomes.error()};
    for (RuleOutcome& outcome : std::move(outcomes).value()) {
      if (outcome.verdict == RuleOutcome::Verdict::kFail) {
        c.regressions.push_back("rule " + outcome.rule + " in phase " + outcome.phase + ": " +
                                outcome.reason);
      }
      c.rules.push_back(std::move(outcome));
    }
  }
  return c;
}

}  // namespace teeharness::reports::compare
