#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "harness/checks/address_tracker.h"
#include "harness/checks/recorder.h"
#include "harness/engine/hardware/quote_trust.h"
#include "harness/engine/loop/http_exchange.h"
#include "harness/protocol/endpoints.h"
#include "harness/scenario/scenario.h"
#include "harness/workload/request_source.h"
#include "reports/latency_histogram.h"
#include "reports/run_metrics.h"

namespace teeharness::reports {
class RequestLog;
}  // namespace teeharness::reports

namespace teeharness::engine {

// Everything a flow needs to build requests, fixed for a phase. The control thread updates it only
// between phases (a restarted mock has a new port), while no flow runs.
struct RunConfig {
  protocol::Endpoints endpoints{protocol::Dialect::kPhala, ""};
  TransportOptions transport;
  std::string auth_header;  // "Authorization: Bearer ..." or empty; never logged
  // Where each chat's exact bytes and their hash come from (the scenario's request source),
  // owned by the runner; chat_body is its first body (the negative flow's unauthorised chat).
  workload::RequestSource* requests = nullptr;
  std::string chat_body;
  std::string model;  // signed by near
  std::string signing_algo = "ecdsa";
  std::string ionet_model_id;
  scenario::ExpectSpec expect;
  bool stream = false;
  const reports::RunMetrics* metrics = nullptr;  // Prometheus families (always present in a run)
  // What each report's quote is verified against; null: not verified (flows' unit tests). Replaced
  // only between phases (a restart of the built-in mock brings a new PKI).
  QuoteTrust* quote_trust = nullptr;
  std::string scenario_name;
  // --requests-out: every request's line is submitted to it (null: none is built). Thread-safe.
  reports::RequestLog* request_log = nullptr;
};

// One worker's handles to the registry's series for the current phase, looked up once per label
// set so that recording takes no lock shared with other workers. Loop thread only.
class SeriesCache {
 public:
  SeriesCache(const RunConfig& config, std::string phase)
      : config_(config), phase_(std::move(phase)) {}
  reports::CounterSeries* Requests(const std::string& op, const std::string& status);
  reports::HistogramSeries* Duration(const std::string& op);
  reports::HistogramSeries* Ttft();
  reports::HistogramSeries* SignatureReady();
  reports::HistogramSeries* Verify(const std::string& algo);
  reports::CounterSeries* Errors(const std::string& kind);
  reports::CounterSeries* SignatureRetries();
  reports::CounterSeries* Iterations(const std::string& outcome);
  reports::HistogramSeries* Iteration(const std::string& from);
  reports::HistogramSeries* InterToken();
  reports::CounterSeries* Tokens(const std::string& kind);  // prompt | completion
  reports::CounterSeries* EstimatedTokens();
  reports::HistogramSeries* Tpot();
  reports::CounterSeries* Slo(const std::string& result);
  reports::HistogramSeries* Retention();
  reports::CounterSeries* QuoteVerifications(const std::string& verdict,
                                             const std::string& tcb_status);

 private:
  using Key = std::pair<const reports::MetricFamily*, std::string>;
  // A series of `family` with {scenario, phase} plus `extra` ("" = no further label).
  reports::CounterSeries* CounterOf(reports::MetricFamily* family, const std::string& extra);
  reports::HistogramSeries* HistogramOf(reports::MetricFamily* family, const std::string& extra);

  const RunConfig& config_;
  std::string phase_;
  std::map<Key, reports::CounterSeries*> counters_;
  std::map<Key, reports::HistogramSeries*> histograms_;
  std::map<std::pair<std::string, std::string>, reports::CounterSeries*> requests_;
  std::map<std::string, reports::HistogramSeries*> durations_;
  std::map<std::string, reports::HistogramSeries*> verify_;
  std::map<std::pair<std::string, std::string>, reports::CounterSeries*> quote_verifications_;
  reports::HistogramSeries* ttft_ = nullptr;
  reports::HistogramSeries* signature_ready_ = nullptr;
};

// The attested identity per restart epoch, the address tracker, and each worker's previous report
// fingerprint (NONCE-FRESH). Thread-safe (a mutex; touched once per attestation or signature).
class AttestationState {
 public:
  explicit AttestationState(checks::AddressExpectation expectation)
      : tracker_(std::move(expectation)) {}

