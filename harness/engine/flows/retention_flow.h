#pragma once

#include "harness/engine/flows/flow_support.h"

namespace teeharness::engine::flow {

// The retention_probe flow: one verified chat, then its signature fetched again and again until
// past expect.retention_seconds (SIG-RETAIN, SIG-EXPIRE judge when it went). Loop thread only.
void RetentionProbe(FlowEnv& env, Clock::time_point intended, FailureFn done);

}  // namespace teeharness::engine::flow
