#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "harness/base/result.h"

namespace teeharness::protocol {

// The body of `GET /v1/signature/{id}` (phala, near) or an offline signature file:
// {"text","signature","signing_address","signing_algo"}; only text and signature are required (the
// 2024 API returned just those two). NEAR 2026 adds "signature_kind".
struct SignatureDocument {
  std::string text;
  std::string signature;
  std::string signing_address;  // empty when absent
  std::string signing_algo;     // empty when absent
  std::string signature_kind;   // "provider_tee", "gateway", or empty when absent (older rows)
};

// NEAR's gateway answers a chat that has no signature with HTTP 200
// {"error_code":"STREAM_DISCONNECTED"|"SIGNATURE_UNSUPPORTED","message":...}.
struct SignatureErrorCode {
  std::string code;
  std::string message;  // empty when absent
};

// Parses untrusted JSON. Errors name the field and what was wrong; a gateway's error body (an
// "error" object or "error_code" such as SIGNATURE_UNSUPPORTED) is reported as such. Thread-safe.
Result<SignatureDocument> ParseSignatureDocument(std::string_view json);

// The error_code body of a signature fetch, or nullopt when `json` is not one (any other body,
// including a signature). Thread-safe.
std::optional<SignatureErrorCode> ParseSignatureErrorCode(std::string_view json);

}  // namespace teeharness::protocol
