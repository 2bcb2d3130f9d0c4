#include "harness/engine/flows/negative_flow.h"

#include <memory>
#include <vector>

#include "harness/checks/attestation_checks.h"
#include "harness/checks/signature_checks.h"

namespace teeharness::engine::flow {
namespace {

using protocol::Dialect;

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

}  // namespace

void RunNegative(FlowEnv& env, Clock::time_point intended, FailureFn done) {
  Negative(env, std::make_shared<std::vector<NegativeCase>>(NegativeCases(*env.config)), 0,
           intended, "", std::move(done));
}

}  // namespace teeharness::engine::flow
