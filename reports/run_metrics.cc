#include "reports/run_metrics.h"

namespace teeharness::reports {

RunMetrics::RunMetrics(MetricsRegistry& r)
    : requests(
          r.Add("teeharness_requests_total",
                "HTTP requests sent, by operation and status (HTTP code or transport error kind).",
                MetricType::kCounter, {"scenario", "phase", "op", "status"})),
      request_duration(r.Add("teeharness_request_duration_seconds",
                             "Request latency; the first request of an iteration is measured from "
                             "its intended send time.",
                             MetricType::kHistogram, {"scenario", "phase", "op"})),
      ttft(r.Add("teeharness_time_to_first_token_seconds",
                 "Time from request start to the first streamed token.", MetricType::kHistogram,
                 {"scenario", "phase"})),
      signature_ready(r.Add("teeharness_signature_ready_seconds",
                            "Time from the end of a response until its signature could be fetched.",
                            MetricType::kHistogram, {"scenario", "phase"})),
      verify_duration(
          r.Add("teeharness_verify_duration_seconds",
                "Client-side verification of one signed response (text, recovery, address).",
                MetricType::kHistogram, {"scenario", "phase", "algo"})),
      checks(r.Add("teeharness_checks_total", "Conformance check outcomes by check id.",
                   MetricType::kCounter, {"scenario", "phase", "check", "result"})),
      address_changes(r.Add("teeharness_signing_address_changes_total",
                            "Times the attested signing address differed from the previous report.",
                            MetricType::kCounter, {"scenario"})),
      address_info(r.Add("teeharness_signing_address_info",
                         "The current attested signing address (value 1).", MetricType::kGauge,
                         {"scenario", "address"})),
      schedule_lag(r.Add("teeharness_schedule_lag_seconds",
                         "Actual start minus intended start of open-model arrivals.",
                         MetricType::kHistogram, {"scenario", "phase"})),
      in_flight(r.Add("teeharness_in_flight", "Iterations in flight.", MetricType::kGauge,
                      {"scenario", "phase"})),
      target_rate(r.Add("teeharness_target_rate",
                        "Intended arrivals per second of the open model (0 when closed).",
                        MetricType::kGauge, {"scenario", "phase"})),
      dropped(r.Add("teeharness_dropped_arrivals_total",
                    "Arrivals not started because max_in_flight was reached.", MetricType::kCounter,
                    {"scenario", "phase"})),
      arrivals(r.Add("teeharness_arrivals_total",
                     "Iterations due: started plus dropped (open model) or begun (closed model).",
                     MetricType::kCounter, {"scenario", "phase"})),
      iterations(r.Add("teeharness_iterations_total",
                       "Finished iterations by outcome: succeeded, or the kind of the failure "
                       "that ended them.",
                       MetricType::kCounter, {"scenario", "phase", "outcome"})),
      errors(r.Add("teeharness_errors_total",
                   "Failed requests (transport error, HTTP error status) and unusable "
                   "responses, by kind; a signature 404 fetched again within the readiness "
                   "window is a retry, not an error. An iteration may see several.",
                   MetricType::kCounter, {"scenario", "phase", "kind"})),
      iteration(r.Add("teeharness_iteration_duration_seconds",
                      "Whole iterations, from the intended start (from=intended, free of "
                      "coordinated omission) and from the actual start (from=actual).",
                      MetricType::kHistogram, {"scenario", "phase", "from"})),
      inter_token(r.Add("teeharness_inter_token_latency_seconds",
                        "Mean gap between streamed tokens of one completion.",
                        MetricType::kHistogram, {"scenario", "phase"})),
      retention(r.Add("teeharness_signature_retention_seconds",
                      "Age of a signature when the server first answered 404 for it.",
                      MetricType::kHistogram, {"scenario", "phase"})),
      signature_retries(r.Add("teeharness_signature_fetch_retries_total",
                              "Signature fetches answered 404 within expect.signature_ready_ms "
                              "of the response end and sent again (the race after [DONE]; not "
                              "errors).",
                              MetricType::kCounter, {"scenario", "phase"})),
      quote_verifications(r.Add("teeharness_quote_verifications_total",
                                "Attestation reports whose TDX quote was verified, by verdict and "
                                "TCB status (none: not evaluated).",
                                MetricType::kCounter,
                                {"scenario", "phase", "verdict", "tcb_status"})),
      tcb_advisory_info(r.Add("teeharness_tcb_advisory_info",
                              "1 for each advisory id listed by a verified quote's TCB level.",
                              MetricType::kGauge, {"scenario", "advisory"})),
      gpu_info(r.Add("teeharness_gpu_info",
                     "1 for each GPU driver and VBIOS version seen in signature-verified GPU "
                     "evidence.",
                     MetricType::kGauge, {"scenario", "driver", "vbios"})),
      aborts(r.Add("teeharness_aborts_total",
                   "Abort rules that tripped and stopped the run, by the kind of condition "
                   "(threshold, consecutive_failures, no_success_for).",
                   MetricType::kCounter, {"scenario", "phase", "condition"})),
      tokens(r.Add("teeharness_tokens_total",
                   "Tokens of the chat completions, by kind (prompt, completion), as the server's "
                   "usage reported them (completion: streamed content chunks when it sent none).",
                   MetricType::kCounter, {"scenario", "phase", "kind"})),
      estimated_tokens(r.Add("teeharness_estimated_completion_tokens_total",
                             "Completion tokens counted from streamed content chunks because the "
                             "response carried no usage (one chunk may hold several tokens).",
                             MetricType::kCounter, {"scenario", "phase"})),
      tpot(r.Add("teeharness_time_per_output_token_seconds",
                 "Time per output token of a streamed completion: (end-to-end - time to first "
                 "token) / (completion tokens - 1).",
                 MetricType::kHistogram, {"scenario", "phase"})),
      slo(r.Add("teeharness_slo_requests_total",
                "Completed chats judged against the phase's SLO, by result (met_verified: every "
                "bound held and every check of the chat passed; met_unverified; missed).",
                MetricType::kCounter, {"scenario", "phase", "result"})),
      sweep_step_goodput(r.Add("teeharness_sweep_step_goodput",
                               "Goodput of each finished sweep step in requests/s (kind all: met "
                               "the SLO; verified: and passed every check of the chat).",
                               MetricType::kGauge, {"scenario", "sweep", "step", "kind"})),
      sweep_capacity(r.Add("teeharness_sweep_capacity",
                           "Offered load (arrivals/s or users) of the highest sweep step within "
                           "capacity (it and every step below it met the SLO).",
                           MetricType::kGauge, {"scenario", "sweep"})) {}

}  // namespace teeharness::reports