  struct Identity {
    // The key that signs the chats ("" = not attested yet): the flat report's signing_address, or
    // for NEAR 2026 the model attestation the signatures bind to (the one a provider_tee signature
    // last verified against; until then the first).
    std::string address;
    std::string image_digest;  // ionet
    int epoch = 0;
    std::string gateway_address;               // NEAR 2026: gateway_attestation's
    std::vector<std::string> model_addresses;  // NEAR 2026: each model attestation's
    // No check of the attestation that set this identity failed (schema, nonce, binding, quote,
    // GPUs, event log; skips aside). A chat signed by a key whose attestation failed is not
    // verified, whatever its own checks say (verified_goodput).
    bool attestation_clean = true;
  };
  Identity Current() const;
  // Records a verified report; returns ADDR-* outcomes. `clean`: none of its checks failed.
  std::vector<checks::Outcome> OnAttested(const std::string& address, const std::string& digest,
                                          bool clean = true);
  // Records a verified NEAR 2026 response; the ADDR-* outcomes follow the model key that signs.
  std::vector<checks::Outcome> OnAttestedNear(const std::string& gateway,
                                              std::vector<std::string> models, bool clean = true);
  // A provider_tee signature verified against model attestation `address`: from now on it is the
  // attestation the chats bind to. Ignored when `address` is not one of this epoch's models.
  void BindModel(const std::string& address);
  std::vector<checks::Outcome> OnSigned(const std::string& signer, const std::string& chat_id);
  void OnRestart();
  uint64_t address_changes() const;

  // Each time the attested signing address differed from the previous attestation's (and the
  // first one): for the reports' attestation summary. At most kMaxSightings are kept (a target
  // flapping between replicas' keys would otherwise grow it per request); address_changes() counts
  // them all.
  struct Sighting {
    std::string address;  // lowercase
    int epoch = 0;        // restarts before it
    Clock::time_point at;
  };
  static constexpr size_t kMaxSightings = 64;
  std::vector<Sighting> Sightings() const;

  // NONCE-FRESH bookkeeping per worker and per attestation of a response (`label`: "" for a flat
  // report, "gateway_attestation", "model_attestations[i]").
  std::pair<std::string, std::string> Previous(unsigned worker,
                                               const std::string& label = {}) const;
  void SetPrevious(unsigned worker, std::string fingerprint, std::string nonce,
                   const std::string& label = {});

 private:
  void RecordSighting();  // mutex_ held, after tracker_.OnAttested

  mutable std::mutex mutex_;
  checks::AddressTracker tracker_;
  Identity current_;
  std::vector<Sighting> sightings_;
  std::map<std::pair<unsigned, std::string>, std::pair<std::string, std::string>> previous_;
};

// Live counters for the progress line and the abort rules (relaxed atomics; any thread).
struct LiveCounters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> iterations{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<int64_t> in_flight{0};
  // For the timeline (harness/engine/timeline_sampler.h): iterations started, and open-model
  // arrivals dropped at max_in_flight.
  std::atomic<uint64_t> started{0};
  std::atomic<uint64_t> dropped{0};
  // Of the current phase (harness/engine/load/abort_rules.h): iterations that ended failed since
  // the last one that succeeded, and when that was (Clock ticks; 0 = none yet in this phase).
  std::atomic<uint64_t> consecutive_failures{0};
  std::atomic<int64_t> last_success_ticks{0};

  // Called by the flows as each iteration ends.
  void OnIterationEnd(bool succeeded, Clock::time_point at);
  // Called by the control thread before a phase's first iteration.
  void StartPhase();
};

}  // namespace teeharness::engine
