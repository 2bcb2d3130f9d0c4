#include "harness/checks/recorder.h"

#include "harness/base/secrets.h"
#include "harness/checks/evidence_text.h"

namespace teeharness::checks {

void Recorder::Record(std::string_view phase, Outcome outcome) {
  if (sink_ != nullptr) sink_->OnOutcome(phase, outcome);
  // Evidence quotes server bytes: cleared of secrets (a server may echo the Authorization header;
  // before the cut, so no prefix of a key survives it), made printable and bounded here, once, for
  // every report.
  if (!outcome.passed) outcome.evidence = PrintableEvidence(RedactSecrets(outcome.evidence));
  std::lock_guard lock(mutex_);
  auto phase_it = tallies_.find(phase);
  if (phase_it == tallies_.end())
    phase_it = tallies_.emplace(std::string(phase), std::map<std::string, Tally>{}).first;
  auto [tally_it, inserted] = phase_it->second.try_emplace(std::string(outcome.id));
  if (inserted) order_[std::string(phase)].push_back(std::string(outcome.id));
  Tally& tally = tally_it->second;
  if (outcome.passed) {
    ++tally.passed;
    return;
  }
  if (outcome.skipped) {
    if (tally.skipped++ == 0) tally.skip_reason = std::move(outcome.evidence);
    return;
  }
  ++tally.failed;
  if (tally.evidence.size() < max_evidence_) tally.evidence.push_back(std::move(outcome.evidence));
}

void Recorder::Record(std::string_view phase, std::vector<Outcome> outcomes) {
  for (Outcome& outcome : outcomes) Record(phase, std::move(outcome));
}

std::vector<std::pair<std::string, Tally>> Recorder::PhaseTallies(std::string_view phase) const {
  std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, Tally>> out;
  const auto tallies = tallies_.find(phase);
  const auto order = order_.find(phase);
  if (tallies == tallies_.end() || order == order_.end()) return out;
  for (const std::string& id : order->second) out.emplace_back(id, tallies->second.at(id));
  return out;
}

uint64_t Recorder::TotalFailures() const {
  std::lock_guard lock(mutex_);
  uint64_t failures = 0;
  for (const auto& [phase, checks] : tallies_) {
    for (const auto& [id, tally] : checks) failures += tally.failed;
  }
  return failures;
}

}  // namespace teeharness::checks
