#include "reports/html/phase_charts.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

namespace teeharness::reports::html {
namespace {

// Request operations (harness/engine/flows.cc) and the per-token figures; the rest of the
// latency map (verify, iteration, ...) is in the phase's table.
const std::set<std::string>& RequestOps() {
  static const std::set<std::string> ops = {"attest", "chat", "signature", "negative", "http"};
  return ops;
}
const std::vector<std::string>& TokenFigures() {
  static const std::vector<std::string> figures = {"ttft", "itl", "tpot"};
  return figures;
}

void AddIfDrawable(std::vector<ChartSpec>& charts, ChartSpec spec) {
  if (DrawablePoints(spec) > 0) charts.push_back(std::move(spec));
}

ChartSpec RateChart(const PhaseView& phase) {
  ChartSpec spec{"Arrivals vs intended rate", {}, AxisUnit::kRate, false, {}, {}};
  ChartSeries achieved{"arrivals/s", {}, false}, completed{"completed/s", {}, false};
  ChartSeries intended{"intended/s", {}, true};
  bool open = false;
  for (const TimelineSample& s : phase.timeline) {
    if (!(s.seconds > 0)) continue;
    achieved.points.emplace_back(s.t, s.arrivals / s.seconds);
    completed.points.emplace_back(s.t, s.completed / s.seconds);
    intended.points.emplace_back(s.t, s.target_rate);
    open = open || s.target_rate > 0;
  }
  spec.series = {achieved, completed};
  if (open) spec.series.push_back(intended);
  return spec;
}

// The ops that have latency in some sample, in the order of the map.
std::set<std::string> TimelineNames(const PhaseView& phase) {
  std::set<std::string> names;
  for (const TimelineSample& s : phase.timeline) {
    for (const auto& [name, window] : s.latency) {
      if (window.count > 0) names.insert(name);
    }
  }
  return names;
}

ChartSpec PercentilesOverTime(const PhaseView& phase, const std::string& name,
                              const std::string& title) {
  ChartSpec spec{title, {}, AxisUnit::kSeconds, false, {}, {}};
  ChartSeries p50{"p50", {}, false}, p95{"p95", {}, false}, p99{"p99", {}, false};
  for (const TimelineSample& s : phase.timeline) {
    const auto it = s.latency.find(name);
    if (it == s.latency.end() || it->second.count == 0) continue;
    p50.points.emplace_back(s.t, it->second.p50);
    p95.points.emplace_back(s.t, it->second.p95);
    p99.points.emplace_back(s.t, it->second.p99);
  }
  spec.series = {p50, p95, p99};
  return spec;
}

// The error kinds drawn one by one, the most frequent first; the others count in "all errors"
// only (the chart stays readable, and its size linear in the timeline's).
constexpr size_t kMaxErrorKinds = 6;

std::set<std::string> TopErrorKinds(const PhaseView& phase) {
  std::map<std::string, uint64_t> totals;
  for (const TimelineSample& s : phase.timeline) {
    for (const auto& [kind, count] : s.errors) totals[kind] += count;
  }
  std::vector<std::pair<uint64_t, std::string>> ranked;
  for (const auto& [kind, total] : totals) ranked.emplace_back(total, kind);
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::set<std::string> kinds;
  for (size_t i = 0; i < ranked.size() && i < kMaxErrorKinds; ++i) kinds.insert(ranked[i].second);
  return kinds;
}

ChartSpec ErrorsChart(const PhaseView& phase) {
  ChartSpec spec{
      "Errors and check failures per step, by kind", {}, AxisUnit::kCount, false, {}, {}};
  ChartSeries all{"all errors", {}, false}, checks{"check failures", {}, false};
  std::map<std::string, ChartSeries> by_kind;
  for (const std::string& kind : TopErrorKinds(phase)) by_kind[kind] = {kind, {}, false};
  for (const TimelineSample& s : phase.timeline) {
    uint64_t total = 0;
    for (const auto& [kind, count] : s.errors) total += count;
    for (auto& [kind, series] : by_kind) {
      const auto it = s.errors.find(kind);
      series.points.emplace_back(s.t, static_cast<double>(it == s.errors.end() ? 0 : it->second));
    }
    all.points.emplace_back(s.t, static_cast<double>(total));
    checks.points.emplace_back(s.t, static_cast<double>(s.check_failures));
  }
  spec.series = {all, checks};
  for (auto& [kind, series] : by_kind) spec.series.push_back(std::move(series));
  return spec;
}

ChartSpec InFlightChart(const PhaseView& phase) {
  ChartSpec spec{"Iterations in flight", {}, AxisUnit::kCount, false, {}, {}};
  ChartSeries in_flight{"in flight", {}, false};
  for (const TimelineSample& s : phase.timeline) {
    in_flight.points.emplace_back(s.t, static_cast<double>(s.in_flight));
  }
  spec.series = {in_flight};
  return spec;
}

// Output tokens per second over time: drawn only when the chats reported tokens.
ChartSpec TokensChart(const PhaseView& phase) {
  ChartSpec spec{"Output tokens per second", {}, AxisUnit::kCount, false, {}, {}};
  ChartSeries rate{"completion tokens/s", {}, false};
  bool any = false;
  for (const TimelineSample& s : phase.timeline) {
    if (!(s.seconds > 0)) continue;
    rate.points.emplace_back(s.t, static_cast<double>(s.completion_tokens) / s.seconds);
    any = any || s.completion_tokens > 0;
  }
  if (any) spec.series = {rate};
  return spec;
}

ChartSpec ScheduleLagChart(const PhaseView& phase) {
  ChartSpec spec{"Schedule lag (open model)", {}, AxisUnit::kSeconds, false, {}, {}};
  ChartSeries p99{"p99", {}, false}, max{"max", {}, false};
  bool any = false;
  for (const TimelineSample& s : phase.timeline) {
    if (s.arrivals == 0) continue;
    p99.points.emplace_back(s.t, s.schedule_lag_p99);
    max.points.emplace_back(s.t, s.schedule_lag_max);
    any = any || s.schedule_lag_max > 0;
  }
  if (any) spec.series = {p99, max};
  return spec;
}

// x = -log10(1 - q): p50, p90, p95 and p99 spread out like an HdrHistogram percentile plot; the
// maximum sits one decade past p99.
ChartSpec DistributionChart(const PhaseView& phase) {
  ChartSpec spec{
      "Latency distribution per op (percentile curve, log scale)",
      "percentile",
      AxisUnit::kSeconds,
      true,
      {{std::log10(2), "p50"}, {1, "p90"}, {std::log10(20), "p95"}, {2, "p99"}, {3, "max"}},
      {}};
  for (const LatencyRow& row : phase.latency) {
    if (!RequestOps().count(row.name) &&
        std::find(TokenFigures().begin(), TokenFigures().end(), row.name) == TokenFigures().end()) {
      continue;
    }
    ChartSeries series{row.name, {}, false};
    const std::pair<double, std::optional<double>> at[] = {{std::log10(2), row.p50},
                                                           {1, row.p90},
                                                           {std::log10(20), row.p95},
                                                           {2, row.p99},
                                                           {3, row.max}};
    for (const auto& [x, y] : at) {
      if (y) series.points.emplace_back(x, *y);
    }
    if (row.count.value_or(0) > 0) spec.series.push_back(std::move(series));
  }
  return spec;
}

}  // namespace

std::vector<ChartSpec> PhaseCharts(const PhaseView& phase) {
  std::vector<ChartSpec> charts;
  // One sample (a phase shorter than a step) is no line over time; its figures are in the tables.
  if (phase.timeline.size() >= 2) {
    AddIfDrawable(charts, RateChart(phase));
    const std::set<std::string> names = TimelineNames(phase);
    for (const std::string& op : names) {
      if (RequestOps().count(op)) {
        AddIfDrawable(charts, PercentilesOverTime(phase, op, op + " latency over time"));
      }
    }
    AddIfDrawable(charts, ErrorsChart(phase));
    AddIfDrawable(charts, InFlightChart(phase));
    AddIfDrawable(charts, ScheduleLagChart(phase));
    AddIfDrawable(charts, TokensChart(phase));
    for (const std::string& figure : TokenFigures()) {
      if (names.count(figure)) {
        AddIfDrawable(charts, PercentilesOverTime(phase, figure, figure + " over time"));
      }
    }
  }
  AddIfDrawable(charts, DistributionChart(phase));
  return charts;
}

}  // namespace teeharness::reports::html
