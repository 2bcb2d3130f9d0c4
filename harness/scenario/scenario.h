#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/attestation/dstack/dstack_policy.h"
#include "harness/attestation/gpu/gpu_policy.h"
#include "harness/attestation/policy/quote_policy.h"
#include "harness/base/result.h"
#include "harness/checks/address_tracker.h"
#include "harness/protocol/dialect.h"
#include "harness/scenario/abort_spec.h"
#include "harness/workload/source_spec.h"

namespace teeharness::scenario {

using Duration = std::chrono::nanoseconds;

// The parsed, validated scenario file (DESIGN.md "Scenario file"; every field is documented in
// scenarios/scenario.schema.json). Plain value types.

struct TargetSpec {
  std::string base_url;  // empty: the built-in mock
  protocol::Dialect dialect = protocol::Dialect::kPhala;
  std::string model;
  std::string api_key_env;  // the key itself is read at run time and never stored here
  std::string signing_algo = "ecdsa";
  bool http2 = false;
  bool native_http1 = true;  // http_client: "native" (default) or "curl"
  Duration connect_timeout = std::chrono::seconds(5);
  Duration request_timeout = std::chrono::seconds(60);
  uint64_t max_response_bytes = 16 * 1024 * 1024;
  bool insecure_tls = false;
  std::string ca_file;
};

struct ExpectSpec {
  double retention_seconds = 300;
  checks::AddressExpectation address;
  std::string image_digest;
  int64_t signature_ready_ms = 1000;
  // What every verified quote must also satisfy (tcb_status, allow_*, tdx pins and minimums).
  attestation::QuotePolicy quote_policy;
  // GPU-COUNT (expect.gpus) and GPU-MEASURE (expect.gpu_rims, resolved against the scenario's
  // folder).
  attestation::gpu::GpuPolicy gpu_policy;
  attestation::dstack::DstackPins dstack_pins;  // expect.dstack, checked by COMPOSE-HASH
  // TLS-BIND (near): ask for include_tls_fingerprint=true and check that the report binds the
  // TLS key of the connection that fetched it.
  bool tls_binding = false;
};

// How every report's quote is verified (the scenario's `attestation` section).
struct AttestationSpec {
  bool verify = true;                    // false: every hardware check is skipped, with the reason
  std::string collateral;                // a file (resolved against the scenario's folder) or URL
  std::vector<std::string> trust_roots;  // PEM files, resolved likewise; empty: Intel's root
  std::vector<std::string> gpu_trust_roots;  // likewise; empty: NVIDIA's Device Identity CA
  // PEM files the RIMs of expect.gpu_rims must chain to (NVIDIA's RIM root is not built in).
  std::vector<std::string> gpu_rim_trust_roots;
  bool dcap_qvl_tcb_rule = false;  // tcb_rule "dcap-qvl"
};

// The scenario's `request`: where the bodies come from and what each gets (README "Request
// sources"). Exactly one of inline messages, dataset and synthetic.
struct RequestSpec {
  // Inline: the request object as written (compact), without model/stream/max_tokens. With a
  // dataset or synthetic prompts: the other fields written here, added to every body lacking them.
  std::string json;
  std::optional<int> max_tokens;
  bool stream = false;
  bool stream_usage = true;  // stream: ask for usage in the last chunk (stream_options)
  std::optional<workload::DatasetSpec> dataset;
  std::optional<workload::SyntheticSpec> synthetic;
};

// A service level objective (`slo`, per scenario or per phase): a completed chat meets it when
// each bound given holds (README "Goodput"). ttft and tpot need streamed responses.
struct SloSpec {
  std::optional<Duration> ttft;
  std::optional<Duration> tpot;
  std::optional<Duration> e2e;
  bool any() const { return ttft || tpot || e2e; }
};

struct RateStageSpec {
  double from = 0;
  double to = 0;
  Duration over{0};
};

enum class Aggregate { kPercentile, kAvg, kMin, kMax, kMed, kCount, kRate };
enum class Comparator { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

struct Threshold {
  std::string metric;      // e.g. chat_seconds
  std::string phase;       // "" = the whole run
  std::string key;         // as written: chat_seconds{phase:ramp}
  std::string expression;  // as written: p(95)<2
  Aggregate aggregate = Aggregate::kAvg;
  double parameter = 0;  // the percentile for p(N)
  Comparator comparator = Comparator::kLess;
  double value = 0;
};

// A phase that is one step of a `sweep` phase (README "Sweeps"): the loader expands a sweep into
// consecutive ordinary phases named SWEEP/step-N, each carrying this. The step's load is in the
// phase itself (one constant rate stage, or concurrency with a duration).
struct SweepStep {
  std::string sweep;                 // the sweep phase's name
  bool over_rate = true;             // false: over concurrency
  size_t index = 1;                  // 1-based
  size_t count = 1;                  // steps the sweep planned
  std::vector<Threshold> stop_when;  // phase scope empty: evaluated over this step alone
};

struct PhaseSpec {
  std::string name;
  std::string flow;    // attest | verified_chat | retention_probe | negative | http
  std::string action;  // restart_target | sleep
  unsigned concurrency = 1;
  std::optional<uint64_t> iterations;
  std::optional<Duration> duration;
  std::vector<RateStageSpec> stages;  // open model (rate becomes one constant stage)
  bool poisson = false;
  uint64_t max_in_flight = 1000;
  unsigned samples = 3;        // retention_probe
  Duration probe_interval{0};  // retention_probe: 0 = retention / 20
  std::string command;         // restart_target against a real target
  Duration sleep{0};           // sleep action
  bool honor_retry_after = false;
  AbortRules abort;  // the scenario's `abort` with this phase's on top (flow phases only)
  SloSpec slo;       // the scenario's `slo` with this phase's keys on top
  std::optional<SweepStep> sweep;  // set on the steps of a sweep

  bool open() const { return !stages.empty(); }
};

struct Scenario {
  std::string name;
  std::string path;
  std::string sha256;  // of the file's bytes
  TargetSpec target;
  ExpectSpec expect;
  AttestationSpec attestation;
  RequestSpec request;
  uint64_t seed = 1;  // the scenario's `seed`: shuffled dataset order, synthetic prompts
  SloSpec slo;        // the scenario-level `slo` (each phase's own is in PhaseSpec::slo)
  std::vector<std::string> mock_args;  // `teeharness mock` flags from the scenario's mock section
  std::vector<PhaseSpec> phases;
  std::vector<Threshold> thresholds;
};

// The metric names thresholds may use.
bool IsThresholdMetric(const std::string& metric);

// Parses "p(95)<2", "avg<0.1", "max<=1", "count==0", "rate<0.01" (also min, med).
Result<Threshold> ParseThresholdExpression(const std::string& expression);

// Evaluates `observed <comparator> value`.
bool Holds(const Threshold& threshold, double observed);

// This instance's share (1-based `index` of `count`) of every phase's users, iterations, rates and
// samples, so `count` instances together run the scenario once (--segment I/N).
void ApplySegment(Scenario& scenario, unsigned index, unsigned count);

}  // namespace teeharness::scenario
