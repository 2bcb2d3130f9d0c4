#include "reports/run_result.h"

#include <algorithm>
#include <iterator>
#include <tuple>

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

using GpuFirmware = AttestationSummary::GpuFirmware;
using DstackIdentity = AttestationSummary::DstackIdentity;

// Adds `from`'s counts into `into`, both sorted by `key` and unique, keeping them so.
template <typename T, typename Key, typename Count>
void MergeCounted(const std::vector<T>& from, std::vector<T>& into, Key key, Count count) {
  for (const T& item : from) {
    auto it = std::lower_bound(into.begin(), into.end(), item,
                               [&](const T& a, const T& b) { return key(a) < key(b); });
    if (it != into.end() && key(*it) == key(item)) {
      count(*it) += count(item);
    } else {
      into.insert(it, item);
    }
  }
}

}  // namespace

void MergeGpuFirmware(const std::vector<GpuFirmware>& from, std::vector<GpuFirmware>& into) {
  MergeCounted(
      from, into, [](const GpuFirmware& f) { return std::tie(f.driver, f.vbios); },
      [](auto& f) -> auto& { return f.evidences; });
}

void MergeDstackIdentities(const std::vector<DstackIdentity>& from,
                           std::vector<DstackIdentity>& into) {
  MergeCounted(
      from, into,
      [](const DstackIdentity& d) {
        return std::tie(d.app_id, d.instance_id, d.compose_hash, d.os_image_hash, d.key_provider);
      },
      [](auto& d) -> auto& { return d.reports; });
}

void MergeMeasurements(const std::vector<AttestationSummary::Measurements>& from,
                       std::vector<AttestationSummary::Measurements>& into) {
  MergeCounted(
      from, into,
      [](const AttestationSummary::Measurements& m) {
        return std::tie(m.mrtd, m.rtmr0, m.rtmr1, m.rtmr2, m.rtmr3);
      },
      [](auto& m) -> auto& { return m.quotes; });
}

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
  into.gpu_reports += from.gpu_reports;
  for (const auto& [verdict, count] : from.gpu_verdicts) into.gpu_verdicts[verdict] += count;
  for (const auto& [verdict, count] : from.dstack_verdicts) into.dstack_verdicts[verdict] += count;
  MergeGpuFirmware(from.gpu_firmware, into.gpu_firmware);
  MergeDstackIdentities(from.dstack, into.dstack);
  MergeMeasurements(from.measurements, into.measurements);
}

}  // namespace teeharness::reports
