#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "harness/scenario/loader.h"
#include "reports/run_result.h"

namespace teeharness::reports {
class RequestLog;
}  // namespace teeharness::reports

namespace teeharness::engine {

struct RunOptions {
  std::string scenario_path;
  std::vector<scenario::Override> overrides;
  unsigned workers = 0;  // 0: one per core
  unsigned segment_index = 1;
  unsigned segment_count = 1;
  bool quiet = false;
  bool progress_tty = false;  // live single-line progress instead of periodic lines
  // Each flow phase's timeline step (--timeline-step; README "Timeline").
  std::chrono::nanoseconds timeline_step = std::chrono::seconds(1);
  // --requests-out: one line per request is submitted to it (owned by the caller, who finishes it
  // after the run). Null: none.
  reports::RequestLog* request_log = nullptr;
};

}  // namespace teeharness::engine

namespace teeharness::reports {
struct RunMetrics;
}  // namespace teeharness::reports

namespace teeharness::engine {

// Runs a scenario end to end: loads it, starts the built-in mock when there is no target, drives
// every phase on the workers, applies checks and thresholds, and fills `result` (also when
// interrupted or when a start-up step fails after measuring began). Returns the exit code:
// 0 all passed, 1 a check/threshold failed or the run was interrupted, 2 bad scenario or usage
// (nothing sent). `interrupt` is set by SIGINT/SIGTERM. Call from the main thread.
// `metrics` receives every figure as it is measured (the families of DESIGN.md "Metrics").
int ExecuteRun(const RunOptions& options, const std::atomic<bool>& interrupt,
               const reports::RunMetrics& metrics, reports::RunResult* result);

}  // namespace teeharness::engine
