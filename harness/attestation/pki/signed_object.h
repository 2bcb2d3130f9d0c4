#pragma once

#include "harness/attestation/pki/certificate.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::pki {

// True if `der`, a DER X.509 certificate or CRL (SEQUENCE { tbs, signatureAlgorithm,
// signatureValue }), carries a valid ECDSA signature by `issuer`'s key over its exact tbs bytes.
// As OpenSSL's X509_verify / X509_CRL_verify: the outer signatureAlgorithm must equal the one
// inside tbs byte for byte, and only ecdsa-with-SHA256 and ecdsa-with-SHA384 (no parameters) are
// accepted; the signature must be strict DER. Any other algorithm or key, or malformed bytes, is
// false. Reads the issuer key parsed once with the certificate, so no EVP_PKEY is built.
// Thread-safe (pure).
bool IssuerSignatureVerifies(crypto::ByteSpan der, const Certificate& issuer);

}  // namespace teeharness::attestation::pki
