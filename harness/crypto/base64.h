#pragma once

#include <string>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::crypto {

// Strict standard base64 (RFC 4648, with padding; whitespace not allowed). Used for 2024-era
// intel_quote fields and GPU evidence. Thread-safe.
Result<Bytes> DecodeBase64(std::string_view text);

// Standard base64 with padding (what dialects put in evidence and certificate fields).
std::string EncodeBase64(ByteSpan bytes);

}  // namespace teeharness::crypto
