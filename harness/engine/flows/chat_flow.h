#pragma once

#include <memory>
#include <optional>
#include <string>

#include "harness/crypto/sha256.h"
#include "harness/engine/flows/flow_support.h"

namespace teeharness::engine::flow {

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

using CompletionFn = std::function<void(std::shared_ptr<Completion>, const Failure&)>;

// attest (if this epoch has no report yet) -> chat -> signature -> verify; `then(completion,
// failure)`, the completion null when the failure is not empty.
void VerifiedChat(FlowEnv& env, Clock::time_point measure_from, CompletionFn then);

// Counts a completed chat against the phase's SLO (when it has one): met and verified, met but a
// check of the chat failed, or missed.
void JudgeSlo(FlowEnv& env, const Completion& c);

}  // namespace teeharness::engine::flow
