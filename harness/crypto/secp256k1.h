#pragma once

#include <array>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::crypto {

using PublicKey64 = std::array<uint8_t, 64>;  // uncompressed X || Y, without the 0x04 tag
using Address20 = std::array<uint8_t, 20>;
using EthSignature65 = std::array<uint8_t, 65>;  // r || s || v with v = 27 or 28

// A recoverable secp256k1 signature: r || s and a recovery id that is always 0..3 here, because
// libsecp256k1 aborts the process on anything else.
struct RecoverableSignature {
  std::array<uint8_t, 64> rs{};
  int recovery_id = 0;
};

// True when s <= n/2 (the canonical "low-s" form that Ethereum and libsecp256k1 require).
bool IsLowS(const std::array<uint8_t, 64>& rs);

// Recovers the signer's public key from a 32-byte digest. Errors for r/s out of range or a point
// that does not recover. Thread-safe: uses one shared, read-only libsecp256k1 context.
Result<PublicKey64> RecoverPublicKey(const Hash32& digest, const RecoverableSignature& signature);

// Ethereum address: the last 20 bytes of keccak256(X || Y).
Address20 AddressFromPublicKey(const PublicKey64& public_key);

// A secp256k1 private key with its public key and address. Signing is RFC 6979 deterministic
// (libsecp256k1's default nonce function), so a known key reproduces published signatures byte for
// byte. Thread-safe after construction (const methods only touch the shared context read-only).
class EcdsaKey {
 public:
  static Result<EcdsaKey> FromPrivateKey(ByteSpan private_key);
  static EcdsaKey Generate();

  const std::array<uint8_t, 32>& private_key() const { return private_key_; }
  const PublicKey64& public_key() const { return public_key_; }
  const Address20& address() const { return address_; }

  RecoverableSignature SignDigest(const Hash32& digest) const;
  // EIP-191 personal_sign of the UTF-8 text; v = 27 + recovery id.
  EthSignature65 SignPersonalMessage(std::string_view text) const;

 private:
  EcdsaKey() = default;
  std::array<uint8_t, 32> private_key_{};
  PublicKey64 public_key_{};
  Address20 address_{};
};

}  // namespace teeharness::crypto
