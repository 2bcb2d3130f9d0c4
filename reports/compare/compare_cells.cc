#include "reports/compare/compare_cells.h"

#include <cstdio>

namespace teeharness::reports::compare {

std::string NumberCell(const std::optional<double>& value, bool sign, std::string_view absent) {
  if (!value) return std::string(absent);
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), sign ? "%+.6g" : "%.6g", *value);
  return buffer;
}

std::string PercentCell(const std::optional<double>& value, std::string_view absent) {
  if (!value) return std::string(absent);
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%+.1f%%", *value);
  return buffer;
}

std::string CountsCell(const std::optional<CheckCounts>& counts, std::string_view separator,
                       std::string_view absent) {
  if (!counts) return std::string(absent);
  return std::to_string(counts->passed) + std::string(separator) + std::to_string(counts->failed) +
         std::string(separator) + std::to_string(counts->skipped);
}

std::string_view VerdictName(RuleOutcome::Verdict verdict) {
  switch (verdict) {
    case RuleOutcome::Verdict::kPass:
      return "pass";
    case RuleOutcome::Verdict::kFail:
      return "fail";
    case RuleOutcome::Verdict::kSkipped:
      return "skipped";
  }
  return "?";
}

std::string_view VerdictLabel(RuleOutcome::Verdict verdict) {
  switch (verdict) {
    case RuleOutcome::Verdict::kPass:
      return "PASS";
    case RuleOutcome::Verdict::kFail:
      return "FAIL";
    case RuleOutcome::Verdict::kSkipped:
      return "SKIP";
  }
  return "?";
}

}  // namespace teeharness::reports::compare
