#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "harness/checks/outcome.h"

namespace teeharness::checks {

// Pass/fail counts of one check and the evidence of its first failures.
struct Tally {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  std::vector<std::string> evidence;
  std::string skip_reason;  // the first skip's reason
};

// Where outcomes also go as they happen (the metrics registry's teeharness_checks_total counter).
// Implementations must be thread-safe.
class OutcomeSink {
 public:
  virtual ~OutcomeSink() = default;
  virtual void OnOutcome(std::string_view phase, const Outcome& outcome) = 0;
};

// Collects outcomes per phase and check id, keeping the evidence of the first `max_evidence`
// failures of each. Thread-safe: workers record concurrently (a mutex guards the maps; checks run a
// few times per request, far below lock contention levels, and evidence strings are moved in).
class Recorder {
 public:
  explicit Recorder(size_t max_evidence = 5, OutcomeSink* sink = nullptr)
      : max_evidence_(max_evidence), sink_(sink) {}

  // Set before recording starts (not synchronised with Record).
  void set_sink(OutcomeSink* sink) { sink_ = sink; }

  void Record(std::string_view phase, Outcome outcome);
  void Record(std::string_view phase, std::vector<Outcome> outcomes);

  // Tallies of one phase, in catalog order of first appearance.
  std::vector<std::pair<std::string, Tally>> PhaseTallies(std::string_view phase) const;
  uint64_t TotalFailures() const;

 private:
  size_t max_evidence_;
  OutcomeSink* sink_;
  mutable std::mutex mutex_;
  // phase -> (check id -> tally); the order vector keeps ids in first-seen order per phase.
  std::map<std::string, std::map<std::string, Tally>, std::less<>> tallies_;
  std::map<std::string, std::vector<std::string>, std::less<>> order_;
};

}  // namespace teeharness::checks
