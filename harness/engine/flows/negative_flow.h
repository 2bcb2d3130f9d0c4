#pragma once

#include "harness/engine/flows/flow_support.h"

namespace teeharness::engine::flow {

// The negative flow: the dialect's bad requests (bad nonces, an unknown signature id, a malformed
// body, no API key) sent one after another, each judged by the answer it should get
// (NONCE-REJECT, SIG-UNKNOWN, ERR-SHAPE). Loop thread only.
void RunNegative(FlowEnv& env, Clock::time_point intended, FailureFn done);

}  // namespace teeharness::engine::flow
