#pragma once

#include "harness/attestation/pki/certificate.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::pki {

// ECDSA verification of raw r||s signatures as they appear in TDX quotes and SPDM messages.
// All functions are thread-safe and return false (never an error or a crash) on wrong lengths,
// points not on the curve, or out-of-range r/s.

// `public_key_xy` is raw x||y (64 bytes, no 0x04 prefix); `signature_rs` is r||s (64 bytes);
// `message` is hashed with SHA-256 inside. On the per-quote hot path, so kept allocation-light.
bool VerifyP256(crypto::ByteSpan public_key_xy, crypto::ByteSpan message,
                crypto::ByteSpan signature_rs);
// As VerifyP256 for P-384: 96-byte key and signature, SHA-384.
bool VerifyP384(crypto::ByteSpan public_key_xy, crypto::ByteSpan message,
                crypto::ByteSpan signature_rs);
// With the key of `cert`; its curve decides sizes and hash (P-256 -> SHA-256, P-384 -> SHA-384).
// Any other key type is false. Uses the key read at parse (Certificate::key_xy), no EVP_PKEY.
bool VerifyWithCertificate(const Certificate& cert, crypto::ByteSpan message,
                           crypto::ByteSpan signature_rs);

// ECDSA over a precomputed `digest` with the key of `cert` (P-256 or P-384, whatever the digest
// size), the signature in strict DER (ECDSA-Sig-Value), as X.509 certificates and CRLs carry it.
bool VerifyDigestWithCertificate(const Certificate& cert, crypto::ByteSpan digest,
                                 crypto::ByteSpan der_signature);

}  // namespace teeharness::attestation::pki
