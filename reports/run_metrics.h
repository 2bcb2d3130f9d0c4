#pragma once

#include "reports/metrics_registry.h"

namespace teeharness::reports {

// The metric families of DESIGN.md ("Metrics"), created in one registry. Every series carries the
// `scenario` and `phase` labels (the signing address families only `scenario`). Label values stay
// low-cardinality: operations, HTTP status codes or error kinds, check ids, pass/fail; never chat
// ids, URLs or error strings; the current signing address appears only as the value of the
// `address` label of teeharness_signing_address_info. Thread-safe (the families are).
struct RunMetrics {
  explicit RunMetrics(MetricsRegistry& registry);

  MetricFamily* requests;          // teeharness_requests_total{scenario,phase,op,status}
  MetricFamily* request_duration;  // teeharness_request_duration_seconds{scenario,phase,op}
  MetricFamily* ttft;              // teeharness_time_to_first_token_seconds{scenario,phase}
  MetricFamily* signature_ready;   // teeharness_signature_ready_seconds{scenario,phase}
  MetricFamily* verify_duration;   // teeharness_verify_duration_seconds{scenario,phase,algo}
  MetricFamily* checks;            // teeharness_checks_total{scenario,phase,check,result}
  MetricFamily* address_changes;   // teeharness_signing_address_changes_total{scenario}
  MetricFamily* address_info;      // teeharness_signing_address_info{scenario,address}
  MetricFamily* schedule_lag;      // teeharness_schedule_lag_seconds{scenario,phase}
  MetricFamily* in_flight;         // teeharness_in_flight{scenario,phase}
  MetricFamily* target_rate;       // teeharness_target_rate{scenario,phase}
  MetricFamily* dropped;           // teeharness_dropped_arrivals_total{scenario,phase}
  // Accounting and the figures the JSON report adds to DESIGN's families (same registry, so the
  // report, the thresholds and Prometheus agree).
  MetricFamily* arrivals;     // teeharness_arrivals_total{scenario,phase}
  MetricFamily* iterations;   // teeharness_iterations_total{scenario,phase,outcome}
  MetricFamily* errors;       // teeharness_errors_total{scenario,phase,kind}
  MetricFamily* iteration;    // teeharness_iteration_duration_seconds{scenario,phase,from}
  MetricFamily* inter_token;  // teeharness_inter_token_latency_seconds{scenario,phase}
  MetricFamily* retention;    // teeharness_signature_retention_seconds{scenario,phase}
  // teeharness_signature_fetch_retries_total{scenario,phase}: signature fetches answered 404
  // within expect.signature_ready_ms and sent again (not errors).
  MetricFamily* signature_retries;
  // teeharness_quote_verifications_total{scenario,phase,verdict,tcb_status}: reports whose TDX
  // quote was verified, by verdict (valid, rejected, incomplete) and TCB status ("none" when not
  // evaluated).
  MetricFamily* quote_verifications;
  // teeharness_tcb_advisory_info{scenario,advisory}: 1 for every advisory id a verified quote's
  // TCB level listed (Intel's INTEL-SA ids: few).
  MetricFamily* tcb_advisory_info;
  // teeharness_gpu_info{scenario,driver,vbios}: 1 for every driver and VBIOS version a GPU's
  // signed evidence carried (only evidence whose signature and chain verified: the values are then
  // the firmware's, not any string a server sends; a fleet has few).
  MetricFamily* gpu_info;
  // teeharness_aborts_total{scenario,phase,condition}: abort rules that tripped and stopped the
  // run (condition: threshold, consecutive_failures, no_success_for); 0 from the start of every
  // phase with rules, so that no abort is a value.
  MetricFamily* aborts;
  // Token figures (README "Token metrics"): teeharness_tokens_total{scenario,phase,kind} (kind:
  // prompt, completion) from each response's usage, or for a stream without usage its content
  // chunks, which teeharness_estimated_completion_tokens_total{scenario,phase} counts as well; and
  // teeharness_time_per_output_token_seconds{scenario,phase}: (end-to-end - time to first token) /
  // (completion tokens - 1) of each streamed completion of two tokens or more.
  MetricFamily* tokens;
  MetricFamily* estimated_tokens;
  MetricFamily* tpot;
  // teeharness_slo_requests_total{scenario,phase,result}: completed chats of a phase with an SLO,
  // by result: met_verified (every bound held and every check of the chat passed), met_unverified,
  // missed. Goodput is met_* per second, verified goodput met_verified per second.
  MetricFamily* slo;
  // Sweeps (README "Sweeps"): teeharness_sweep_step_goodput{scenario,sweep,step,kind} (kind: all,
  // verified) in requests/s, set when a step of a sweep with an SLO ends; and
  // teeharness_sweep_capacity{scenario,sweep}: the capacity step's offered load (arrivals/s or
  // users), set once a step is known to be within it.
  MetricFamily* sweep_step_goodput;
  MetricFamily* sweep_capacity;
};

}  // namespace teeharness::reports
