#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::crypto {

// Strict hex decoding of untrusted text. An optional "0x"/"0X" prefix is accepted; an odd number of
// digits or any non-hex character is an Error naming the position. Thread-safe (pure functions).
Result<Bytes> DecodeHex(std::string_view text);

// As DecodeHex, and the result must be exactly `expected_size` bytes.
Result<Bytes> DecodeHexExact(std::string_view text, size_t expected_size);

// True when `text` starts with "0x" or "0X".
bool HasHexPrefix(std::string_view text);

// True when `text` (without prefix) is non-empty and only hex digits.
bool IsHexDigits(std::string_view text);

// Lowercase hex, no prefix.
std::string EncodeHex(ByteSpan bytes);

}  // namespace teeharness::crypto
