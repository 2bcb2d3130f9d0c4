#include "harness/engine/flows.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>

#include "harness/checks/attestation_checks.h"
#include "harness/checks/error_checks.h"
#include "harness/checks/hardware_checks.h"
#include "harness/checks/near_checks.h"
#include "harness/checks/retention_checks.h"
#include "harness/checks/signature_checks.h"
#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/signed_text.h"
#include "harness/protocol/attestation_response.h"
#include "harness/protocol/chat.h"
#include "harness/protocol/signature_response.h"
#include "harness/protocol/sse_stream.h"
#include "reports/request_log/request_log.h"

namespace teeharness::engine {
namespace {

using protocol::Dialect;
using ResultFn = std::function<void(HttpResult&)>;

// Why an iteration (or a step of it) failed: "" when it succeeded, else a low-cardinality kind from
// the error vocabulary (a transport error, "http_<status>", or an unusable response), so that
// every iteration is counted exactly once under teeharness_iterations_total{outcome}.
using Failure = std::string;
using FailureFn = std::function<void(const Failure&)>;

// The failure kind of a response that is not a usable 200.
Failure ResponseFailure(const HttpResult& r) {
  if (!r.ok()) return std::string(TransportErrorName(r.error));
  return "http_" + std::to_string(r.status);
}

// ---------------------------------------------------------------------------------------------
// --requests-out: what a request's line says beyond the transport's figures

// The iteration whose code runs now on this loop thread, and the line of the response being
// handled (null while none is, or without --requests-out). Flows are chains of callbacks: the
// iteration is set when one starts and while one of its responses or timers runs, so every request
// knows its iteration without each step passing it along; the checks, errors and chat id a response
// leads to land on its line.
struct RequestContext {
  uint64_t iteration = 0;
  reports::RequestRecord* record = nullptr;
};
thread_local RequestContext t_request;

// Sets t_request for a scope, restoring the outer one after.
class RequestScope {
 public:
  RequestScope(uint64_t iteration, reports::RequestRecord* record) : saved_(t_request) {
    t_request = {iteration, record};
  }
  ~RequestScope() { t_request = saved_; }
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  RequestContext saved_;
};

// One response's line while it is handled; submitted when the handling is over (after the flow's
// continuation, which may have ended the phase: nothing of the FlowEnv is touched then).
class RequestLine {
 public:
  RequestLine(reports::RequestLog* log, const FlowEnv& env, const std::string& op,
              uint64_t iteration, Clock::time_point intended, const HttpResult& r)
      : log_(log) {
    if (log_ == nullptr) return;
    record_.phase = env.phase->name;
    record_.op = op;
    record_.worker = env.worker;
    record_.iteration = iteration;
    record_.intended = intended;
    record_.start = r.started;
    record_.first_byte = r.first_byte;
    record_.end = r.finished;
    record_.status = r.ok() ? r.status : 0;
    record_.bytes = r.body_bytes;
  }
  ~RequestLine() {
    if (log_ != nullptr) log_->Submit(std::move(record_));
  }
  RequestLine(const RequestLine&) = delete;
  RequestLine& operator=(const RequestLine&) = delete;
  reports::RequestRecord* record() { return log_ != nullptr ? &record_ : nullptr; }

