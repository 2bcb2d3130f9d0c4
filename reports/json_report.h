#pragma once

#include <cstdint>
#include <string>

#include "reports/run_result.h"

namespace teeharness::reports {

// The `--report-json` document's schema version. 2 added each phase's timeline_step_seconds and
// timeline[] (README "JSON report"); a reader of version 1 ignores them.
inline constexpr uint64_t kJsonSchemaVersion = 2;

// The `--report-json` document. Its schema is stable and documented in README.md ("JSON report").
// Numbers are written locale-independently. Thread-safe (pure).
std::string RenderJsonReport(const RunResult& run);

}  // namespace teeharness::reports
