#pragma once

#include <vector>

#include "reports/html/report_document.h"
#include "reports/html/svg_chart.h"

namespace teeharness::reports::html {

// The charts of one phase, built from its timeline and latency summaries: achieved vs intended
// rate, latency percentiles of each request op over time, errors (and check failures) over time
// by kind, in-flight count, schedule lag (open model), TTFT/ITL/TPOT over time, and each op's
// latency distribution as a percentile curve on a log scale. Only charts with data are returned
// (a phase without TTFT gets no TTFT chart), and charts over time only for a timeline of at least
// two samples. Thread-safe (pure).
std::vector<ChartSpec> PhaseCharts(const PhaseView& phase);

}  // namespace teeharness::reports::html