 private:
  reports::RequestLog* log_;
  reports::RequestRecord record_;
};

void NoteChatId(const std::string& chat_id) {
  if (t_request.record != nullptr) t_request.record->chat_id = chat_id;
}

// Runs `task` on the loop at `when` in the current iteration's context (which only the request
// lines read).
void Later(FlowEnv& env, Clock::time_point when, std::function<void()> task) {
  if (env.config->request_log == nullptr) return env.loop->At(when, std::move(task));
  env.loop->At(when, [iteration = t_request.iteration, task = std::move(task)] {
    RequestScope scope(iteration, nullptr);
    task();
  });
}

void CountError(FlowEnv& env, const std::string& kind) {
  env.series->Errors(kind)->Add();
  env.live->errors.fetch_add(1, std::memory_order_relaxed);
  if (t_request.record != nullptr && t_request.record->error.empty()) {
    t_request.record->error = kind;
  }
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string RandomHex(size_t bytes) {
  crypto::Bytes buffer(bytes);
  RAND_bytes(buffer.data(), static_cast<int>(buffer.size()));
  return crypto::EncodeHex(buffer);
}

std::string Excerpt(const std::string& body) {
  return body.size() <= 120 ? body : body.substr(0, 120) + "...";
}

// With honor_retry_after, a 429 carrying Retry-After (seconds, capped at 60) is waited out.
std::optional<Clock::duration> RetryAfter(FlowEnv& env, const HttpResult& r) {
  if (!env.phase->honor_retry_after || !r.ok() || r.status != 429) return std::nullopt;
  const std::string header = r.Header("retry-after");
  char* end = nullptr;
  const double seconds = std::strtod(header.c_str(), &end);
  if (header.empty() || *end != '\0' || !(seconds >= 0)) return std::nullopt;
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(std::min(seconds, 60.0)));
}

// HTTP statuses that Send leaves for its caller to judge instead of counting them as errors.
enum class Judged {
  kNone,          // every transport error and every HTTP status >= 400 is an error
  kClientErrors,  // the negative flow asks for 4xx answers: its observations (a 5xx is an error)
  kNotFound,      // a signature's 404: the readiness race (the caller counts a retry, or
                  // signature_not_ready at the deadline) or, past the window, the expected answer
};

// Sends one request: adds the API key, counts it, records its latency under `op` from
// `measure_from`, and counts transport and HTTP errors by kind (except what `judged` leaves to the
// caller). With honor_retry_after a 429 that carries Retry-After is waited out and the same
// request sent again (at most kMaxRetries times); each 429 is an error.
void Send(FlowEnv& env, const std::string& op, protocol::HttpCall call,
          Clock::time_point measure_from,
          std::function<void(std::string_view, Clock::time_point)> on_chunk, ResultFn then,
          bool with_auth = true, Judged judged = Judged::kNone, int retries = 0) {
  constexpr int kMaxRetries = 3;  // a server that always answers 429 must not loop forever
  auto exchange = std::make_unique<HttpExchange>();
  // Only a phase that honours Retry-After keeps a copy of the request (without the key) to send
  // again; every other request moves its body straight into the exchange.
  std::shared_ptr<const protocol::HttpCall> retry;
  if (env.phase->honor_retry_after && retries < kMaxRetries) {
    retry = std::make_shared<const protocol::HttpCall>(call);
  }
  exchange->call = std::move(call);
  if (with_auth && !env.config->auth_header.empty()) {
    exchange->call.headers.push_back(env.config->auth_header);
  }
  exchange->options = &env.config->transport;
  exchange->on_chunk = std::move(on_chunk);
  // TLS-BIND compares the report with the key of the connection that fetched it.
  exchange->want_peer_key = op == "attest" && env.config->expect.tls_binding;
  FlowEnv* e = &env;
  exchange->on_done = [e, op, measure_from, judged, retry, on_chunk = exchange->on_chunk, with_auth,
                       retries, iteration = t_request.iteration,
                       then = std::move(then)](HttpResult& result) {
    // Declared first, so that its line is submitted last, once the continuation has run.
    RequestLine line(e->config->request_log, *e, op, iteration, measure_from, result);
    RequestScope scope(iteration, line.record());
    e->live->requests.fetch_add(1, std::memory_order_relaxed);
    const double seconds = Seconds(result.finished - std::min(measure_from, result.started));
    e->series->Duration(op)->Observe(seconds);
    e->series
        ->Requests(op, result.ok() ? std::to_string(result.status)
                                   : std::string(TransportErrorName(result.error)))
        ->Add();
    const bool left_to_caller =
        result.ok() &&
        ((judged == Judged::kClientErrors && result.status >= 400 && result.status < 500) ||
         (judged == Judged::kNotFound && result.status == 404));
    if (!result.ok() || (result.status >= 400 && !left_to_caller)) {
      CountError(*e, ResponseFailure(result));
    }
    if (retry) {
      if (const std::optional<Clock::duration> wait = RetryAfter(*e, result)) {
        Later(*e, Clock::now() + *wait, [e, op, retry, on_chunk, then, with_auth, judged, retries] {
          Send(*e, op, *retry, Clock::now(), on_chunk, then, with_auth, judged, retries + 1);
        });
        return;
      }
    }
    then(result);
  };
  env.loop->Send(std::move(exchange));
}

checks::ErrorResponse AsError(const std::string& what, const HttpResult& r) {
  return {what, r.status, r.Header("content-type"), r.body};
}

// The failed ones (not the skipped) are also noted on the line of the response they judged.
void NoteFailed(const checks::Outcome& outcome) {
  if (t_request.record != nullptr && !outcome.passed && !outcome.skipped) {
    t_request.record->failed_checks.emplace_back(outcome.id);
  }
}
void Record(FlowEnv& env, checks::Outcome outcome) {
  NoteFailed(outcome);
  env.recorder->Record(env.phase->name, std::move(outcome));
}
void Record(FlowEnv& env, std::vector<checks::Outcome> outcomes) {
  for (const checks::Outcome& outcome : outcomes) NoteFailed(outcome);
  env.recorder->Record(env.phase->name, std::move(outcomes));
}

// True unless one of `outcomes` failed (a skip is not a failure).
bool NoneFailed(const std::vector<checks::Outcome>& outcomes) {
  return std::none_of(outcomes.begin(), outcomes.end(),
                      [](const checks::Outcome& o) { return !o.passed && !o.skipped; });
}

// ---------------------------------------------------------------------------------------------
// attest

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

// ---------------------------------------------------------------------------------------------
// verified_chat

// What a completed chat leaves for the signature step.
struct Completion {
  crypto::Hash32 request_sha256{};  // of the exact bytes sent (hashed once, when built)
  // What the SLO judges (README "Goodput"): the chat's latency from its measured start, and for a
  // stream its time to first token and time per output token (none below two tokens).
  double e2e = 0;
  std::optional<double> ttft;
  std::optional<double> tpot;
  bool checks_passed = true;  // every check of this chat passed (none failed or was skipped)
  std::string chat_id;
  std::string expected_text;  // the dialect's text (near: model:req:resp)
  std::string two_part_text;  // sha256(req):sha256(resp), what NEAR's gateway signs
  Clock::time_point response_end;
  HttpResult result;  // ionet reads the signature headers from it
};

// `track_address`: the signer is the tracked identity (ADDR-*); NEAR's gateway key is not.
// True when the signature verified against the attested key.
// False when one of `outcomes` failed or could not run.
bool AllPassed(const std::vector<checks::Outcome>& outcomes) {
  for (const checks::Outcome& o : outcomes) {
    if (!o.passed || o.skipped) return false;
  }
  return true;
}

// `all_passed` (when given) is cleared unless every outcome recorded here passed.
bool Verify(FlowEnv& env, checks::SignedCompletion completion, bool track_address = true,
            bool* all_passed = nullptr) {
  const auto start = Clock::now();
  crypto::VerifyOutcome verification;
  std::vector<checks::Outcome> outcomes = checks::CheckSignedCompletion(completion, &verification);
  const double seconds = Seconds(Clock::now() - start);
  env.series->Verify(std::string(crypto::SignatureAlgoName(completion.algo)))->Observe(seconds);
  bool passed = AllPassed(outcomes);
  Record(env, std::move(outcomes));
  if (!verification.signer.empty() && track_address) {
    std::vector<checks::Outcome> address =
        env.attestation->OnSigned(verification.signer, completion.chat_id);
    passed = passed && AllPassed(address);
    Record(env, std::move(address));
  }
  if (all_passed != nullptr && !passed) *all_passed = false;
  return verification.verdict == crypto::Verdict::kValid;
}

// The completion as the signature checks see it, bound to the attested key that must have signed
// it: near honours signature_kind (provider_tee: the model attestation the signature claims;
// gateway: the gateway attestation, over the two-part text); other dialects have one key. Clears
// `c.checks_passed` when that key's attestation failed a check.
checks::SignedCompletion BaseCompletion(FlowEnv& env, Completion& c,
                                        std::string_view signature_kind = {},
                                        std::string_view claimed_address = {},
                                        checks::SignerBinding* binding_out = nullptr) {
  const AttestationState::Identity identity = env.attestation->Current();
  // Bound to a key whose attestation failed a check: the chat cannot count as verified.
  if (!identity.attestation_clean) c.checks_passed = false;
  const bool near = env.config->endpoints.dialect() == Dialect::kNear;
  const checks::SignerBinding binding =
      checks::BindSigner(near ? signature_kind : std::string_view(), claimed_address,
                         {identity.address, identity.gateway_address, identity.model_addresses});
  checks::SignedCompletion s;
  s.chat_id = c.chat_id;
  s.expected_text = binding.gateway ? c.two_part_text : c.expected_text;
  s.attested_address = binding.attested_address;
  s.binding_problem = binding.problem;
  s.attested_label = binding.label;
  s.algo = env.config->signing_algo == "ed25519" ? crypto::SignatureAlgo::kEd25519
                                                 : crypto::SignatureAlgo::kEcdsa;
  if (binding_out != nullptr) *binding_out = binding;
  return s;
}

// Verifies a fetched signature against the attested key its signature_kind names. A provider_tee
// signature that verifies against a model attestation makes it the one the chats bind to.
void VerifyFetched(FlowEnv& env, Completion& c, const protocol::SignatureDocument& doc) {
  checks::SignerBinding binding;
  checks::SignedCompletion s =
      BaseCompletion(env, c, doc.signature_kind, doc.signing_address, &binding);
  s.signed_text = doc.text;
  s.signature = doc.signature;
  s.signature_address = doc.signing_address;
  const std::string attested = s.attested_address;
  const bool valid = Verify(env, std::move(s), !binding.gateway, &c.checks_passed);
  if (valid && binding.model_attestation) env.attestation->BindModel(attested);
}

// Fetches the signature, retrying 404s (the race right after [DONE]) within
// expect.signature_ready_ms; then verifies. `then(failure)` ends the step. A 404 fetched again is
// a retry (teeharness_signature_fetch_retries_total), not an error; a 404 still there at the
// deadline is one error, signature_not_ready. Other failed fetches (transport errors, 5xx) are
// errors each time (counted by Send) and are fetched again too while the window lasts.
// SIG-READY judges a found signature by when the harness asked for it (`asked_at`, the fetch's
// scheduled time, capped at the window's end): the fetch's own response time is the signature
// op's latency, and neither it nor a late timer on a loaded client is the server's lateness.
void FetchSignature(FlowEnv& env, std::shared_ptr<Completion> c, int attempt,
                    Clock::time_point asked_at, FailureFn then) {
  Send(
      env, "signature",
      env.config->endpoints.Signature(c->chat_id, env.config->signing_algo, env.config->model),
      Clock::now(), {},
      [&env, c, attempt, asked_at, then = std::move(then)](HttpResult& r) {
        NoteChatId(c->chat_id);
        const auto waited =
            std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - c->response_end);
        const auto asked =
            std::chrono::duration_cast<std::chrono::milliseconds>(asked_at - c->response_end);
        const std::chrono::milliseconds budget(env.config->expect.signature_ready_ms);
        Result<protocol::SignatureDocument> doc =
            r.ok() && r.status == 200
                ? protocol::ParseSignatureDocument(r.body)
                : Result<protocol::SignatureDocument>(Error{"HTTP " + std::to_string(r.status)});
        if (doc.ok()) {
          checks::Outcome ready_check =
              checks::CheckSignatureReady(c->chat_id, true, asked, budget);
          c->checks_passed = c->checks_passed && AllPassed({ready_check});
          Record(env, std::move(ready_check));
          const double ready = Seconds(Clock::now() - c->response_end);
          env.series->SignatureReady()->Observe(ready);
          VerifyFetched(env, *c, *doc);
          return then("");
        }
        // Cut by the harness (an interrupt or an abort): neither ready nor late; not sent again.
        if (r.error == TransportError::kAborted) return then(ResponseFailure(r));
        // NEAR's gateway: 200 {error_code} is a final answer that there is no signature.
        if (r.ok() && r.status == 200) {
          if (const std::optional<protocol::SignatureErrorCode> code =
                  protocol::ParseSignatureErrorCode(r.body)) {
            Record(env, checks::CheckSignatureErrorCode(c->chat_id, *code));
            const Failure failure = checks::SignatureErrorKind(code->code);
            CountError(env, failure);
            return then(failure);
          }
        }
        if (waited >= budget) {
          Record(env, checks::CheckSignatureReady(c->chat_id, false, waited, budget));
          // Still 404 at the deadline: not ready in time; a 200 that does not parse: a bad body;
          // anything else (already counted by Send) is what it was.
          Failure failure = ResponseFailure(r);
          if (r.ok() && (r.status == 404 || r.status == 200)) {
            failure = r.status == 404 ? "signature_not_ready" : "signature_error_body";
            CountError(env, failure);
          }
          return then(failure);
        }
        if (r.ok() && r.status == 404) env.series->SignatureRetries()->Add();
        // Back off 25, 50, 100, 200, 250, 250... ms, never past the budget.
        const auto delay = std::min<std::chrono::milliseconds>(
            std::chrono::milliseconds(25 << std::min(attempt, 3)), std::chrono::milliseconds(250));
        const auto at = std::min(Clock::now() + delay, c->response_end + budget);
        Later(env, at,
              [&env, c, attempt, at, then] { FetchSignature(env, c, attempt + 1, at, then); });
      },
      true, Judged::kNotFound);
}

// io.net: the signature came in the completion's headers.
void VerifyFromHeaders(FlowEnv& env, Completion& c) {
  checks::SignedCompletion s = BaseCompletion(env, c);
  s.signed_text = c.result.Header("text");
  s.signature = c.result.Header("signature");
  s.signature_address = c.result.Header("signing_address");
  const std::string digest = env.attestation->Current().image_digest;
  checks::Outcome image =
      checks::CheckImageDigestHeader(c.chat_id, c.result.Header("image_digest"), digest);
  c.checks_passed = c.checks_passed && AllPassed({image});
  Record(env, std::move(image));
  Verify(env, std::move(s), true, &c.checks_passed);
}

// The token figures of one usable completion (README "Token metrics"): the server's usage, or for
// a stream without it the content chunks (counted as estimated too); TPOT for a stream of two
// tokens or more, from the request's own start (not the intended one: it describes the server).
// Returns the TPOT when there is one.
std::optional<double> RecordTokens(FlowEnv& env, const HttpResult& r,
                                   std::optional<uint64_t> prompt,
                                   std::optional<uint64_t> completion, bool estimated,
                                   const protocol::ChatStreamAccumulator* stream) {
  if (prompt) env.series->Tokens("prompt")->Add(*prompt);
  if (!completion) return std::nullopt;
  env.series->Tokens("completion")->Add(*completion);
  if (estimated) env.series->EstimatedTokens()->Add(*completion);
  if (stream == nullptr || !stream->first_token_time() || *completion < 2) return std::nullopt;
  const double e2e = Seconds(r.finished - r.started);
  const double ttft = Seconds(*stream->first_token_time() - r.started);
  const double tpot = std::max(0.0, e2e - ttft) / static_cast<double>(*completion - 1);
  env.series->Tpot()->Observe(tpot);
  return tpot;
}

// Parses the completion (plain or streamed) into a Completion; the failure (counted) when the
// response is unusable.
Failure Complete(FlowEnv& env, HttpResult& r, protocol::ChatStreamAccumulator* stream,
                 Completion& c) {
  const Dialect dialect = env.config->endpoints.dialect();
  if (!r.ok()) return ResponseFailure(r);
  if (r.status != 200) {
    Record(env, checks::CheckErrorShape(dialect, AsError("chat completion", r)));
    return ResponseFailure(r);
  }
  if (stream != nullptr) {
    if (!stream->done()) {
      CountError(env, "stream_incomplete");
      return "stream_incomplete";
    }
    c.chat_id = stream->id();
    c.tpot = RecordTokens(env, r, stream->prompt_tokens(), stream->tokens(), !stream->has_usage(),
                          stream);
    if (reports::RequestRecord* line = t_request.record) {
      line->prompt_tokens = stream->prompt_tokens();
      line->completion_tokens = stream->tokens();
      line->tokens_estimated = !stream->has_usage();
    }
    if (stream->first_token_time()) {
      const double ttft = Seconds(*stream->first_token_time() - r.started);
      c.ttft = ttft;
      env.series->Ttft()->Observe(ttft);
      if (t_request.record != nullptr) t_request.record->ttft_seconds = ttft;
      // Mean gap between tokens from the server's token count (one chunk may carry several).
      if (stream->tokens() > 1 && stream->last_token_time()) {
        env.series->InterToken()->Observe(
            Seconds(*stream->last_token_time() - *stream->first_token_time()) /
            static_cast<double>(stream->tokens() - 1));
      }
    }
  } else {
    Result<protocol::ChatCompletion> parsed =
        r.truncated ? Result<protocol::ChatCompletion>(Error{"truncated"})
                    : protocol::ParseChatCompletion(r.body);
    if (!parsed.ok()) {
      CountError(env, "bad_completion");
      return "bad_completion";
    }
    c.chat_id = parsed->id;
    // Without usage a plain body's completion tokens are not known (no chunks to count).
    RecordTokens(env, r, parsed->prompt_tokens, parsed->completion_tokens, false, nullptr);
    if (reports::RequestRecord* line = t_request.record) {
      line->prompt_tokens = parsed->prompt_tokens;
      line->completion_tokens = parsed->completion_tokens;
    }
  }
  NoteChatId(c.chat_id);
  if (c.chat_id.empty()) {
    CountError(env, "bad_completion");
    return "bad_completion";
  }
  c.expected_text = crypto::BuildSignedText(c.request_sha256, r.body_sha256,
                                            dialect == Dialect::kNear ? env.config->model : "");
  c.two_part_text = crypto::BuildSignedText(c.request_sha256, r.body_sha256);
  c.response_end = r.finished;
  return "";
}

// attest (if this epoch has no report yet) -> chat -> signature -> verify; `then(completion,
// failure)`, the completion null when the failure is not empty.
using CompletionFn = std::function<void(std::shared_ptr<Completion>, const Failure&)>;
void VerifiedChat(FlowEnv& env, Clock::time_point measure_from, CompletionFn then) {
  if (env.attestation->Current().address.empty()) {
    Attest(env, measure_from, [&env, then](const Failure& failure) {
      if (!failure.empty()) return then(nullptr, failure);
      VerifiedChat(env, Clock::now(), then);
    });
    return;
  }
  Result<workload::BodyRef> body = env.bodies->Take();
  if (!body.ok()) {
    // The dataset changed under the run: nothing is sent, the iteration fails visibly.
    CountError(env, "request_body");
    return then(nullptr, "request_body");
  }
  const crypto::Hash32 request_sha256 = body->get().sha256;
  auto stream = env.config->stream ? std::make_shared<protocol::ChatStreamAccumulator>() : nullptr;
  auto sse = stream ? std::make_shared<protocol::SseStream>(
                          [stream](std::string_view data, protocol::SseStream::TimePoint t) {
                            stream->OnEvent(data, t);
                          })
                    : nullptr;
  auto on_chunk =
      sse ? std::function<void(std::string_view, Clock::time_point)>(
                [sse](std::string_view chunk, Clock::time_point t) { sse->Feed(chunk, t); })
          : nullptr;
  Send(env, "chat", env.config->endpoints.Chat(body->get().bytes), measure_from, on_chunk,
       [&env, stream, sse, request_sha256, measure_from, then](HttpResult& r) {
         // This chat's time is measured: the worker's next body is built now, so that building
         // and hashing it falls outside every request's measured time.
         env.bodies->Prepare();
         auto c = std::make_shared<Completion>();
         c->request_sha256 = request_sha256;
         c->e2e = Seconds(r.finished - std::min(measure_from, r.started));  // as chat_seconds
         if (Failure failure = Complete(env, r, stream.get(), *c); !failure.empty()) {
           return then(nullptr, failure);
         }
         if (env.config->endpoints.dialect() == Dialect::kIonet) {
           c->result = std::move(r);
           VerifyFromHeaders(env, *c);
           return then(c, "");
         }
         FetchSignature(env, c, 0, Clock::now(), [c, then](const Failure& failure) {
           then(failure.empty() ? c : nullptr, failure);
         });
       });
}

// ---------------------------------------------------------------------------------------------
// retention_probe

struct Probe {
  std::shared_ptr<Completion> completion;
  checks::RetentionObservation observation;
  double interval = 1;
  double until = 0;
};

// A 404 is what the probe is looking for (SIG-RETAIN and SIG-EXPIRE judge when it came), not an
// error.
void ProbeAgain(FlowEnv& env, std::shared_ptr<Probe> p, FailureFn done) {
  Send(
      env, "signature",
      env.config->endpoints.Signature(p->completion->chat_id, env.config->signing_algo,
                                      env.config->model),
      Clock::now(), {},
      [&env, p, done](HttpResult& r) {
        NoteChatId(p->completion->chat_id);
        // Cut by the harness (an interrupt or an abort): the window was not watched to its end.
        if (r.error == TransportError::kAborted) return done(ResponseFailure(r));
        const double age = Seconds(Clock::now() - p->completion->response_end);
        checks::RetentionProbe probe{age, r.ok() ? r.status : 0, true};
        if (r.ok() && r.status == 404) {
          probe.error_shape_ok = checks::CheckErrorShape(env.config->endpoints.dialect(),
                                                         AsError("expired signature", r))
                                     .passed;
        }
        p->observation.probes.push_back(probe);
        if (age < p->until) {
          const auto next = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                               std::chrono::duration<double>(p->interval));
          Later(env, next, [&env, p, done] { ProbeAgain(env, p, done); });
          return;
        }
        Record(env, checks::CheckRetention(p->observation));
        const checks::RetentionWindow window = checks::MeasureRetention(p->observation);
        if (window.first_gone > 0) env.series->Retention()->Observe(window.first_gone);
        done("");
      },
      true, Judged::kNotFound);
}

