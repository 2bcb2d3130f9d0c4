#pragma once

#include <string>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::crypto {

// SHA-256 of a certificate's SubjectPublicKeyInfo DER: the TLS key fingerprint NEAR binds into
// report_data (PROTOCOLS.md "TLS binding": of the key, not of the whole certificate, so that a
// renewed certificate for the same key keeps it). Errors say what did not parse. Thread-safe.
Result<Hash32> SpkiSha256FromDer(ByteSpan certificate_der);
Result<Hash32> SpkiSha256FromPem(const std::string& certificate_pem);

}  // namespace teeharness::crypto
