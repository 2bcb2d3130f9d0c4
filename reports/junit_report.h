#pragma once

#include <string>

#include "reports/run_result.h"

namespace teeharness::reports {

// `--junit FILE`: one <testsuite> per phase with one <testcase> per check (a <failure> carrying the
// evidence when it failed), plus a "thresholds" suite. Thread-safe (pure).
std::string RenderJunitReport(const RunResult& run);

// XML-escapes text for attributes and character data; drops characters XML 1.0 cannot carry.
std::string XmlEscape(std::string_view text);

}  // namespace teeharness::reports
