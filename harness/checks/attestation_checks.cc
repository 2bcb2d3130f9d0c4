#include "harness/checks/attestation_checks.h"

#include <algorithm>
#include <cctype>

#include "harness/attestation/quote/tdx_quote.h"
#include "harness/checks/tls_binding_checks.h"
#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"

namespace teeharness::checks {
namespace {

using protocol::AttestationReport;
using protocol::Dialect;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// report_data of the TDX quote as hex, or "" when there is no quote or it does not parse (the
// schema check reports why).
std::string ReportDataHex(const AttestationReport& report) {
  if (report.quote.empty()) return {};
  const Result<attestation::TdxQuote> quote = attestation::ParseTdxQuote(report.quote);
  if (!quote.ok()) return {};
  return crypto::EncodeHex(quote->report_data);
}

Outcome SchemaCheck(const AttestationObservation& o, const AttestationReport& report) {
  std::vector<std::string> problems = report.schema_problems;
  if (o.dialect != Dialect::kIonet && !o.requested_algo.empty() &&
      report.signing_algo != o.requested_algo) {
    problems.push_back("signing_algo: asked " + o.requested_algo + ", got " + report.signing_algo);
  }
  if (report.signing_algo == "ecdsa" && !crypto::ParseAddress(report.signing_address).ok()) {
    problems.push_back("signing_address: not an Ethereum address (" + report.signing_address + ")");
  }
  if (report.signing_algo == "ed25519" &&
      !crypto::DecodeHexExact(report.signing_address, 32).ok()) {
    problems.push_back("signing_address: not a 64-hex Ed25519 key");
  }
  if (!o.expected_model_name.empty() && report.model_name != o.expected_model_name) {
    problems.push_back("model_name: asked " + o.expected_model_name + ", got " + report.model_name);
  }
  if (o.dialect == Dialect::kNear && report.signing_address != Lower(report.signing_address)) {
    problems.push_back("signing_address: near sends lowercase hex");
  }
  if (o.dialect != Dialect::kIonet && report.quote.empty())
    problems.push_back("intel_quote: empty");
  if (!report.quote.empty()) {
    if (const Result<attestation::TdxQuote> quote = attestation::ParseTdxQuote(report.quote);
        !quote.ok())
      problems.push_back(std::string(o.dialect == Dialect::kIonet ? "cpu.quote" : "intel_quote") +
                         ": " + quote.error());
  }
  if (problems.empty()) return Outcome::Pass("ATTEST-SCHEMA");
  std::string evidence = "nonce " + o.sent_nonce + ": ";
  for (size_t i = 0; i < problems.size(); ++i) evidence += (i ? "; " : "") + problems[i];
  return Outcome::Fail("ATTEST-SCHEMA", evidence);
}

Outcome EchoCheck(const AttestationObservation& o, const AttestationReport& report) {
  const std::string sent = Lower(o.sent_nonce);
  const std::string echoed = Lower(report.echoed_nonce);
  const bool ok = o.dialect == Dialect::kIonet ? echoed.rfind(sent, 0) == 0 : echoed == sent;
  if (ok) return Outcome::Pass("NONCE-ECHO");
  return Outcome::Fail("NONCE-ECHO",
                       "sent " + o.sent_nonce + ", echoed \"" + report.echoed_nonce + "\"");
}

Outcome PadCheck(const AttestationObservation& o, const AttestationReport& report) {
  const std::string expected = ExpectedEchoedNonce(o.dialect, o.sent_nonce);
  const std::string nonce = Lower(report.echoed_nonce);
  const std::string gpu = Lower(report.gpu_nonce);
  if (nonce == expected && gpu == expected) return Outcome::Pass("NONCE-PAD");
  return Outcome::Fail("NONCE-PAD", "sent " + o.sent_nonce + " (" +
                                        std::to_string(o.sent_nonce.size()) + " hex), expected " +
                                        expected + ", nonce " + nonce + ", gpu.nonce " + gpu);
}

Outcome BindNonceCheck(const AttestationObservation& o, const AttestationReport& report,
                       const std::string& report_data) {
  const std::string expected = ExpectedEchoedNonce(o.dialect, o.sent_nonce);
  // A CPU-only TEE (NEAR's gateway) binds the nonce in its quote alone: without one, nothing here
  // could be judged.
  if (!report.gpu_expected && report_data.empty()) {
    return Outcome::Skip(
        "NONCE-BIND", "nonce " + expected + ": no parsable quote and no GPU evidence to look in");
  }
  std::string problems;
  if (!report_data.empty() && report_data.substr(64) != expected) {
    problems += "report_data ends with " + report_data.substr(64);
  }
  if (report.gpu_expected && Lower(report.gpu_nonce) != expected) {
    problems += (problems.empty() ? "" : "; ") + std::string("GPU evidence nonce \"") +
                report.gpu_nonce + "\"";
  }
  if (problems.empty()) return Outcome::Pass("NONCE-BIND");
  return Outcome::Fail("NONCE-BIND", "nonce " + expected + ": " + problems);
}

Outcome BindAddressCheck(const AttestationObservation& o, const AttestationReport& report,
                         const std::string& report_data) {
  // The key itself, zero-padded to 32 bytes; with a TLS key stated, SHA-256(key ‖ that key's
  // fingerprint) (TLS-BIND judges whether it is the connection's).
  std::string expected;
  const crypto::Bytes identity = SigningIdentity(report);
  Result<crypto::Bytes> tls_key = crypto::DecodeHexExact(report.tls_cert_fingerprint, 32);
  if (!identity.empty() && tls_key.ok()) {
    expected = TlsBoundIdentityHex(identity, *tls_key);
  } else if (!identity.empty()) {
    expected = crypto::EncodeHex(identity);
    expected.append(64 - std::min<size_t>(expected.size(), 64), '0');
  }
  std::string problems;
  if (expected.size() != 64 || report_data.substr(0, 64) != expected) {
    problems = "report_data starts with " + report_data.substr(0, 64) + ", signing_address " +
               report.signing_address;
  }
  // NEAR's gateway also states report_data on its own: it must be the quote's.
  if (!report.report_data_field.empty() && Lower(report.report_data_field) != report_data) {
    problems += (problems.empty() ? "" : "; ") +
                std::string("the report_data field differs from the quote's report_data");
  }
  // The published public key must hash to the address it claims to be.
  if (report.signing_algo == "ecdsa" && !report.signing_public_key.empty()) {
    Result<crypto::Bytes> key = crypto::DecodeHexExact(report.signing_public_key, 64);
    crypto::PublicKey64 public_key{};
    if (key.ok()) std::copy(key->begin(), key->end(), public_key.begin());
    if (!key.ok() ||
        !crypto::SameAddress(crypto::ToLowerAddress(crypto::AddressFromPublicKey(public_key)),
                             report.signing_address)) {
      problems += (problems.empty() ? "" : "; ") +
                  std::string("signing_public_key does not hash to signing_address");
    }
  }
  if (problems.empty()) return Outcome::Pass("ATTEST-BIND");
  return Outcome::Fail("ATTEST-BIND", "nonce " + o.sent_nonce + ": " + problems);
}

std::string Fingerprint(const AttestationReport& report) {
  crypto::Sha256 hash;
  hash.Update(crypto::ByteSpan(report.quote));
  hash.Update(std::string_view(report.gpu_nonce));
  hash.Update(std::string_view(report.echoed_nonce));
  return crypto::EncodeHex(hash.Finish());
}

bool IsImageDigest(const std::string& digest) {
  return digest.size() == 71 && digest.rfind("sha256:", 0) == 0 &&
         crypto::IsHexDigits(std::string_view(digest).substr(7)) && digest == Lower(digest);
}

Outcome ImageDigestCheck(const AttestationObservation& o, const AttestationReport& report) {
  if (!IsImageDigest(report.image_digest)) {
    return Outcome::Fail("IMAGE-DIGEST", "image_digest \"" + report.image_digest +
                                             "\" is not sha256:<64 lowercase hex>");
  }
  if (!o.expected_image_digest.empty() && report.image_digest != o.expected_image_digest) {
    return Outcome::Fail("IMAGE-DIGEST", "attested " + report.image_digest + ", expected " +
                                             o.expected_image_digest);
  }
  return Outcome::Pass("IMAGE-DIGEST");
}

}  // namespace

std::string ExpectedEchoedNonce(protocol::Dialect dialect, const std::string& sent) {
  std::string expected = Lower(sent);
  if (dialect == Dialect::kIonet && expected.size() < 64)
    expected.append(64 - expected.size(), '0');
  return expected;
}

std::vector<Outcome> CheckAttestation(const AttestationObservation& o,
                                      const Result<AttestationReport>& parsed,
                                      std::string* fingerprint) {
  if (!parsed.ok()) {
    return {Outcome::Fail("ATTEST-SCHEMA", "nonce " + o.sent_nonce + ": " + parsed.error())};
  }
  const AttestationReport& report = *parsed;
  const std::string report_data = ReportDataHex(report);
  std::vector<Outcome> outcomes = {SchemaCheck(o, report), EchoCheck(o, report)};
  if (o.dialect == Dialect::kIonet && o.sent_nonce.size() < 64) {
    outcomes.push_back(PadCheck(o, report));
  }
  outcomes.push_back(BindNonceCheck(o, report, report_data));
  // Without a quote (io.net's cpu.quote is optional) the address binding cannot be judged here.
  if (!report_data.empty()) outcomes.push_back(BindAddressCheck(o, report, report_data));
  const std::string current = Fingerprint(report);
  if (!o.previous_fingerprint.empty() && o.previous_nonce != o.sent_nonce) {
    outcomes.push_back(
        current == o.previous_fingerprint
            ? Outcome::Fail("NONCE-FRESH", "nonce " + o.sent_nonce +
                                               " returned the same report as nonce " +
                                               o.previous_nonce)
            : Outcome::Pass("NONCE-FRESH"));
  }
  if (o.dialect == Dialect::kIonet) outcomes.push_back(ImageDigestCheck(o, report));
  if (o.tls_binding) outcomes.push_back(CheckTlsBinding(o, report, report_data));
  if (fingerprint != nullptr) *fingerprint = current;
  return outcomes;
}

Outcome CheckImageDigestHeader(const std::string& chat_id, const std::string& header_digest,
                               const std::string& attested_digest) {
  if (header_digest == attested_digest && IsImageDigest(header_digest)) {
    return Outcome::Pass("IMAGE-DIGEST");
  }
  return Outcome::Fail("IMAGE-DIGEST", "chat " + chat_id + ": header image_digest \"" +
                                           header_digest + "\", attested " + attested_digest);
}

}  // namespace teeharness::checks
