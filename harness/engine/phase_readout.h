#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "reports/latency_histogram.h"
#include "reports/run_metrics.h"

namespace teeharness::engine {

// What one phase measured, read back from the metrics registry once the phase is over. The flows
// record only into the registry, so the JSON report, the terminal summary, the thresholds and a
// Prometheus scrape all show the same counts and the same observations. Value type.
struct PhaseMeasurements {
  std::string name;
  // Report name -> fine histogram: each request op (attest, chat, signature, negative, http),
  // ttft, itl, tpot, signature_ready, verify (all algorithms), iteration, iteration_uncorrected,
  // retention_window, schedule_lag. Only what has observations.
  std::map<std::string, reports::LatencyHistogram> latency;
  std::map<std::string, uint64_t> errors;    // kind -> error events
  std::map<std::string, uint64_t> outcomes;  // "succeeded" or a failure kind -> iterations
  uint64_t requests = 0;
  uint64_t arrivals = 0;  // started + dropped
  uint64_t dropped = 0;
  uint64_t retries = 0;  // signature fetches answered 404 within the readiness window, sent again
  uint64_t check_passed = 0;
  uint64_t check_failed = 0;
  uint64_t prompt_tokens = 0;
  uint64_t completion_tokens = 0;
  uint64_t estimated_tokens = 0;  // of completion_tokens: counted from chunks, no usage
  double seconds = 0;             // the phase's length (set by the runner once it is over)
  // Completed chats judged against the phase's SLO (none without one; has_slo set by the runner).
  bool has_slo = false;
  uint64_t slo_met_verified = 0;
  uint64_t slo_met_unverified = 0;
  uint64_t slo_missed = 0;

  uint64_t succeeded() const;
  uint64_t failed() const;  // every outcome but "succeeded"
};

// Reads the series of `phase` (and `scenario`) from every family of `metrics`. Thread-safe (the
// registry is); call it after the phase's workers are idle for a consistent picture.
PhaseMeasurements ReadPhase(const reports::RunMetrics& metrics, const std::string& scenario,
                            const std::string& phase);

}  // namespace teeharness::engine
