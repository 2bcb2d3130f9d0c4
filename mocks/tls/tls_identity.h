#pragma once

#include <string>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::mocks::tls {

// The mock's TLS server identity: its certificate and key (PEM) and the SHA-256 of the
// certificate's SubjectPublicKeyInfo DER, which NEAR binds into report_data and states as
// tls_cert_fingerprint (PROTOCOLS.md "TLS binding"). Value type.
struct TlsIdentity {
  std::string certificate_pem;
  std::string private_key_pem;
  crypto::Hash32 spki_sha256{};
};

// A fresh P-256 key and a self-signed certificate for it (CN "teeharness mock", SAN 127.0.0.1,
// ::1 and localhost, valid from a day ago for 30 days). Thread-safe.
Result<TlsIdentity> MakeSelfSignedTlsIdentity();

// The certificate and key in PEM files `certificate_path` and `key_path` (--tls-cert/--tls-key);
// errors name the file. Thread-safe.
Result<TlsIdentity> LoadTlsIdentity(const std::string& certificate_path,
                                    const std::string& key_path);

// SHA-256 of the SubjectPublicKeyInfo DER of the first certificate in `certificate_pem`.
Result<crypto::Hash32> SpkiSha256(const std::string& certificate_pem);

}  // namespace teeharness::mocks::tls
