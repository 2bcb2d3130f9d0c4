#pragma once

#include "harness/engine/flows/flow_support.h"

namespace teeharness::engine::flow {

// The attest flow: one attestation request with a fresh nonce; every attestation of the response
// checked (schema, nonce, binding, TLS binding) and its hardware verified (quote, GPUs, dstack);
// the identity it establishes recorded. `next(failure)` ends the step. Loop thread only.
void Attest(FlowEnv& env, Clock::time_point measure_from, FailureFn next);

}  // namespace teeharness::engine::flow
