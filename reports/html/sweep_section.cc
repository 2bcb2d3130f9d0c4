#include "reports/html/sweep_section.h"

#include "reports/html/html_escape.h"
#include "reports/html/number_format.h"
#include "reports/html/svg_chart.h"

namespace teeharness::reports::html {
namespace {

std::string Num(const std::optional<double>& v) { return v ? FormatNumber(*v) : "-"; }
std::string Sec(const std::optional<double>& v) { return v ? FormatSeconds(*v) : "-"; }

// The latency knee: where TTFT climbs as the achieved rate stops following the offered load.
ChartSpec LatencyAgainstThroughput(const SweepView& sweep) {
  ChartSpec spec{
      "TTFT p95 against achieved rate", "achieved rate (/s)", AxisUnit::kSeconds, false, {}, {}};
  ChartSeries ttft{"ttft p95", {}, false};
  for (const SweepStepRow& s : sweep.steps) {
    if (s.achieved_rate && s.ttft_p95) ttft.points.emplace_back(*s.achieved_rate, *s.ttft_p95);
  }
  if (!ttft.points.empty()) spec.series = {ttft};
  return spec;
}

ChartSpec GoodputAgainstOffered(const SweepView& sweep) {
  ChartSpec spec{"Goodput against offered load",
                 sweep.over == "concurrency" ? "offered load (users)" : "offered load (/s)",
                 AxisUnit::kRate,
                 false,
                 {},
                 {}};
  ChartSeries all{"goodput", {}, false}, verified{"verified goodput", {}, true};
  for (const SweepStepRow& s : sweep.steps) {
    if (!s.offered) continue;
    if (s.goodput) all.points.emplace_back(*s.offered, *s.goodput);
    if (s.verified_goodput) verified.points.emplace_back(*s.offered, *s.verified_goodput);
  }
  if (!all.points.empty()) spec.series = {all, verified};
  return spec;
}

std::string StepRow(const SweepStepRow& s) {
  std::string out = "<tr><td><code>" + EscapeHtml(s.phase) + "</code></td>";
  for (const std::string& cell :
       {Num(s.offered), Num(s.achieved_rate), Num(s.goodput), Num(s.verified_goodput),
        Sec(s.ttft_p95), Num(s.output_tokens_per_second)}) {
    out += "<td class=\"n\">" + cell + "</td>";
  }
  out += std::string("<td>") + (s.met_slo ? "yes" : "no") + "</td><td>" +
         (s.stopped ? "<span class=\"bad\">stopped</span>" : "") + "</td></tr>";
  return out;
}

std::string Sweep(const SweepView& sweep) {
  std::string out =
      "<h3>Sweep " + EscapeHtml(sweep.name) + " <span class=\"note\">over " +
      EscapeHtml(sweep.over) + "</span></h3>\n<p>Capacity: " +
      (sweep.capacity_offered ? "<b>" + Num(sweep.capacity_offered) + "</b>"
                              : std::string("none found")) +
      (sweep.capacity_note.empty() ? "" : " (" + EscapeHtml(sweep.capacity_note) + ")") +
      "</p>\n<table><tr><th>step</th><th>offered</th><th>achieved/s</th>"
      "<th>goodput/s</th><th>verified goodput/s</th><th>ttft p95</th>"
      "<th>tokens/s</th><th>met SLO</th><th>stop_when</th></tr>";
  for (const SweepStepRow& s : sweep.steps) out += StepRow(s);
  out += "</table>\n<div class=\"charts\">\n";
  for (const ChartSpec& chart : {LatencyAgainstThroughput(sweep), GoodputAgainstOffered(sweep)}) {
    if (DrawablePoints(chart) > 0) out += RenderChart(chart);
  }
  return out + "</div>\n";
}

}  // namespace

std::string SweepSection(const std::vector<SweepView>& sweeps) {
  if (sweeps.empty()) return {};
  std::string out = "<h2 id=\"sweeps\">Sweeps</h2>\n";
  for (const SweepView& sweep : sweeps) out += Sweep(sweep);
  return out;
}

}  // namespace teeharness::reports::html
