#include "reports/run_result.h"

namespace teeharness::reports {

std::vector<CheckTally> MergeCheckTallies(const std::vector<PhaseResult>& phases,
                                          size_t max_evidence) {
  std::vector<CheckTally> merged;
  std::map<std::string, size_t> index;
  for (const PhaseResult& phase : phases) {
    for (const CheckTally& tally : phase.checks) {
      auto [it, inserted] = index.emplace(tally.id, merged.size());
      if (inserted) merged.push_back(CheckTally{tally.id, 0, 0, {}});
      CheckTally& target = merged[it->second];
      target.passed += tally.passed;
      target.failed += tally.failed;
      target.skipped += tally.skipped;
      if (target.skip_reason.empty()) target.skip_reason = tally.skip_reason;
      for (const std::string& evidence : tally.evidence) {
        if (target.evidence.size() >= max_evidence) break;
        target.evidence.push_back(evidence);
      }
    }
  }
  return merged;
}

}  // namespace teeharness::reports
