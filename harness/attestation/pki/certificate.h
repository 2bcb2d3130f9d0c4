#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::pki {

// One parsed X.509 certificate. Immutable after construction: the name strings, validity times,
// serial and EC public key are decoded once here, and OpenSSL's extension cache is filled eagerly
// so that later read-only calls on get() never mutate the object. Thread-safe to share (e.g. as
// std::shared_ptr<const Certificate>); copies are cheap and share the underlying X509.
//
// The X509 object carries no EVP_PKEY: OpenSSL 3.0 decodes a certificate's key inside d2i_X509
// through its provider decoder chain, which costs ~90 of the ~100 us a parse takes, and a cold
// quote verification parses three certificates. The key is read here from the
// SubjectPublicKeyInfo as a raw EC point instead, and every signature check in pki/ uses it
// (ecdsa.h, signed_object.h). X509_get0_pubkey(get()) is therefore null: do not call it.
class Certificate {
 public:
  // Parses exactly one DER certificate; trailing bytes are an error (they would not be signed).
  static Result<Certificate> FromDer(crypto::ByteSpan der);
  // Parses text holding exactly one "-----BEGIN CERTIFICATE-----" block (use ParsePemChain for
  // several). Whitespace, CRLF and text around the block are tolerated.
  static Result<Certificate> FromPem(std::string_view pem);

  // The exact DER bytes the certificate was parsed from (what a trust anchor is compared by).
  const crypto::Bytes& der() const { return der_; }
  // One-line distinguished names in certificate order, e.g.
  // "CN=Intel SGX PCK Certificate, O=Intel Corporation, L=Santa Clara, ST=CA, C=US".
  const std::string& subject() const { return subject_; }
  const std::string& issuer() const { return issuer_; }
  // Validity window, unix seconds (inclusive on both ends, as RFC 5280 defines it).
  int64_t not_before() const { return not_before_; }
  int64_t not_after() const { return not_after_; }
  // Serial number as lowercase hex of its big-endian bytes, as OpenSSL prints it: an even number of
  // digits ("02", "4d"), "0" for zero, a leading '-' if (illegally) negative.
  const std::string& serial_hex() const { return serial_hex_; }
  // The subject key when it is ECDSA on P-256 or P-384: the curve (NID_X9_62_prime256v1 or
  // NID_secp384r1) and the raw x||y coordinates (64 or 96 bytes). Any other key: NID_undef and
  // empty; such a certificate can be parsed and inspected, but verifies no signature.
  int key_curve_nid() const { return key_curve_nid_; }
  const crypto::Bytes& key_xy() const { return key_xy_; }
  // The OpenSSL object, for read-only OpenSSL calls (names, extensions; not the key, see above).
  // Owned by this Certificate (and its copies).
  X509* get() const { return x509_.get(); }

 private:
  Certificate() = default;

  std::shared_ptr<X509> x509_;
  crypto::Bytes der_;
  std::string subject_;
  std::string issuer_;
  std::string serial_hex_;
  int64_t not_before_ = 0;
  int64_t not_after_ = 0;
  int key_curve_nid_ = 0;  // NID_undef
  crypto::Bytes key_xy_;
};

// Splits concatenated PEM certificates (as found in quotes and collateral) into certificates, in
// order. Tolerates whitespace, CRLF, trailing NUL bytes and text between blocks. An error if there
// is no block, a block is unterminated, or a block does not parse (the error names the 0-based
// block index). Thread-safe.
Result<std::vector<Certificate>> ParsePemChain(std::string_view pem_text);

// Name formatting shared with Crl: the same one-line format as Certificate::subject().
std::string FormatName(const X509_NAME* name);

}  // namespace teeharness::attestation::pki
