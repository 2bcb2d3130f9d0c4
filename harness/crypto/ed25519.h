#pragma once

#include <array>
#include <memory>
#include <string_view>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

typedef struct evp_pkey_st EVP_PKEY;

namespace teeharness::crypto {

using Ed25519PublicKey = std::array<uint8_t, 32>;
using Ed25519Signature = std::array<uint8_t, 64>;

// An Ed25519 signing key (OpenSSL). The service's `signing_address` for Ed25519 is the 64-hex
// public key. Thread-safe after construction: OpenSSL 3 keys are immutable and shareable across
// threads.
class Ed25519Key {
 public:
  static Result<Ed25519Key> FromSeed(ByteSpan seed);
  static Ed25519Key Generate();

  const std::array<uint8_t, 32>& seed() const { return seed_; }
  const Ed25519PublicKey& public_key() const { return public_key_; }
  // Signs the raw bytes of `message` (no prehash, no prefix).
  Ed25519Signature Sign(std::string_view message) const;

 private:
  struct PkeyDeleter {
    void operator()(EVP_PKEY* key) const;
  };
  Ed25519Key() = default;
  std::array<uint8_t, 32> seed_{};
  Ed25519PublicKey public_key_{};
  std::shared_ptr<EVP_PKEY> pkey_;
};

// True when `signature` is a valid Ed25519 signature of `message` by `public_key`. Thread-safe.
bool Ed25519Verify(const Ed25519PublicKey& public_key, std::string_view message,
                   const Ed25519Signature& signature);

}  // namespace teeharness::crypto
