#include <cstdio>

#include "reports/compare/compare_render.h"

namespace teeharness::reports::compare {
namespace {

std::string Cell(const std::optional<double>& value, bool sign = false) {
  if (!value) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), sign ? "%+.6g" : "%.6g", *value);
  return buffer;
}

std::string Percent(const std::optional<double>& value) {
  if (!value) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%+.1f%%", *value);
  return buffer;
}

std::string Counts(const std::optional<CheckCounts>& counts) {
  if (!counts) return "-";
  return std::to_string(counts->passed) + "/" + std::to_string(counts->failed) + "/" +
         std::to_string(counts->skipped);
}

void Line(std::string& out, const char* format, const std::string& a, const std::string& b,
          const std::string& c, const std::string& d = "", const std::string& e = "") {
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), format, a.c_str(), b.c_str(), c.c_str(), d.c_str(),
                e.c_str());
  out += buffer;
}

const char* VerdictName(RuleOutcome::Verdict verdict) {
  switch (verdict) {
    case RuleOutcome::Verdict::kPass:
      return "PASS";
    case RuleOutcome::Verdict::kFail:
      return "FAIL";
    case RuleOutcome::Verdict::kSkipped:
      return "SKIP";
  }
  return "?";
}

}  // namespace

std::string RenderCompareText(const Comparison& c) {
  std::string out = "BASE " + c.base_source + " (" + c.base_scenario + ", schema_version " +
                    std::to_string(c.base_schema) + ")\nNEW  " + c.new_source + " (" +
                    c.new_scenario + ", schema_version " + std::to_string(c.new_schema) + ")\n";
  for (const PhaseDelta& phase : c.phases) {
    out += "\nphase " + phase.name;
    if (!phase.in_base) out += " (NEW only)";
    if (!phase.in_new) out += " (BASE only)";
    out += "\n";
    Line(out, "  %-34s %14s %14s %14s %9s\n", "figure", "BASE", "NEW", "delta", "delta%");
    for (const FigureDelta& f : phase.figures) {
      if (!f.shown) continue;
      Line(out, "  %-34s %14s %14s %14s %9s\n", f.name, Cell(f.base), Cell(f.now),
           Cell(f.delta(), true), Percent(f.percent()));
    }
  }
  out += "\nchecks (passed/failed/skipped)\n";
  for (const CheckDelta& check : c.checks) {
    Line(out, "  %-20s %16s %16s %s\n", check.id, Counts(check.base), Counts(check.now),
         check.regressed ? "REGRESSED" : "");
  }
  if (!c.rules.empty()) out += "\nrules\n";
  for (const RuleOutcome& r : c.rules) {
    Line(out, "  %s  %-32s phase %-16s %s\n", VerdictName(r.verdict), r.rule, r.phase,
         r.reason.empty() ? Cell(r.base) + " -> " + Cell(r.now) + " (limit " +
                                Cell(std::optional<double>(r.limit)) + ")"
                          : r.reason);
  }
  out += "\n";
  for (const std::string& regression : c.regressions) out += "REGRESSION: " + regression + "\n";
  out += c.regressions.empty() ? "NO REGRESSION\n"
                               : std::to_string(c.regressions.size()) + " regression" +
                                     (c.regressions.size() == 1 ? "" : "s") + "\n";
  return out;
}

}  // namespace teeharness::reports::compare
