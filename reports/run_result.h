#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reports/request_log/request_log_summary.h"

namespace teeharness::reports {

// Plain data describing a finished (or interrupted) run: what every report writer renders. Built by
// the engine from the metrics registry and the check tallies, so all reports show the same numbers.
// Value types, not thread-safe.

struct LatencySummary {
  uint64_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0;  // seconds
};

struct CheckTally {
  std::string id;
  uint64_t passed = 0;
  uint64_t failed = 0;
  std::vector<std::string> evidence;  // the first few failures' evidence, in order
  uint64_t skipped = 0;               // observations where the check could not run
  std::string skip_reason;            // why (the first skip's reason)
};

// One step of a phase's timeline: what happened in the window (t - seconds, t], read from the
// metrics registry's cumulative series by the engine's sampler (harness/engine/timeline_sampler.h).
struct TimelineLatency {
  uint64_t count = 0;
  double p50 = 0, p95 = 0, p99 = 0;  // seconds
};

struct TimelineSample {
  double t = 0;            // seconds since the phase began, at the end of the window
  double seconds = 0;      // the window's length (the step, or a multiple once coalesced)
  double target_rate = 0;  // open model: intended arrivals/s over the window (0 for closed)
  uint64_t arrivals = 0;   // started + dropped in the window
  uint64_t dropped = 0;
  uint64_t completed = 0;  // iterations that ended in the window (succeeded + failed)
  uint64_t succeeded = 0;
  std::map<std::string, uint64_t> failed;  // failure kind -> iterations that ended with it
  std::map<std::string, uint64_t> errors;  // error kind -> events
  int64_t in_flight = 0;                   // iterations in flight at t
  double schedule_lag_p99 = 0;             // seconds (open model)
  double schedule_lag_max = 0;
  // Report name (each op, ttft, itl, verify, ...) -> the window's percentiles.
  std::map<std::string, TimelineLatency> latency;
  uint64_t check_failures = 0;
  uint64_t check_passes = 0;
  // Tokens of the chats that completed in the window (from usage, or estimated: the phase's
  // `tokens` says which): completion_tokens / seconds is the window's output tokens/s.
  uint64_t prompt_tokens = 0;
  uint64_t completion_tokens = 0;
};

struct PhaseResult {
  std::string name;
  std::string kind;  // the flow or action name
  double duration_seconds = 0;
  uint64_t requests = 0;     // HTTP requests sent in this phase (every op)
  uint64_t iterations = 0;   // flow iterations completed
  uint64_t dropped = 0;      // arrivals not started because max_in_flight was reached
  double target_rate = 0;    // open model: mean intended arrivals/s (0 for closed)
  double achieved_rate = 0;  // iterations started per second
  std::map<std::string, LatencySummary> latency;  // op -> summary (attest, chat, signature, ...)
  std::map<std::string, uint64_t> errors;  // error kind -> events (an iteration may see several)
  // Signature fetches answered 404 within expect.signature_ready_ms and sent again: the race right
  // after [DONE], not errors (a 404 still there at the deadline is a signature_not_ready error).
  uint64_t retries = 0;
  // Accounting, one entry per arrival: arrivals = succeeded + sum(failed) + dropped. The parts are
  // counted in different places (the schedule, the flows' endings), so unaccounted() != 0 would
  // mean iterations were lost; the reports print it.
  uint64_t arrivals = 0;
  uint64_t succeeded = 0;
  std::map<std::string, uint64_t> failed;  // failure kind -> iterations that ended with it
  std::vector<CheckTally> checks;
  // Tokens of the phase's chat completions: from the server's usage; `estimated` of the
  // completion tokens were counted from streamed content chunks because usage was absent.
  struct Tokens {
    uint64_t prompt = 0, completion = 0, estimated = 0;
  } tokens;
  double output_tokens_per_second = 0;  // completion tokens / duration_seconds
  // The phase's SLO (README "Goodput") and how its completed chats fared; goodput counts those
  // that met it, verified goodput those that met it with every check of the chat passed, both per
  // second of duration_seconds. `defined` false: no SLO, no goodput.
  struct Slo {
    bool defined = false;
    double ttft = -1, tpot = -1, e2e = -1;  // seconds; -1 = no bound
    uint64_t met_verified = 0, met_unverified = 0, missed = 0;
  } slo;
  double goodput = 0;
  double verified_goodput = 0;
  bool interrupted = false;
  bool aborted = false;  // an abort rule tripped in this phase (RunResult::abort says which)
  // Samples at a fixed step (README "Timeline"); bounded: past the cap, neighbours are coalesced
  // and the step doubles, so timeline_step_seconds may be a multiple of --timeline-step.
  double timeline_step_seconds = 0;
  std::vector<TimelineSample> timeline;

