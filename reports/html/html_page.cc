#include "reports/html/html_page.h"

#include <optional>
#include <string>

#include "reports/html/html_escape.h"
#include "reports/html/number_format.h"
#include "reports/html/phase_charts.h"
#include "reports/html/svg_chart.h"
#include "reports/html/sweep_section.h"
#include "reports/json_report.h"

namespace teeharness::reports::html {
namespace {

// Evidences shown per failing check (the JSON report keeps the first few).
constexpr size_t kEvidenceShown = 5;

constexpr const char* kStyle = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:1360px;margin:0 auto;padding:16px 24px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de}
h3{font-size:16px;margin:20px 0 6px}
table{border-collapse:collapse;margin:6px 0;font-size:13px}
th,td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;font-weight:700;color:#fff}
.pass{background:#1a7f37}.fail{background:#cf222e}.unknown{background:#6e7781}
tr.failed td{background:#ffebe9}tr.skipped td{background:#fff8c5}
pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:6px;margin:4px 0;
font-size:12px;max-height:240px;overflow:auto}
code{font-size:12px;word-break:break-all}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:8px}
figure.chart{margin:0;border:1px solid #d0d7de;padding:4px}
figcaption{font-size:13px;font-weight:600;padding:2px 4px}
svg.chart{width:100%;height:auto;font-size:11px}
svg.chart .grid{stroke:#eaeef2}svg.chart .axis{stroke:#57606a}
svg.chart text{fill:#57606a}svg.chart .label{font-size:12px}
.note{color:#57606a;font-size:13px}.bad{color:#cf222e;font-weight:600}
)css";

std::string E(std::string_view text) { return EscapeHtml(text); }

std::string Num(const std::optional<double>& v) { return v ? FormatNumber(*v) : "-"; }
std::string Sec(const std::optional<double>& v) { return v ? FormatSeconds(*v) : "-"; }
std::string Num(uint64_t v) { return std::to_string(v); }

std::string Row(std::initializer_list<std::string> cells, const std::string& cls = "") {
  std::string out = cls.empty() ? "<tr>" : "<tr class=\"" + cls + "\">";
  for (const std::string& cell : cells) out += "<td>" + cell + "</td>";
  return out + "</tr>";
}

std::string NumRow(std::initializer_list<std::string> cells, const std::string& cls = "") {
  // The first cell is a name; the others numbers.
  std::string out = cls.empty() ? "<tr>" : "<tr class=\"" + cls + "\">";
  bool first = true;
  for (const std::string& cell : cells) {
    out += (first ? "<td>" : "<td class=\"n\">") + cell + "</td>";
    first = false;
  }
  return out + "</tr>";
}

std::string Head(std::initializer_list<const char*> names) {
  std::string out = "<tr>";
  for (const char* name : names) out += std::string("<th>") + name + "</th>";
  return out + "</tr>";
}

struct Verdict {
  std::string text, cls;
};

Verdict VerdictOf(const ReportDocument& r) {
  if (r.aborted) return {"ABORTED", "fail"};
  if (r.interrupted) return {"INTERRUPTED", "fail"};
  if (!r.exit_code) return {"UNKNOWN (no exit_code)", "unknown"};
  if (*r.exit_code == 0) return {"PASSED", "pass"};
  return {"FAILED", "fail"};
}

std::string Header(const ReportDocument& r) {
  const Verdict verdict = VerdictOf(r);
  std::string out =
      "<h1>teeharness report: " + E(r.scenario_name.empty() ? "(unnamed)" : r.scenario_name) +
      "</h1>\n<p><span class=\"verdict " + verdict.cls + "\" id=\"verdict\">" + verdict.text +
      "</span> exit code " + (r.exit_code ? std::to_string(*r.exit_code) : std::string("-")) +
      "</p>\n";
  out += "<table class=\"header\">";
  out += Row({"scenario", E(r.scenario_name)});
  // The target's URL is text, never a link (and the JSON report never holds a key).
  out += Row({"target", "<code>" + E(r.target_url) + "</code>" +
                            (r.builtin_mock.value_or(false) ? " (built-in mock)" : "")});
  out += Row({"dialect", E(r.dialect)});
  out += Row({"model", E(r.model)});
  out += Row(
      {"teeharness",
       E(r.tool_version) + (r.libcurl_version.empty() ? "" : ", libcurl " + E(r.libcurl_version))});
  out += Row({"started", E(r.started_at)});
  out += Row({"duration", Sec(r.duration_seconds)});
  out += Row({"scenario SHA-256", "<code>" + E(r.scenario_sha256) + "</code>"});
  out += Row(
      {"schema_version", r.schema_version ? std::to_string(*r.schema_version) : std::string("-")});
  out += "</table>\n";
  if (!r.schema_version) {
    out +=
        "<p class=\"note\">The document has no schema_version: shown as far as it is "
        "understood.</p>\n";
  } else if (*r.schema_version > static_cast<int64_t>(kJsonSchemaVersion)) {
    out += "<p class=\"note\">schema_version " + std::to_string(*r.schema_version) +
           " is newer than this teeharness knows (" + std::to_string(kJsonSchemaVersion) +
           "): members it does not know are listed as they are.</p>\n";
  }
  return out;
}

std::string KeyValues(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out = "<table>";
  for (const auto& [name, text] : members) out += Row({E(name), "<code>" + E(text) + "</code>"});
  return out + "</table>\n";
}

std::string Abort(const ReportDocument& r) {
  if (!r.aborted && r.abort.empty()) return "";
  return "<h2 id=\"abort\">Abort</h2>\n" + KeyValues(r.abort);
}

std::string Thresholds(const ReportDocument& r) {
  std::string out = "<h2 id=\"thresholds\">Thresholds</h2>\n";
  if (r.thresholds.empty()) return out + "<p class=\"note\">No thresholds.</p>\n";
  out += "<table>" + Head({"metric", "expression", "observed", "result"});
  for (const ThresholdRow& t : r.thresholds) {
    const bool failed = t.passed.has_value() && !*t.passed;
    const std::string result = !t.passed ? "-" : *t.passed ? "passed" : "FAILED";
    out += NumRow({E(t.metric), E(t.expression), t.has_data ? Num(t.observed) : "no data", result},
                  failed ? "failed" : "");
  }
  return out + "</table>\n";
}

std::string Checks(const ReportDocument& r) {
  std::string out = "<h2 id=\"checks\">Checks</h2>\n";
  if (r.checks.empty()) return out + "<p class=\"note\">No check ran.</p>\n";
  out += "<table class=\"checks\">" + Head({"id", "passed", "failed", "skipped", "skip reason"});
  for (const CheckRow& c : r.checks) {
    const std::string cls =
        c.failed > 0 ? "failed" : (c.passed == 0 && c.skipped > 0 ? "skipped" : "");
    out += NumRow({"<code>" + E(c.id) + "</code>", Num(c.passed), Num(c.failed), Num(c.skipped),
                   E(c.skip_reason)},
                  cls);
  }
  out += "</table>\n";
  for (const CheckRow& c : r.checks) {
    if (c.failed == 0) continue;
    out += "<h3 class=\"evidence\">" + E(c.id) + ": first evidence</h3>\n";
    if (c.evidence.empty()) out += "<p class=\"note\">No evidence recorded.</p>\n";
    for (size_t i = 0; i < c.evidence.size() && i < kEvidenceShown; ++i) {
      out += "<pre class=\"evidence\">" + E(c.evidence[i]) + "</pre>\n";
    }
  }
  return out;
}

std::string Attestation(const ReportDocument& r) {
  std::string out = "<h2 id=\"attestation\">Attestation</h2>\n";
  if (r.attestation.empty()) {
    out += "<p class=\"note\">The report has no attestation summary.</p>\n";
  } else {
    out += KeyValues(r.attestation);
  }
  if (!r.signing_addresses.empty()) {
    out += "<p>Signing addresses, as first attested and at each change" +
           (r.signing_address_changes
                ? " (" + FormatNumber(*r.signing_address_changes) + " change(s) in all)"
                : std::string()) +
           ":</p><table class=\"addresses\">" +
           Head({"address", "restarts before", "phase", "seen at"});
    for (const SightingRow& s : r.signing_addresses) {
      out += NumRow(
          {"<code>" + E(s.address) + "</code>", Num(s.epoch), E(s.phase), Sec(s.at_seconds)});
    }
    out += "</table>\n";
  }
  // Restarts are phases; the address checks say whether the signing key behaved across them.
  std::string restarts;
  for (const PhaseView& p : r.phases) {
    if (p.kind == "restart_target") restarts += "<li>" + E(p.name) + "</li>";
  }
  out += restarts.empty() ? "<p class=\"note\">No restart in this run.</p>\n"
                          : "<p>Restarts:</p><ul>" + restarts + "</ul>\n";
  std::string addresses;
  for (const CheckRow& c : r.checks) {
    if (c.id.rfind("ADDR-", 0) != 0) continue;
    addresses +=
        NumRow({"<code>" + E(c.id) + "</code>", Num(c.passed), Num(c.failed), Num(c.skipped)},
               c.failed > 0 ? "failed" : "");
  }
  if (!addresses.empty()) {
    out +=
        "<p>Signing address checks (a change between restarts fails ADDR-STABLE, with the "
        "addresses in its evidence):</p><table>" +
        Head({"id", "passed", "failed", "skipped"}) + addresses + "</table>\n";
  }
  return out;
}

std::string Accounting(const PhaseView& p) {
  if (!p.accounting.present) return "";
  const AccountingView& a = p.accounting;
  std::string failed;
  uint64_t failed_total = 0;
  for (const auto& [kind, count] : a.failed) {
    failed += " + " + Num(count) + " failed (" + E(kind) + ")";
    failed_total += count;
  }
  const bool holds = a.unaccounted == 0 && a.arrivals == a.succeeded + failed_total + a.dropped;
  return "<p class=\"accounting\">Accounting: " + Num(a.arrivals) +
         " arrivals = " + Num(a.succeeded) + " succeeded" + failed + " + " + Num(a.dropped) +
         " dropped " +
         (holds ? "(holds)"
                : "<span class=\"bad\">(does not hold: " + std::to_string(a.unaccounted) +
                      " unaccounted)</span>") +
         "</p>\n";
}

std::string LatencyTable(const PhaseView& p) {
  if (p.latency.empty()) return "";
  std::string out = "<table class=\"latency\">" +
                    Head({"latency", "count", "mean", "p50", "p90", "p95", "p99", "max"});
  for (const LatencyRow& l : p.latency) {
    out += NumRow({E(l.name), Num(l.count), Sec(l.mean), Sec(l.p50), Sec(l.p90), Sec(l.p95),
                   Sec(l.p99), Sec(l.max)});
  }
  return out + "</table>\n";
}

std::string Counts(const std::map<std::string, uint64_t>& counts, const char* title) {
  if (counts.empty()) return "";
  std::string out = std::string("<table>") + Head({title, "count"});
  for (const auto& [kind, count] : counts) out += NumRow({E(kind), Num(count)});
  return out + "</table>\n";
}

std::string PhaseFailedChecks(const PhaseView& p) {
  std::string rows;
  for (const CheckRow& c : p.checks) {
    if (c.failed > 0)
      rows += NumRow({"<code>" + E(c.id) + "</code>", Num(c.passed), Num(c.failed)});
  }
  if (rows.empty()) return "";
  return "<table>" + Head({"failing check", "passed", "failed"}) + rows + "</table>\n";
}

std::string Phase(const PhaseView& p, size_t index) {
  std::string out = "<section class=\"phase\" id=\"phase-" + std::to_string(index) +
                    "\"><h2>Phase " + E(p.name) + " <span class=\"note\">" + E(p.kind) +
                    "</span></h2>\n";
  out += "<p>" + Sec(p.duration_seconds) + ", " + Num(p.requests) + " requests, " +
         Num(p.iterations) + " iterations, " + Num(p.rate) + "/s achieved";
  if (p.target_rate.value_or(0) > 0) out += " of " + Num(p.target_rate) + "/s intended";
  out += ", " + Num(p.dropped) + " dropped, " + Num(p.retries) + " signature retries";
  if (p.aborted) out += ", <span class=\"bad\">aborted</span>";
  if (p.interrupted) out += ", <span class=\"bad\">interrupted</span>";
  out += "</p>\n" + Accounting(p);
  const std::vector<ChartSpec> charts = PhaseCharts(p);
  if (p.timeline_step_seconds) {
    out += "<p class=\"note\">Timeline: " + std::to_string(p.timeline.size()) +
           " sample(s), one per " + FormatSeconds(*p.timeline_step_seconds) +
           (p.timeline.size() < 2 ? " (too few for charts over time)" : "") + ".</p>\n";
  }
  if (!charts.empty()) {
    out += "<div class=\"charts\">\n";
    for (const ChartSpec& chart : charts) out += RenderChart(chart);
    out += "</div>\n";
  } else if (p.kind != "restart_target" && p.kind != "sleep") {
    out += "<p class=\"note\">No timeline or latency in this phase.</p>\n";
  }
  out += LatencyTable(p) + Counts(p.errors, "error kind") + PhaseFailedChecks(p);
  if (!p.other.empty()) out += "<p>Other figures:</p>" + KeyValues(p.other);
  return out + "</section>\n";
}

}  // namespace

std::string RenderHtmlPage(const ReportDocument& r) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      // Nothing may be loaded: the page is self-contained and works offline.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<link rel=\"icon\" href=\"data:,\">\n<title>teeharness: " +
      E(r.scenario_name) + "</title>\n<style>" + kStyle + "</style></head>\n<body><main>\n";
  out += Header(r) + Abort(r) + Thresholds(r) + Checks(r) + Attestation(r) + SweepSection(r.sweeps);
  for (size_t i = 0; i < r.phases.size(); ++i) out += Phase(r.phases[i], i);
  if (r.phases.empty()) out += "<p class=\"note\">The report has no phases.</p>\n";
  if (!r.other.empty()) out += "<h2>Other members</h2>\n" + KeyValues(r.other);
  out +=
      "<p class=\"note\">Rendered by teeharness from the JSON report.</p>\n</main></body></html>\n";
  return out;
}

}  // namespace teeharness::reports::html
