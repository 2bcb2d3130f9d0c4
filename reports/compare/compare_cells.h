#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "reports/compare/comparison.h"

namespace teeharness::reports::compare {

// How the outputs write a comparison's values (the table and the page alike). Thread-safe (pure).

// "%.6g" (with a sign when `sign`), or `absent`.
std::string NumberCell(const std::optional<double>& value, bool sign, std::string_view absent);
// "+12.3%", or `absent`.
std::string PercentCell(const std::optional<double>& value, std::string_view absent);
// "passed<sep>failed<sep>skipped", or `absent`.
std::string CountsCell(const std::optional<CheckCounts>& counts, std::string_view separator,
                       std::string_view absent);
// "pass", "fail", "skipped" (the --json spelling).
std::string_view VerdictName(RuleOutcome::Verdict verdict);
// "PASS", "FAIL", "SKIP" (the table and the page).
std::string_view VerdictLabel(RuleOutcome::Verdict verdict);

}  // namespace teeharness::reports::compare
