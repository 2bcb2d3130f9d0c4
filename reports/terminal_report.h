#pragma once

#include <string>

#include "reports/run_result.h"

namespace teeharness::reports {

// The end-of-run terminal summary: per phase requests, achieved rate, dropped, latency
// p50/p90/p99/max per operation; the checks table with pass/fail counts and the first evidence of
// each failure; thresholds; the verdict. Plain text, no colour codes. Thread-safe (pure).
std::string RenderTerminalSummary(const RunResult& run);

}  // namespace teeharness::reports
