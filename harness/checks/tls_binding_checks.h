#pragma once

#include <string>

#include "harness/checks/attestation_checks.h"
#include "harness/checks/outcome.h"
#include "harness/crypto/bytes.h"
#include "harness/protocol/attestation_report.h"

namespace teeharness::checks {

// The raw signing identity report_data binds: the 20-byte address (ecdsa) or the 32-byte public
// key (ed25519); empty when it does not parse. Thread-safe (pure).
crypto::Bytes SigningIdentity(const protocol::AttestationReport& report);

// report_data[0..32] as hex when a TLS key is bound (PROTOCOLS.md "TLS binding"):
// SHA-256(identity ‖ spki_sha256), the identity not padded and not as text. Thread-safe (pure).
std::string TlsBoundIdentityHex(crypto::ByteSpan identity, crypto::ByteSpan spki_sha256);

// TLS-BIND for one attestation fetched with include_tls_fingerprint=true: the report states the
// fingerprint of the TLS key of the very connection that fetched it (SHA-256 of the leaf
// certificate's SubjectPublicKeyInfo, read from that connection, never from a second one: behind
// a load balancer another connection may reach another backend), and its quote's report_data
// binds the signing key to that TLS key. Skipped, with the reason, for an attestation whose TEE
// does not terminate this connection (NEAR's model TEEs behind the gateway), over plain HTTP, or
// when the connection's certificate could not be read. `report_data_hex` is the quote's ("" when
// there is none). Thread-safe (pure).
Outcome CheckTlsBinding(const AttestationObservation& o, const protocol::AttestationReport& report,
                        const std::string& report_data_hex);

}  // namespace teeharness::checks
