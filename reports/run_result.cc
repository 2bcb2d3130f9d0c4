#include "reports/run_result.h"

#include <algorithm>
#include <iterator>

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

namespace {

void MergeSorted(const std::vector<std::string>& from, std::vector<std::string>& into) {
  std::vector<std::string> merged;
  std::set_union(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(merged));
  into = std::move(merged);
}

}  // namespace

void MergeAttestationSummary(const AttestationSummary& from, AttestationSummary& into) {
  into.quotes += from.quotes;
  into.collateral_fetches += from.collateral_fetches;
  into.collateral_disk_hits += from.collateral_disk_hits;
  into.collateral_fetch_failures += from.collateral_fetch_failures;
  for (const auto& [verdict, count] : from.verdicts) into.verdicts[verdict] += count;
  for (const auto& [status, count] : from.tcb_status) into.tcb_status[status] += count;
  MergeSorted(from.advisory_ids, into.advisory_ids);
  MergeSorted(from.fmspc, into.fmspc);
  MergeSorted(from.tdx_module_ids, into.tdx_module_ids);
}

}  // namespace teeharness::reports