void RetentionProbe(FlowEnv& env, Clock::time_point intended, FailureFn done) {
  VerifiedChat(env, intended, [&env, done](std::shared_ptr<Completion> c, const Failure& failure) {
    if (!c) return done(failure);
    auto p = std::make_shared<Probe>();
    p->completion = c;
    const double retention = env.config->expect.retention_seconds;
    const double configured = std::chrono::duration<double>(env.phase->probe_interval).count();
    p->interval = configured > 0 ? configured : std::clamp(retention / 20, 0.1, 15.0);
    p->until = retention + 2 * p->interval + 1;
    p->observation = {c->chat_id, retention, p->interval + 0.25, {}};
    ProbeAgain(env, p, done);
  });
}

// ---------------------------------------------------------------------------------------------
// negative

struct NegativeCase {
  std::string what;
  protocol::HttpCall call;
  enum class Expect { kNonceReject, kUnknownId, kClientError, kUnauthorized } expect;
  bool with_auth = true;
};

std::vector<NegativeCase> NegativeCases(const RunConfig& config) {
  const protocol::Endpoints& e = config.endpoints;
  std::vector<NegativeCase> cases;
  using E = NegativeCase::Expect;
  if (e.dialect() == Dialect::kIonet) {
    cases.push_back({"nonce longer than 64 hex",
                     e.Attestation(RandomHex(40), "", config.ionet_model_id), E::kClientError});
    cases.push_back({"non-hex nonce",
                     e.Attestation(std::string(64, 'z'), "", config.ionet_model_id),
                     E::kClientError});
    cases.push_back({"unknown model_id",
                     e.Attestation(RandomHex(32), "", "00000000-0000-0000-0000-000000000000"),
                     E::kClientError});
  } else {
    auto attest = [&config](const std::string& nonce, const char* algo) {
      return AttestationCall(config, nonce, algo);
    };
    cases.push_back({"short nonce", attest(RandomHex(4), "ecdsa"), E::kNonceReject});
    cases.push_back({"long nonce", attest(RandomHex(33), "ecdsa"), E::kNonceReject});
    cases.push_back({"non-hex nonce", attest(std::string(64, 'z'), "ecdsa"), E::kNonceReject});
    cases.push_back({"0x-prefixed nonce", attest("0x" + RandomHex(32), "ecdsa"), E::kNonceReject});
    cases.push_back({"bad signing_algo", attest(RandomHex(32), "rsa"), E::kClientError});
    cases.push_back({"unknown chat id",
                     e.Signature("chatcmpl-" + RandomHex(16), config.signing_algo, config.model),
                     E::kUnknownId});
  }
  if (!config.auth_header.empty()) {
    cases.push_back({"missing API key", e.Chat(config.chat_body), E::kUnauthorized, false});
    // NEAR's report endpoint wants the key too (since 2026-07).
    if (e.dialect() == Dialect::kNear) {
      cases.push_back({"attestation report without API key",
                       AttestationCall(config, RandomHex(32), config.signing_algo),
                       E::kUnauthorized, false});
    }
  }
  return cases;
}

