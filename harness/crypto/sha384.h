#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>

#include "harness/crypto/bytes.h"

namespace teeharness::crypto {

using Hash48 = std::array<uint8_t, 48>;

// SHA-384 (OpenSSL) of the concatenation of `parts`, without building the concatenation: TDX
// RTMR extension (RTMR ‖ digest) and dstack event digests hash several pieces. Thread-safe.
Hash48 Sha384(std::initializer_list<ByteSpan> parts);

}  // namespace teeharness::crypto
