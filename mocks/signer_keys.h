#pragma once

#include <string>

#include "harness/base/result.h"
#include "harness/crypto/ed25519.h"
#include "harness/crypto/secp256k1.h"

namespace teeharness::mocks {

// One TEE's signing identity: an ECDSA key (address) and an Ed25519 key, with the textual forms
// every response repeats computed once (the EIP-55 checksum costs a Keccak). Thread-safe
// (immutable).
class KeyPair {
 public:
  KeyPair(crypto::EcdsaKey ecdsa_key, crypto::Ed25519Key ed25519_key);
  static KeyPair Generate();

  const crypto::EcdsaKey& ecdsa() const { return ecdsa_; }
  const crypto::Ed25519Key& ed25519() const { return ed25519_; }
  const std::string& ChecksumAddress() const { return checksum_address_; }
  const std::string& LowerAddress() const { return lower_address_; }
  const std::string& Ed25519Hex() const { return ed25519_hex_; }

 private:
  crypto::EcdsaKey ecdsa_;
  crypto::Ed25519Key ed25519_;
  std::string checksum_address_;
  std::string lower_address_;
  std::string ed25519_hex_;
};

// Loads the key file, or creates it (mode 0600) with fresh keys when it does not exist, so the
// address survives restarts like a key derived from a key-management service. Format:
// {"ecdsa_private_key":"0x<64 hex>","ed25519_seed":"<64 hex>","pki":{...}}. "pki" keeps the
// mock's DCAP and GPU PKIs (pki/persisted_pki.h), which this installs as the process PKIs, so a
// restarted mock serves the same roots; a file without it (written before) gets it added,
// atomically and mode 0600, its signing keys unchanged. Errors name the file and field. Call once,
// before the mock serves.
Result<KeyPair> LoadOrCreateKeyFile(const std::string& path);

}  // namespace teeharness::mocks
