#pragma once

#include <map>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace teeharness::testing {

// The outcome of `teeharness run ...` as the tests read it: exit code, output, and the JSON
// report's per-check counts.
struct RunOutcome {
  ProcessResult process;
  std::map<std::string, std::pair<uint64_t, uint64_t>> checks;  // id -> passed, failed
  std::map<std::string, uint64_t> skipped;                      // id -> skipped
  std::map<std::string, uint64_t> errors;                       // summed over phases
  uint64_t retries = 0;  // signature fetches answered 404 and sent again, summed over phases
  std::string report;    // the JSON text

  std::vector<std::string> Failed() const;
  uint64_t Passed(const std::string& id) const;
  uint64_t Skipped(const std::string& id) const;
};

// The hardware checks of every report's quote (QUOTE-FORMAT .. TD-MEASURE).
const std::vector<std::string>& QuoteCheckIds();

// The hardware checks of every report's GPUs and dstack part (GPU-SIG .. COMPOSE-HASH).
const std::vector<std::string>& ReportCheckIds();

// Overrides for tests that run a shipped scenario and expect it to pass: only the correctness gates
// as thresholds (latency thresholds are for real runs and benchmarks), and a SIG-READY budget that
// a loaded or sanitised machine cannot miss (the readiness logic itself is unit-tested).
std::vector<std::string> CorrectnessOverrides();

// expect.signature_ready_ms of a scenario file (JSON with comments), 1000 when it has none.
int64_t SignatureReadyMs(const std::string& scenario_path);

// Overrides for tests that run a shipped scenario against the built-in mock and expect it to pass
// against a correct server with the documented race (PROTOCOLS.md): the correctness gates as the
// only thresholds, the scenario's own SIG-READY budget, and a mock that serves each signature only
// half of that budget after the response, so every signature is fetched after a few 404s, each a
// retry and none an error.
std::vector<std::string> SignatureRaceOverrides(const std::string& scenario_path);

// Runs the real binary with `args` after "run" and --report-json into a temp file.
RunOutcome RunScenario(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env = {});

}  // namespace teeharness::testing
