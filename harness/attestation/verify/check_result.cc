#include "harness/attestation/verify/check_result.h"

namespace teeharness::attestation {

std::string_view CheckStateName(CheckState state) {
  switch (state) {
    case CheckState::kPass:
      return "pass";
    case CheckState::kFail:
      return "fail";
    case CheckState::kSkip:
      return "skip";
  }
  return "skip";
}

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kValid:
      return "valid";
    case Verdict::kRejected:
      return "rejected";
    case Verdict::kIncomplete:
      return "incomplete";
  }
  return "rejected";
}

Verdict VerdictOf(const std::vector<CheckResult>& checks) {
  bool skipped = false;
  for (const CheckResult& check : checks) {
    if (check.state == CheckState::kFail) return Verdict::kRejected;
    if (check.state == CheckState::kSkip) skipped = true;
  }
  // No check at all proves nothing: that is incomplete, not valid.
  return skipped || checks.empty() ? Verdict::kIncomplete : Verdict::kValid;
}

}  // namespace teeharness::attestation
