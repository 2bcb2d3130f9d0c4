#include "harness/engine/flows/chat_flow.h"

#include <algorithm>

#include "harness/checks/attestation_checks.h"
#include "harness/checks/near_checks.h"
#include "harness/checks/signature_checks.h"
#include "harness/crypto/signed_text.h"
#include "harness/engine/flows/attest_flow.h"
#include "harness/protocol/chat.h"
#include "harness/protocol/signature_response.h"
#include "harness/protocol/sse_stream.h"
#include "reports/request_log/request_log.h"

namespace teeharness::engine {

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

namespace flow {
namespace {

using protocol::Dialect;

// Records the signature checks of `completion`. `track_address`: the signer is the tracked identity
// (ADDR-*); NEAR's gateway key is not. True when the signature verified against the attested key.
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

}  // namespace

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

void JudgeSlo(FlowEnv& env, const Completion& c) {
  if (!env.phase->slo.any()) return;
  const char* result = !MeetsSlo(env.phase->slo, c.ttft, c.tpot, c.e2e) ? "missed"
                       : c.checks_passed                                ? "met_verified"
                                                                        : "met_unverified";
  env.series->Slo(result)->Add();
}

}  // namespace flow
}  // namespace teeharness::engine
