#include "harness/engine/flows/attest_flow.h"

#include "harness/checks/attestation_checks.h"
#include "harness/checks/hardware_checks.h"
#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/protocol/attestation_response.h"

namespace teeharness::engine {

protocol::HttpCall AttestationCall(const RunConfig& config, std::string_view nonce,
                                   std::string_view algo) {
  protocol::AttestationQuery query;
  query.nonce = nonce;
  query.signing_algo = algo;
  query.ionet_model_id = config.ionet_model_id;
  if (config.endpoints.dialect() == protocol::Dialect::kNear) query.model = config.model;
  query.include_tls_fingerprint = config.expect.tls_binding;
  return config.endpoints.Attestation(query);
}

namespace flow {
namespace {

using protocol::Dialect;

// A report whose signing address is not a key of its algorithm establishes no identity
// (ATTEST-SCHEMA says why); later signatures would be compared with garbage.
bool UsableSigningAddress(const protocol::AttestationReport& report) {
  if (report.signing_algo == "ed25519") {
    return crypto::DecodeHexExact(report.signing_address, 32).ok();
  }
  return crypto::ParseAddress(report.signing_address).ok();
}

// The report's TDX quote verified to the trust root (QUOTE-FORMAT .. TD-MEASURE), counted and
// timed as tdx_quote; an empty verification when the report carries no quote (io.net's cpu.quote
// is optional; phala and near require one, so its absence fails QUOTE-FORMAT).
attestation::QuoteVerification VerifyQuote(FlowEnv& env, const protocol::AttestationReport& report,
                                           const std::string& context) {
  if (report.quote.empty()) {
    const bool required = env.config->endpoints.dialect() != Dialect::kIonet;
    std::vector<checks::Outcome> outcomes = checks::QuoteSkipped("the report carries no quote");
    if (required) outcomes[0] = checks::Outcome::Fail("QUOTE-FORMAT", context + ": no intel_quote");
    Record(env, std::move(outcomes));
    return {};
  }
  QuoteTrust* trust = env.config->quote_trust;
  const auto start = Clock::now();
  attestation::QuoteVerification v = trust->Verify(report.quote, UnixSecondsNow());
  env.series->Verify("tdx_quote")->Observe(Seconds(Clock::now() - start));
  env.series
      ->QuoteVerifications(std::string(attestation::VerdictName(v.verdict())),
                           v.tcb_status.empty() ? "none" : v.tcb_status)
      ->Add();
  for (const std::string& advisory : v.advisory_ids) {
    env.config->metrics->tcb_advisory_info->Gauge({env.config->scenario_name, advisory})->Set(1);
  }
  return v;
}

// Every GPU firmware whose evidence is signed by a trusted device key (GPU-SIG and GPU-CHAIN
// passed), as teeharness_gpu_info: other strings are whatever a server sent.
void ExportGpuFirmware(FlowEnv& env, const attestation::ReportHardware& hardware) {
  if (!hardware.gpus) return;
  auto passed = [](const attestation::gpu::GpuVerification& gpu, const char* id) {
    const attestation::CheckResult* c = gpu.Find(id);
    return c != nullptr && c->state == attestation::CheckState::kPass;
  };
  for (const attestation::gpu::GpuVerification& gpu : hardware.gpus->gpus) {
    if (!passed(gpu, "GPU-SIG") || !passed(gpu, "GPU-CHAIN")) continue;
    env.config->metrics->gpu_info->Gauge({env.config->scenario_name, gpu.driver, gpu.vbios})
        ->Set(1);
  }
}

// The report's hardware evidence verified: its quote (above), then its GPUs' SPDM evidence
// (GPU-SIG .. GPU-COUNT, the chain to the GPU root, the nonce bound per dialect) and, for phala
// and near, its dstack event log replayed to the quote's RTMRs and its compose hash
// (EVENTLOG-REPLAY, COMPOSE-HASH). With attestation.verify false each is skipped with that
// reason. The GPUs and the event log together are timed as report_hardware. Returns false when
// one of these checks failed.
bool VerifyReportHardware(FlowEnv& env, const protocol::AttestationEntry& entry,
                          const std::string& nonce) {
  const protocol::AttestationReport& report = entry.report;
  const std::string& label = entry.label;
  QuoteTrust* trust = env.config->quote_trust;
  if (trust == nullptr) return true;
  if (!trust->verify()) {
    Record(env, checks::HardwareSkipped("disabled by the scenario (attestation.verify false)"));
    return true;
  }
  const std::string context =
      (label.empty() ? std::string() : label + ": ") + "attestation (nonce " + nonce + ")";
  attestation::QuoteVerification v = VerifyQuote(env, report, context);
  const auto start = Clock::now();
  // NEAR 2026's gateway is a CPU-only TEE in front of the GPU model TEEs.
  const bool gpus_expected = entry.role != protocol::AttestationEntry::Role::kGateway;
  const attestation::ReportHardware hardware = trust->VerifyHardware(
      env.config->endpoints.dialect(), nonce, report, UnixSecondsNow(), gpus_expected, v);
  env.series->Verify("report_hardware")->Observe(Seconds(Clock::now() - start));
  ExportGpuFirmware(env, hardware);
  std::vector<checks::Outcome> outcomes = checks::QuoteOutcomes(v, context);
  const bool clean = NoneFailed(outcomes);
  Record(env, std::move(outcomes));
  return clean;
}

// Failed outcomes of one attestation of a multi-attestation response name it in their evidence.
std::vector<checks::Outcome> Labelled(const std::string& label,
                                      std::vector<checks::Outcome> outcomes) {
  if (label.empty()) return outcomes;
  for (checks::Outcome& outcome : outcomes) {
    if (!outcome.passed) outcome.evidence = label + ": " + outcome.evidence;
  }
  return outcomes;
}

// Records the identity the response established: the flat report's key, or NEAR 2026's gateway
// and model keys; `clean` when none of the response's checks failed.
void OnAttested(FlowEnv& env, const protocol::AttestationResponse& response, bool clean) {
  if (!response.near_2026) {
    const protocol::AttestationReport& report = response.entries.front().report;
    Record(env, env.attestation->OnAttested(report.signing_address, report.image_digest, clean));
    return;
  }
  std::string gateway;
  std::vector<std::string> models;
  for (const protocol::AttestationEntry& entry : response.entries) {
    if (entry.role == protocol::AttestationEntry::Role::kGateway) {
      gateway = entry.report.signing_address;
    } else {
      models.push_back(entry.report.signing_address);
    }
  }
  Record(env, env.attestation->OnAttestedNear(gateway, std::move(models), clean));
}

}  // namespace

void Attest(FlowEnv& env, Clock::time_point measure_from, FailureFn next) {
  const Dialect dialect = env.config->endpoints.dialect();
  // io.net pads short nonces: every other attestation sends 16 bytes to exercise NONCE-PAD.
  const bool short_nonce = dialect == Dialect::kIonet && env.attest_count++ % 2 == 1;
  const std::string nonce = RandomHex(short_nonce ? 16 : 32);
  const std::string algo = dialect == Dialect::kIonet ? "" : env.config->signing_algo;
  Send(env, "attest", AttestationCall(*env.config, nonce, algo), measure_from, {},
       [&env, nonce, algo, dialect, next = std::move(next)](HttpResult& r) {
         if (!r.ok()) return next(ResponseFailure(r));
         if (r.status != 200) {
           Record(env, checks::CheckErrorShape(dialect,
                                               AsError("attestation (nonce " + nonce + ")", r)));
           return next(ResponseFailure(r));
         }
         checks::AttestationObservation o;
         o.dialect = dialect;
         o.sent_nonce = nonce;
         o.requested_algo = algo;
         o.expected_image_digest = env.config->expect.image_digest;
         const Result<protocol::AttestationResponse> response =
             r.truncated ? Result<protocol::AttestationResponse>(
                               Error{"report larger than max_response_bytes"})
                         : protocol::ParseAttestationResponse(dialect, r.body);
         if (!response.ok()) {
           Record(env, checks::CheckAttestation(o, Error{response.error()}, nullptr));
           if (env.config->quote_trust != nullptr) {
             Record(env,
                    checks::HardwareSkipped(env.config->quote_trust->verify()
                                                ? "the report could not be parsed (ATTEST-SCHEMA)"
                                                : "disabled by the scenario (attestation.verify "
                                                  "false)"));
           }
           CountError(env, "bad_attestation");
           return next("bad_attestation");
         }
         // ---- Per-attestation checks: one pass for every attestation of the response (phala,
         // ionet, NEAR 2025: the one report; NEAR 2026: gateway_attestation, then each of
         // model_attestations[]), each with its own nonce, binding and schema checks. Checks that
         // apply to one attestation belong in this loop.
         bool usable = !response->entries.empty();
         bool clean = true;
         for (const protocol::AttestationEntry& entry : response->entries) {
           checks::AttestationObservation eo = o;
           if (entry.role == protocol::AttestationEntry::Role::kModel) {
             eo.expected_model_name = env.config->model;
           }
           eo.tls_binding = env.config->expect.tls_binding;
           eo.terminates_our_tls = entry.role != protocol::AttestationEntry::Role::kModel;
           eo.connection_is_tls = r.tls;
           eo.connection_tls_key = r.peer_key_sha256;
           std::tie(eo.previous_fingerprint, eo.previous_nonce) =
               env.attestation->Previous(env.worker, entry.label);
           std::string fingerprint;
           std::vector<checks::Outcome> outcomes =
               Labelled(entry.label, checks::CheckAttestation(eo, entry.report, &fingerprint));
           clean = clean && NoneFailed(outcomes);
           Record(env, std::move(outcomes));
           env.attestation->SetPrevious(env.worker, fingerprint, nonce, entry.label);
           clean = VerifyReportHardware(env, entry, nonce) && clean;
           usable = usable && UsableSigningAddress(entry.report);
         }
         // ---- end of the per-attestation checks.
         if (!usable) {
           CountError(env, "bad_attestation");
           return next("bad_attestation");
         }
         OnAttested(env, *response, clean);
         next("");
       });
}

}  // namespace flow
}  // namespace teeharness::engine
