#include <cstdio>

#include "reports/compare/compare_cells.h"
#include "reports/compare/compare_render.h"

namespace teeharness::reports::compare {
namespace {

void Line(std::string& out, const char* format, const std::string& a, const std::string& b,
          const std::string& c, const std::string& d = "", const std::string& e = "") {
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), format, a.c_str(), b.c_str(), c.c_str(), d.c_str(),
                e.c_str());
  out += buffer;
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
      Line(out, "  %-34s %14s %14s %14s %9s\n", f.name, NumberCell(f.base, false, "-"),
           NumberCell(f.now, false, "-"), NumberCell(f.delta(), true, "-"),
           PercentCell(f.percent(), "-"));
    }
  }
  out += "\nchecks (passed/failed/skipped)\n";
  for (const CheckDelta& check : c.checks) {
    Line(out, "  %-20s %16s %16s %s\n", check.id, CountsCell(check.base, "/", "-"),
         CountsCell(check.now, "/", "-"), check.regressed ? "REGRESSED" : "");
  }
  if (!c.rules.empty()) out += "\nrules\n";
  for (const RuleOutcome& r : c.rules) {
    Line(out, "  %s  %-32s phase %-16s %s\n", std::string(VerdictLabel(r.verdict)), r.rule, r.phase,
         r.reason.empty()
             ? NumberCell(r.base, false, "-") + " -> " + NumberCell(r.now, false, "-") +
                   " (limit " + NumberCell(r.limit, false, "-") + ")"
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