void JudgeNegative(FlowEnv& env, const NegativeCase& c, HttpResult& r) {
  const Dialect dialect = env.config->endpoints.dialect();
  if (!r.ok()) return;  // a transport error is counted, not judged
  const checks::ErrorResponse response = AsError(c.what, r);
  using E = NegativeCase::Expect;
  switch (c.expect) {
    case E::kNonceReject:
      Record(env, checks::CheckNonceRejected(response));
      break;
    case E::kUnknownId:
      Record(env, checks::CheckUnknownSignature(response));
      break;
    case E::kClientError:
    case E::kUnauthorized: {
      const long wanted = c.expect == E::kUnauthorized ? 401 : 0;
      const bool ok = wanted ? r.status == wanted : (r.status >= 400 && r.status < 500);
      if (!ok) {
        Record(env, checks::Outcome::Fail(
                        "ERR-SHAPE", c.what + ": expected " +
                                         (wanted ? std::string("401") : "a 4xx") + ", got HTTP " +
                                         std::to_string(r.status) + " " + Excerpt(r.body)));
        return;
      }
      break;
    }
  }
  if (r.status >= 400) Record(env, checks::CheckErrorShape(dialect, response));
}

// Sends the cases one after another. The iteration fails with the first transport error (an
// HTTP error is the observation the case asked for).
void Negative(FlowEnv& env, std::shared_ptr<std::vector<NegativeCase>> cases, size_t index,
              Clock::time_point measure_from, Failure first_failure, FailureFn done) {
  if (index >= cases->size()) return done(first_failure);
  NegativeCase& c = (*cases)[index];
  Send(
      env, "negative", c.call, measure_from, {},
      [&env, cases, index, first_failure, done](HttpResult& r) {
        JudgeNegative(env, (*cases)[index], r);
        const Failure failure =
            first_failure.empty() && !r.ok() ? ResponseFailure(r) : first_failure;
        Negative(env, cases, index + 1, Clock::now(), failure, done);
      },
      c.with_auth, Judged::kClientErrors);
}