  uint64_t failed_total() const {
    uint64_t total = 0;
    for (const auto& [kind, count] : failed) total += count;
    return total;
  }
  int64_t unaccounted() const {
    return static_cast<int64_t>(arrivals) -
           static_cast<int64_t>(succeeded + failed_total() + dropped);
  }
};

struct ThresholdResult {
  std::string metric;      // as written, e.g. "chat_seconds{phase:ramp}"
  std::string expression;  // e.g. "p(95)<2"
  double observed = 0;
  bool has_data = true;
  bool passed = true;
};

// What the run's hardware verification saw: how each report's quote was verified, against what,
// and what it came to. Rendered as the JSON report's `attestation` object.
struct AttestationSummary {
  bool verify = true;      // false: attestation.verify was off (every hardware check skipped)
  std::string trust_root;  // subject of the root the PCK chain must reach
  std::string collateral;  // where the collateral came from ("" = none)
  std::string collateral_problem;  // why there is none, or why it is unusable
  // From a PCS: platforms fetched from the service, found in the disk cache, failed to fetch.
  uint64_t collateral_fetches = 0, collateral_disk_hits = 0, collateral_fetch_failures = 0;
  std::string tcb_rule;                        // intel | dcap-qvl
  uint64_t quotes = 0;                         // quotes verified
  std::map<std::string, uint64_t> verdicts;    // valid | rejected | incomplete -> quotes
  std::map<std::string, uint64_t> tcb_status;  // status -> quotes ("" not counted)
  std::vector<std::string> advisory_ids;       // every advisory seen, sorted, unique
  std::vector<std::string> fmspc;              // every FMSPC seen, sorted, unique
  std::vector<std::string> tdx_module_ids;     // e.g. TDX_03, sorted, unique
  // Every distinct set of TD measurements the quotes carried (hex), with how many quotes did.
  struct Measurements {
    std::string mrtd, rtmr0, rtmr1, rtmr2, rtmr3;
    uint64_t quotes = 0;
  };
  std::vector<Measurements> measurements;  // sorted, unique, at most 16 plus an overflow entry
  // GPU evidence: the root each chain must reach, reports whose GPUs were verified (by their
  // GPU verdict), and every distinct firmware seen with the GPU evidences that carried it.
  std::string gpu_trust_root;
  // The RIMs GPU-MEASURE compares with ("" when none: GPU-MEASURE skipped), e.g. "the built-in
  // mock's /mock/pki/rims/: 2 RIM(s): driver 550.90.07, VBIOS 96.00.9F.00.01".
  std::string gpu_rims;
  uint64_t gpu_reports = 0;
  std::map<std::string, uint64_t> gpu_verdicts;  // valid | rejected | incomplete -> reports
  struct GpuFirmware {
    std::string driver, vbios;
    uint64_t evidences = 0;
  };
  std::vector<GpuFirmware> gpu_firmware;  // sorted by (driver, vbios), unique
  // dstack: every distinct app identity the reports' app info and event log carried.
  struct DstackIdentity {
    std::string app_id, instance_id, compose_hash, os_image_hash, key_provider;
    uint64_t reports = 0;
  };
  std::vector<DstackIdentity> dstack;               // sorted by identity, unique
  std::map<std::string, uint64_t> dstack_verdicts;  // valid | rejected | incomplete -> reports
};

// A signing address as the run first saw it attested, and again each time it changed.
struct AddressSighting {
  std::string address;    // lowercase hex, as attested
  int epoch = 0;          // restarts of the target before it
  std::string phase;      // the phase it was seen in
  double at_seconds = 0;  // since the first phase began
};

// The abort rule that stopped the run (README "Abort rules").
struct AbortInfo {
  std::string phase;  // the phase it tripped in
  std::string kind;   // threshold | consecutive_failures | no_success_for
  std::string
      condition;  // the rule, e.g. "errors: rate>0.5", "no_success_for: request_timeout+5s = 8s"
  double observed =
      0;  // the expression's value, the failures in a row, or seconds without a success
  double at_seconds = 0;     // since the phase began
  std::string reason;        // one line for people
  double grace_seconds = 0;  // what in-flight requests were given before they were cut
};

// The signing identity the run ended with (JSON `identity`): the key the chats bind to (NEAR 2026:
// the model attestation a provider_tee signature last verified against), NEAR's gateway and model
// keys and the restart epoch (`signing_addresses` lists each change).
struct IdentitySummary {
  std::string signing_address;  // "" when nothing was attested
  std::string gateway_address;  // NEAR 2026
  std::vector<std::string> model_addresses;
  int epoch = 0;
};

// One step of a sweep (README "Sweeps"): its load and what it achieved, from the step's phase.
struct SweepStepResult {
  std::string phase;         // SWEEP/step-N
  size_t step = 0;           // N (1-based)
  double offered = 0;        // arrivals/s (over rate) or virtual users (over concurrency)
  double achieved_rate = 0;  // iterations started per second
  bool has_slo = false;      // false: goodput, verified_goodput and met_slo mean nothing
  double goodput = 0, verified_goodput = 0;  // requests/s
  double good_fraction = 0;                  // chats that met the SLO / arrivals of the step
  double ttft_p50 = -1, ttft_p95 = -1, tpot_p50 = -1;  // seconds; -1: no observation
  double output_tokens_per_second = 0;
  uint64_t arrivals = 0;
  uint64_t errors = 0;   // error events
  bool met_slo = false;  // the capacity rule's test of one step (harness/engine/sweep_capacity.h)
  bool stopped = false;  // stop_when held after this step: the sweep ended here
  std::string stop_reason;  // the expressions that held, e.g. "errors rate>0.05 (observed 0.3)"
};

struct SweepResult {
  std::string name;
  std::string over;          // rate | concurrency
  size_t planned_steps = 0;  // steps after the stop are not run (and have no row)
  std::vector<SweepStepResult> steps;
  std::optional<size_t> capacity;    // index into steps of the capacity step; none: no step met
  std::optional<size_t> stopped_at;  // the step number stop_when ended the sweep after
  std::string capacity_note;         // why there is no capacity, when there is none
};

struct RunResult {
  std::string tool_version;
  std::string libcurl_version;
  std::string scenario_name;
  std::string scenario_sha256;
  std::string target_url;  // never carries credentials
  std::string dialect;
  std::string model;
  bool builtin_mock = false;
  std::string started_at;  // UTC, ISO 8601
  double duration_seconds = 0;
  std::vector<PhaseResult> phases;
  std::vector<SweepResult> sweeps;  // each sweep phase's steps (also in `phases`) and capacity
  std::vector<CheckTally> checks;   // summed over phases
  std::vector<ThresholdResult> thresholds;
  AttestationSummary attestation;
  IdentitySummary identity;
  // The attested signing addresses in order (bounded; signing_address_changes counts every change).
  std::vector<AddressSighting> signing_addresses;
  uint64_t signing_address_changes = 0;
  bool interrupted = false;
  bool aborted = false;  // an abort rule stopped the run: `abort` says which, where and why
  AbortInfo abort;
  std::optional<RequestLogSummary> requests_out;  // with --requests-out
  int exit_code = 0;

  uint64_t check_failures() const {
    uint64_t failures = 0;
    for (const CheckTally& check : checks) failures += check.failed;
    return failures;
  }
};

// Adds `from`'s counts and lists to `into` (a run that restarted the built-in mock verified against
// one trust per mock process).
void MergeAttestationSummary(const AttestationSummary& from, AttestationSummary& into);

// Adds `from`'s firmware / identities into `into`, counting repeats; both stay sorted and unique.
void MergeGpuFirmware(const std::vector<AttestationSummary::GpuFirmware>& from,
                      std::vector<AttestationSummary::GpuFirmware>& into);
void MergeDstackIdentities(const std::vector<AttestationSummary::DstackIdentity>& from,
                           std::vector<AttestationSummary::DstackIdentity>& into);
void MergeMeasurements(const std::vector<AttestationSummary::Measurements>& from,
                       std::vector<AttestationSummary::Measurements>& into);

// Sums per-phase tallies by id, keeping the first evidence of each, in first-seen order.
std::vector<CheckTally> MergeCheckTallies(const std::vector<PhaseResult>& phases,
                                          size_t max_evidence);

}  // namespace teeharness::reports
