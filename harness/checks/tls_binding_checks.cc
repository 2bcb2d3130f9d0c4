#include "harness/checks/tls_binding_checks.h"

#include <algorithm>

#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"

namespace teeharness::checks {

crypto::Bytes SigningIdentity(const protocol::AttestationReport& report) {
  if (report.signing_algo == "ed25519") {
    Result<crypto::Bytes> key = crypto::DecodeHexExact(report.signing_address, 32);
    return key.ok() ? std::move(key).value() : crypto::Bytes();
  }
  Result<crypto::Address20> address = crypto::ParseAddress(report.signing_address);
  if (!address.ok()) return {};
  return crypto::Bytes(address->begin(), address->end());
}

std::string TlsBoundIdentityHex(crypto::ByteSpan identity, crypto::ByteSpan spki_sha256) {
  crypto::Sha256 hasher;
  hasher.Update(identity);
  hasher.Update(spki_sha256);
  return crypto::EncodeHex(hasher.Finish());
}

Outcome CheckTlsBinding(const AttestationObservation& o, const protocol::AttestationReport& report,
                        const std::string& report_data_hex) {
  const std::string where = "nonce " + o.sent_nonce + ": ";
  if (!o.terminates_our_tls) {
    return Outcome::Skip("TLS-BIND",
                         "a model TEE behind the gateway: its TLS key is on the gateway's "
                         "connection to it, not on ours");
  }
  if (!o.connection_is_tls) {
    return Outcome::Skip("TLS-BIND", "the report was fetched over plain HTTP: no TLS key to bind");
  }
  if (!o.connection_tls_key) {
    return Outcome::Skip("TLS-BIND", "the connection's certificate could not be read");
  }
  const std::string connection = crypto::EncodeHex(*o.connection_tls_key);
  if (report.tls_cert_fingerprint.empty()) {
    return Outcome::Fail("TLS-BIND", where +
                                         "asked include_tls_fingerprint=true; the report states "
                                         "no tls_cert_fingerprint (the connection's key is " +
                                         connection + ")");
  }
  std::string stated = report.tls_cert_fingerprint;
  std::transform(stated.begin(), stated.end(), stated.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (stated != connection) {
    return Outcome::Fail("TLS-BIND", where + "tls_cert_fingerprint " + stated +
                                         " is not the key this connection presented (" +
                                         connection + ")");
  }
  if (report_data_hex.size() < 64) {
    return Outcome::Skip("TLS-BIND", "no quote report_data to check the binding in");
  }
  const crypto::Bytes identity = SigningIdentity(report);
  const std::string expected = TlsBoundIdentityHex(identity, *o.connection_tls_key);
  if (identity.empty() || report_data_hex.compare(0, 64, expected) != 0) {
    return Outcome::Fail("TLS-BIND",
                         where + "report_data starts with " + report_data_hex.substr(0, 64) +
                             ", not SHA-256(signing key ‖ this connection's TLS key) " + expected);
  }
  return Outcome::Pass("TLS-BIND");
}

}  // namespace teeharness::checks
