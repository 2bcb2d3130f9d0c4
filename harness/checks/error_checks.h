#pragma once

#include <string>

#include "harness/checks/outcome.h"
#include "harness/protocol/dialect.h"

namespace teeharness::checks {

// An error response as received: what was asked (for evidence), status, content type and body.
struct ErrorResponse {
  std::string what;  // e.g. "GET /v1/signature/<unknown id>" or "nonce 'abc' (short)"
  long status = 0;
  std::string content_type;
  std::string body;
};

// ERR-SHAPE: a JSON error body in the dialect's shape: {"error":{"message":string,"type":string}}
// (OpenAI-shaped); a 401 may also be FastAPI's {"detail":...}. Thread-safe (pure).
Outcome CheckErrorShape(protocol::Dialect dialect, const ErrorResponse& response);

// NONCE-REJECT: a malformed nonce must get a 4xx, never 200 or 5xx.
Outcome CheckNonceRejected(const ErrorResponse& response);

// SIG-UNKNOWN: an unknown chat id gets 404 (not a 200 with an error body, not a 5xx).
Outcome CheckUnknownSignature(const ErrorResponse& response);

}  // namespace teeharness::checks
