#pragma once

#include <string>

#include "reports/run_result.h"

namespace teeharness::reports {

// The `--report-json` document. Its schema is stable and documented in README.md ("JSON report"):
// schema_version 1. Numbers are written locale-independently. Thread-safe (pure).
std::string RenderJsonReport(const RunResult& run);

}  // namespace teeharness::reports
