#pragma once

#include <string>

#include "harness/base/result.h"
#include "harness/crypto/ed25519.h"
#include "harness/crypto/secp256k1.h"

namespace teeharness::mocks {

// One TEE's signing identity: an ECDSA key (address) and an Ed25519 key. Thread-safe (immutable).
struct KeyPair {
  crypto::EcdsaKey ecdsa;
  crypto::Ed25519Key ed25519;

  static KeyPair Generate();
  std::string ChecksumAddress() const;
  std::string LowerAddress() const;
  std::string Ed25519Hex() const;
};

// Loads the key file, or creates it (mode 0600) with fresh keys when it does not exist, so the
// address survives restarts like a key derived from a key-management service. Format:
// {"ecdsa_private_key":"0x<64 hex>","ed25519_seed":"<64 hex>"}. Errors name the file and field.
Result<KeyPair> LoadOrCreateKeyFile(const std::string& path);

}  // namespace teeharness::mocks
