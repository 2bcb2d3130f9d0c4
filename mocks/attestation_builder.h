#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "harness/crypto/bytes.h"
#include "mocks/gpu_evidence.h"
#include "mocks/pki/quote_signer.h"
#include "mocks/signer_keys.h"

namespace teeharness::mocks {

// Size of the mock quote: 48-byte header + 584-byte TD report body + a 4-byte signature length of
// zero (a mock has no Intel signature). report_data sits at bytes 568..632, as in a TDX v4 quote.
inline constexpr size_t kMockQuoteSize = 636;

// A structurally valid but unsigned TDX v4 quote carrying `report_data` (64 bytes), plainly marked
// as a mock: the header's user data reads "TEEHARNESS-MOCK" and the signature section is empty.
// Reports no longer use it (they carry pki::BuildSignedQuote's quotes, signed by the mock's DCAP
// PKI); it stays for tests that need an unsigned quote. Thread-safe.
crypto::Bytes BuildMockQuote(crypto::ByteSpan report_data);

// report_data = the signing identity (20-byte address for ECDSA, 32-byte key for Ed25519)
// right-padded with zeros to 32 bytes, then the 32-byte nonce.
crypto::Bytes BuildReportData(crypto::ByteSpan identity, crypto::ByteSpan nonce32);

// What one report says; the builders render it in a dialect's JSON.
struct ReportInputs {
  const KeyPair* keys = nullptr;
  std::string algo = "ecdsa";  // phala/near: the requested signing_algo
  std::string nonce_hex;       // 64 hex: bound into report_data and GPU evidence
  std::string echoed_nonce;    // what request_nonce / nonce says (normally nonce_hex)
  std::string model;
  int gpus = 1;
  GpuFaults gpu_faults;                 // applied to every GPU of the report
  bool event_log_mismatch = false;      // the event log does not replay to the quote's RTMR0
  bool compose_mismatch = false;        // info ships another app_compose than the one measured
  std::string image_digest;             // ionet
  bool lowercase_address = false;       // near
  const KeyPair* bound_keys = nullptr;  // whose identity report_data binds (nullptr: keys)
  // The quote's fields and faults; report_data is filled in from the identity and the nonce.
  pki::QuoteFields quote;
  // near 2026's gateway asked to bind its TLS key: report_data[0..32] is then
  // SHA-256(identity ‖ fingerprint) and the report states tls_cert_fingerprint.
  std::optional<crypto::Hash32> tls_fingerprint;
};

std::string BuildProxyReport(const ReportInputs& in, bool with_model_name);

// NEAR's 2026 envelope (PROTOCOLS.md "NEAR 2026"): gateway_attestation from `gateway` (no GPU
// evidence, event_log as a JSON string, its report_data stated) and one model attestation from
// `model`; `tls_certificate` (PEM, "" for none) is the envelope's tls_certificate.
std::string BuildNear2026Report(const ReportInputs& gateway, const ReportInputs& model,
                                const std::string& tls_certificate = "");
std::string BuildIonetReport(const ReportInputs& in);

}  // namespace teeharness::mocks
