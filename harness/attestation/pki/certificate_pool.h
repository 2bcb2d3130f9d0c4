#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "harness/attestation/pki/certificate.h"
#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::pki {

// Parsed certificates by their exact DER bytes. A quote's verification meets the same certificate
// several times (the root tops the PCK chain and all three collateral issuer chains; the TCB
// signing certificate signs both the TCB info and the QE identity), and OpenSSL 3 spends most of a
// parse decoding the public key through its provider framework: parsing each distinct DER once is
// most of a cold verification's parse cost. Bounded (cleared when full). Thread-safe.
class CertificatePool {
 public:
  explicit CertificatePool(size_t max_entries = 1024) : max_entries_(max_entries) {}

  // The certificate for `der`, parsed on first sight.
  Result<Certificate> FromDer(crypto::ByteSpan der);
  // Makes an already parsed certificate (a trust root) known by its bytes.
  void Add(const Certificate& certificate);

 private:
  const size_t max_entries_;
  std::mutex mutex_;
  std::unordered_map<std::string, Certificate> by_der_;  // by mutex_
};

// ParsePemChain that takes each certificate from `pool` (parsing only what it has not seen).
Result<std::vector<Certificate>> ParsePemChain(std::string_view pem_text, CertificatePool& pool);

}  // namespace teeharness::attestation::pki
