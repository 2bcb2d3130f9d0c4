#pragma once

#include <string_view>

#include "harness/crypto/bytes.h"

namespace teeharness::crypto {

// Keccak-256 as Ethereum uses it (original Keccak padding, not NIST SHA3-256). Crypto++ provides it
// because OpenSSL 3.0 has none. Thread-safe.
Hash32 Keccak256(ByteSpan bytes);
inline Hash32 Keccak256(std::string_view bytes) { return Keccak256(AsBytes(bytes)); }

// EIP-191 personal_sign digest: keccak256("\x19Ethereum Signed Message:\n" + decimal byte length +
// message). The length counts UTF-8 bytes, not characters. Thread-safe.
Hash32 Eip191Digest(std::string_view message);

}  // namespace teeharness::crypto
