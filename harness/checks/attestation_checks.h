#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/checks/outcome.h"
#include "harness/crypto/bytes.h"
#include "harness/protocol/attestation_report.h"
#include "harness/protocol/dialect.h"

namespace teeharness::checks {

// One 200 response to an attestation request, and what the run knows around it.
struct AttestationObservation {
  protocol::Dialect dialect = protocol::Dialect::kPhala;
  std::string sent_nonce;             // hex, exactly as sent
  std::string requested_algo;         // "ecdsa" or "ed25519"
  std::string expected_image_digest;  // expect.image_digest ("" = not pinned)
  std::string expected_model_name;  // NEAR 2026 model attestations: the model asked for ("" = any)
  // The previous report's fingerprint and nonce on this connection/worker (NONCE-FRESH).
  std::string previous_fingerprint;
  std::string previous_nonce;
  // TLS-BIND (expect.tls_binding): checked when asked; whether this attestation's TEE terminates
  // our connection (the flat report, NEAR's gateway; not its model TEEs), and what the fetching
  // connection was: TLS or not, and the SHA-256 of its leaf certificate's SubjectPublicKeyInfo.
  bool tls_binding = false;
  bool terminates_our_tls = true;
  bool connection_is_tls = false;
  std::optional<crypto::Hash32> connection_tls_key;
};

// ATTEST-SCHEMA, NONCE-ECHO, NONCE-PAD (ionet, short nonces), NONCE-BIND, ATTEST-BIND, NONCE-FRESH,
// IMAGE-DIGEST (ionet) and, when asked, TLS-BIND for one report. `report` is the parse result of
// the body; a parse error fails ATTEST-SCHEMA only. `fingerprint` receives what NONCE-FRESH
// compares next time. Thread-safe (pure).
std::vector<Outcome> CheckAttestation(const AttestationObservation& observation,
                                      const Result<protocol::AttestationReport>& report,
                                      std::string* fingerprint);

// The nonce a dialect must echo for `sent`: lowercase; ionet right-pads with '0' to 64 digits.
std::string ExpectedEchoedNonce(protocol::Dialect dialect, const std::string& sent);

// IMAGE-DIGEST for an io.net completion's `image_digest` header against the attested digest.
Outcome CheckImageDigestHeader(const std::string& chat_id, const std::string& header_digest,
                               const std::string& attested_digest);

}  // namespace teeharness::checks
