#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_set>

#include "harness/attestation/pki/certificate.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::pki {

// Remembers which (signed DER object, issuer certificate) pairs have been verified, by the
// SHA-256 of both encodings. A signature over fixed bytes with a fixed key verifies or not forever,
// so a positive result can be reused; failures are never remembered. One quote verification
// checks the root CA CRL's signature in two chains (the PCK chain and the collateral issuer chain):
// with a memo shared by both, it is checked once. Bounded: cleared when it reaches `max_entries`.
// Thread-safe (internal mutex; the signature check runs outside it).
class SignatureMemo {
 public:
  explicit SignatureMemo(size_t max_entries = 4096) : max_entries_(max_entries) {}

  // IssuerSignatureVerifies(der, issuer), or true without the ECDSA work when this pair verified
  // before.
  bool Verifies(crypto::ByteSpan der, const Certificate& issuer);

 private:
  size_t max_entries_;
  std::mutex mutex_;
  std::unordered_set<std::string> verified_;  // Guarded by mutex_.
};

}  // namespace teeharness::attestation::pki