// Counts a completed chat against the phase's SLO (when it has one): met and verified, met but a
// check of the chat failed, or missed.
void JudgeSlo(FlowEnv& env, const Completion& c) {
  if (!env.phase->slo.any()) return;
  const char* result = !MeetsSlo(env.phase->slo, c.ttft, c.tpot, c.e2e) ? "missed"
                       : c.checks_passed                                ? "met_verified"
                                                                        : "met_unverified";
  env.series->Slo(result)->Add();
}

}  // namespace

protocol::HttpCall AttestationCall(const RunConfig& config, std::string_view nonce,
                                   std::string_view algo) {
  protocol::AttestationQuery query;
  query.nonce = nonce;
  query.signing_algo = algo;
  query.ionet_model_id = config.ionet_model_id;
  if (config.endpoints.dialect() == Dialect::kNear) query.model = config.model;
  query.include_tls_fingerprint = config.expect.tls_binding;
  return config.endpoints.Attestation(query);
}

bool MeetsSlo(const scenario::SloSpec& slo, std::optional<double> ttft, std::optional<double> tpot,
              double e2e) {
  auto within = [](double seconds, const std::optional<scenario::Duration>& bound) {
    return !bound || seconds <= std::chrono::duration<double>(*bound).count();
  };
  // No first token: a TTFT bound cannot be shown to hold. No TPOT (one token): nothing to exceed.
  if (slo.ttft && !ttft) return false;
  return within(ttft.value_or(0), slo.ttft) && within(tpot.value_or(0), slo.tpot) &&
         within(e2e, slo.e2e);
}

