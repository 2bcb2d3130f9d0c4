#include "harness/base/utf8.h"
#include "reports/compare/compare_cells.h"
#include "reports/compare/compare_render.h"
#include "reports/junit_report.h"

namespace teeharness::reports::compare {
namespace {

constexpr const char* kAbsent = "&ndash;";

std::string Td(const std::string& html, const char* css = nullptr) {
  return css ? "<td class=\"" + std::string(css) + "\">" + html + "</td>" : "<td>" + html + "</td>";
}

constexpr const char* kStyle =
    "body{font-family:sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:0 0 1.5em}"
    "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
    "th:first-child,td:first-child{text-align:left}"
    ".fail{background:#fdd;font-weight:bold}.pass{background:#dfd}.skip{background:#eee}"
    ".verdict{font-size:1.3em;font-weight:bold}";

void PhaseTable(std::string& out, const PhaseDelta& phase) {
  out += "<h2>phase " + EscapeHtml(phase.name);
  if (!phase.in_base) out += " (NEW only)";
  if (!phase.in_new) out += " (BASE only)";
  out +=
      "</h2>\n<table><tr><th>figure</th><th>BASE</th><th>NEW</th><th>delta</th>"
      "<th>delta %</th></tr>\n";
  for (const FigureDelta& f : phase.figures) {
    if (!f.shown) continue;
    out += "<tr>" + Td(EscapeHtml(f.name)) + Td(NumberCell(f.base, false, kAbsent)) +
           Td(NumberCell(f.now, false, kAbsent)) + Td(NumberCell(f.delta(), true, kAbsent)) +
           Td(PercentCell(f.percent(), kAbsent)) + "</tr>\n";
  }
  out += "</table>\n";
}

void ChecksTable(std::string& out, const std::vector<CheckDelta>& checks) {
  out +=
      "<h2>checks</h2>\n<table><tr><th>check</th><th>BASE passed / failed / skipped</th>"
      "<th>NEW passed / failed / skipped</th></tr>\n";
  for (const CheckDelta& check : checks) {
    out += std::string(check.regressed ? "<tr class=\"fail\">" : "<tr>") +
           Td(EscapeHtml(check.id)) + Td(CountsCell(check.base, " / ", kAbsent)) +
           Td(CountsCell(check.now, " / ", kAbsent)) + "</tr>\n";
  }
  out += "</table>\n";
}

void RulesTable(std::string& out, const std::vector<RuleOutcome>& rules) {
  if (rules.empty()) return;
  out +=
      "<h2>rules</h2>\n<table><tr><th>rule</th><th>phase</th><th>BASE</th><th>NEW</th>"
      "<th>limit</th><th>result</th></tr>\n";
  for (const RuleOutcome& r : rules) {
    const bool fail = r.verdict == RuleOutcome::Verdict::kFail;
    const bool skip = r.verdict == RuleOutcome::Verdict::kSkipped;
    out += "<tr>" + Td(EscapeHtml(r.rule)) + Td(EscapeHtml(r.phase)) +
           Td(NumberCell(r.base, false, kAbsent)) + Td(NumberCell(r.now, false, kAbsent)) +
           Td(r.base && r.now ? NumberCell(r.limit, false, kAbsent) : std::string(kAbsent)) +
           Td(std::string(VerdictLabel(r.verdict)) +
                  (r.reason.empty() ? "" : ": " + EscapeHtml(r.reason)),
              fail   ? "fail"
              : skip ? "skip"
                     : "pass") +
           "</tr>\n";
  }
  out += "</table>\n";
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  // Bytes that are not UTF-8 become U+FFFD first; then the XML escaping (which HTML reads alike,
  // &apos; included) and its dropping of control characters.
  std::string valid;
  valid.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      valid += "\xEF\xBF\xBD";
      ++i;
    } else {
      valid.append(text.substr(i, length));
      i += length;
    }
  }
  return XmlEscape(valid);
}

std::string RenderCompareHtml(const Comparison& c) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>teeharness compare: " +
      EscapeHtml(c.new_scenario) + "</title><style>" + kStyle + "</style></head><body>\n";
  out += "<h1>teeharness compare</h1>\n<p>BASE " + EscapeHtml(c.base_source) + " (" +
         EscapeHtml(c.base_scenario) + ", schema_version " + std::to_string(c.base_schema) +
         ")<br>NEW " + EscapeHtml(c.new_source) + " (" + EscapeHtml(c.new_scenario) +
         ", schema_version " + std::to_string(c.new_schema) + ")</p>\n";
  out += std::string("<p class=\"verdict ") + (c.regressions.empty() ? "pass" : "fail") + "\">" +
         (c.regressions.empty() ? std::string("NO REGRESSION")
                                : std::to_string(c.regressions.size()) + " regression" +
                                      (c.regressions.size() == 1 ? "" : "s")) +
         " (exit " + std::to_string(c.exit_code()) + ")</p>\n";
  if (!c.regressions.empty()) {
    out += "<ul>\n";
    for (const std::string& r : c.regressions) out += "<li>" + EscapeHtml(r) + "</li>\n";
    out += "</ul>\n";
  }
  for (const PhaseDelta& phase : c.phases) PhaseTable(out, phase);
  ChecksTable(out, c.checks);
  RulesTable(out, c.rules);
  out += "</body></html>\n";
  return out;
}

}  // namespace teeharness::reports::compare
