#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "harness/attestation/pki/certificate.h"
#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::pki {

// One parsed X.509 CRL. Immutable after construction; thread-safe to share (copies are cheap and
// share the underlying X509_CRL). Lookups iterate the revoked list read-only, never letting OpenSSL
// sort it lazily behind our back.
class Crl {
 public:
  // Exactly one DER CRL; trailing bytes are an error. A CRL without nextUpdate is rejected (RFC
  // 5280 requires it, and without it the CRL could never be considered stale).
  static Result<Crl> FromDer(crypto::ByteSpan der);
  // Accepts DER bytes, hex text of DER (as in the collateral JSON, optional 0x, surrounding
  // whitespace ignored) or one PEM "X509 CRL" block.
  static Result<Crl> Parse(std::string_view text_or_bytes);

  const crypto::Bytes& der() const { return der_; }
  int64_t this_update() const { return this_update_; }
  int64_t next_update() const { return next_update_; }
  // Same one-line format as Certificate::subject().
  const std::string& issuer() const { return issuer_; }

  // True if `cert`'s serial number is on the revoked list. Serial only: the caller decides that the
  // certificate was issued by this CRL's issuer (VerifyChain does).
  bool Lists(const Certificate& cert) const;
  // True if the CRL's signature verifies with `issuer`'s public key (signature only; names are the
  // caller's business).
  bool SignedBy(const Certificate& issuer) const;

  X509_CRL* get() const { return crl_.get(); }

 private:
  Crl() = default;

  std::shared_ptr<X509_CRL> crl_;
  crypto::Bytes der_;
  std::string issuer_;
  int64_t this_update_ = 0;
  int64_t next_update_ = 0;
};

}  // namespace teeharness::attestation::pki