bool IsFlow(const std::string& name) {
  return name == "attest" || name == "verified_chat" || name == "retention_probe" ||
         name == "negative" || name == "http";
}

void StartIteration(FlowEnv& env, Clock::time_point intended, std::function<void()> done) {
  const Clock::time_point actual = Clock::now();
  RequestScope scope(++env.iterations, nullptr);
  env.live->in_flight.fetch_add(1, std::memory_order_relaxed);
  env.live->started.fetch_add(1, std::memory_order_relaxed);
  auto finish = [&env, intended, actual, done = std::move(done)](const Failure& failure) {
    env.series->Iterations(failure.empty() ? "succeeded" : failure)->Add();
    env.live->iterations.fetch_add(1, std::memory_order_relaxed);
    env.live->in_flight.fetch_sub(1, std::memory_order_relaxed);
    const Clock::time_point end = Clock::now();
    env.live->OnIterationEnd(failure.empty(), end);  // consecutive_failures, no_success_for
    // Corrected (from the intended start) and uncorrected (from the actual start): the gap between
    // the two is what coordinated omission would have hidden.
    env.series->Iteration("intended")->Observe(Seconds(end - intended));
    env.series->Iteration("actual")->Observe(Seconds(end - actual));
    done();
  };
  const std::string& flow = env.phase->flow;
  if (flow == "attest") {
    Attest(env, intended, finish);
  } else if (flow == "verified_chat") {
    VerifiedChat(env, intended,
                 [&env, finish](std::shared_ptr<Completion> c, const Failure& failure) {
                   if (c && failure.empty()) JudgeSlo(env, *c);
                   finish(failure);
                 });
  } else if (flow == "retention_probe") {
    RetentionProbe(env, intended, finish);
  } else if (flow == "negative") {
    Negative(env, std::make_shared<std::vector<NegativeCase>>(NegativeCases(*env.config)), 0,
             intended, "", finish);
  } else {
    Send(env, "http", env.config->endpoints.Root(), intended, {},
         [finish](HttpResult& r) { finish(r.ok() && r.status < 400 ? "" : ResponseFailure(r)); });
  }
}

}  // namespace teeharness::engine
