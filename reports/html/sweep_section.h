#pragma once

#include <string>
#include <vector>

#include "reports/html/report_document.h"

namespace teeharness::reports::html {

// The page's "Sweeps" section: per sweep, a row per step that ran (offered load, achieved rate,
// goodput, verified goodput, TTFT p95, output tokens/s, SLO met, stop_when), the capacity found,
// and two charts: TTFT p95 against the achieved rate, and (verified) goodput against the offered
// load. Empty when the report has no sweep. Every text is escaped. Thread-safe (pure).
std::string SweepSection(const std::vector<SweepView>& sweeps);

}  // namespace teeharness::reports::html
