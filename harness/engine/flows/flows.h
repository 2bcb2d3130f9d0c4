#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "harness/checks/recorder.h"
#include "harness/engine/loop/worker_loop.h"
#include "harness/engine/run_state.h"
#include "harness/scenario/scenario.h"
#include "harness/workload/body_cursor.h"

namespace teeharness::engine {

// What one worker's flows work with during a phase. Lives on the control thread's stack for the
// whole phase; used only from the worker's loop thread (recorder and attestation are thread-safe).
struct FlowEnv {
  WorkerLoop* loop = nullptr;
  unsigned worker = 0;
  const RunConfig* config = nullptr;
  AttestationState* attestation = nullptr;
  checks::Recorder* recorder = nullptr;
  LiveCounters* live = nullptr;
  const scenario::PhaseSpec* phase = nullptr;
  SeriesCache* series = nullptr;
  uint64_t attest_count = 0;  // per worker: every other io.net attestation uses a short nonce
  workload::BodyCursor* bodies = nullptr;  // this worker's next chat body (config->requests)
  uint64_t iterations = 0;  // started on this worker in this phase (--requests-out numbers them)
};

// The attestation request of this run for `nonce`: near also names the model (NEAR 2026's gateway
// routes by it). Thread-safe.
protocol::HttpCall AttestationCall(const RunConfig& config, std::string_view nonce,
                                   std::string_view algo);

// Whether a completed chat with these figures (seconds; ttft and tpot none when not measured)
// meets `slo`: every bound given holds; a TTFT bound without a first token does not; a TPOT bound
// without a TPOT (fewer than two tokens) does. Thread-safe (pure).
bool MeetsSlo(const scenario::SloSpec& slo, std::optional<double> ttft, std::optional<double> tpot,
              double e2e);

// True for the flow names of the scenario schema.
bool IsFlow(const std::string& name);

// Starts one iteration of env.phase->flow on env.loop. `done` runs exactly once, on that loop, when
// the iteration is over; latency of its first request is measured from `intended` (open model: the
// scheduled time, so a stalled server cannot hide behind coordinated omission). Untrusted responses
// never throw out of here: every problem becomes an error count or a check outcome.
void StartIteration(FlowEnv& env, Clock::time_point intended, std::function<void()> done);

}  // namespace teeharness::engine
