#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace teeharness::attestation {

// One hardware check's outcome. A check that could not run is kSkip with its reason, never kPass.
enum class CheckState { kPass, kFail, kSkip };

std::string_view CheckStateName(CheckState state);  // "pass" | "fail" | "skip"

struct CheckResult {
  std::string id;  // QUOTE-FORMAT, QUOTE-SIG, ...
  CheckState state = CheckState::kSkip;
  std::string reason;  // why it failed or was skipped; what was checked when it passed
};

// valid: every check passed; rejected: some check failed; incomplete: none failed, some skipped.
enum class Verdict { kValid, kRejected, kIncomplete };

std::string_view VerdictName(Verdict verdict);
Verdict VerdictOf(const std::vector<CheckResult>& checks);

}  // namespace teeharness::attestation
