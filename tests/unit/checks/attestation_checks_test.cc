#include "harness/checks/attestation_checks.h"

#include <gtest/gtest.h>

#include <map>

#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/secp256k1.h"

namespace teeharness::checks {
namespace {

using protocol::AttestationReport;
using protocol::Dialect;

// The report_data example of the shipped synthetic vectors.
constexpr const char* kNonce = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
constexpr const char* kReportData =
    "f39fd6e51aad88f6f4ce6ab8827279cfffb92266000000000000000000000000"
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

crypto::Bytes QuoteWith(const std::string& report_data_hex) {
  crypto::Bytes quote(632, 0);
  quote[0] = 4;     // version 4, little-endian
  quote[4] = 0x81;  // TEE type TDX
  const crypto::Bytes data = *crypto::DecodeHex(report_data_hex);
  std::copy(data.begin(), data.end(), quote.begin() + 568);
  return quote;
}

AttestationReport GoodReport() {
  AttestationReport r;
  r.signing_address = kAddress;
  r.signing_algo = "ecdsa";
  r.echoed_nonce = kNonce;
  r.gpu_nonce = kNonce;
  r.quote = QuoteWith(kReportData);
  r.quote_encoding = "hex";
  const crypto::EcdsaKey key = *crypto::EcdsaKey::FromPrivateKey(
      *crypto::DecodeHex("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));
  r.signing_public_key = crypto::EncodeHex(key.public_key());
  return r;
}

AttestationObservation Observation() {
  AttestationObservation o;
  o.sent_nonce = kNonce;
  o.requested_algo = "ecdsa";
  return o;
}

std::map<std::string, Outcome> RunChecks(const AttestationObservation& o,
                                         const AttestationReport& r,
                                         std::string* fingerprint = nullptr) {
  std::map<std::string, Outcome> out;
  for (Outcome& outcome : CheckAttestation(o, Result<AttestationReport>(r), fingerprint)) {
    out.emplace(std::string(outcome.id), outcome);
  }
  return out;
}

TEST(AttestationChecks, SyntheticReportDataVectorPassesEverything) {
  const auto outcomes = RunChecks(Observation(), GoodReport());
  for (const char* id : {"ATTEST-SCHEMA", "NONCE-ECHO", "NONCE-BIND", "ATTEST-BIND"}) {
    ASSERT_TRUE(outcomes.count(id)) << id;
    EXPECT_TRUE(outcomes.at(id).passed) << id << ": " << outcomes.at(id).evidence;
  }
  EXPECT_FALSE(outcomes.count("NONCE-FRESH"));   // nothing to compare with yet
  EXPECT_FALSE(outcomes.count("IMAGE-DIGEST"));  // ionet only
}

TEST(AttestationChecks, NonceNotEchoedFailsEchoOnly) {
  AttestationReport r = GoodReport();
  r.echoed_nonce = std::string(64, 'f');
  const auto outcomes = RunChecks(Observation(), r);
  EXPECT_FALSE(outcomes.at("NONCE-ECHO").passed);
  EXPECT_NE(outcomes.at("NONCE-ECHO").evidence.find(kNonce), std::string::npos);
  EXPECT_TRUE(outcomes.at("NONCE-BIND").passed);
  EXPECT_TRUE(outcomes.at("ATTEST-BIND").passed);
}

TEST(AttestationChecks, ReportDataForAnotherAddressFailsBind) {
  AttestationReport r = GoodReport();
  std::string other = kReportData;
  other[0] = '0';
  r.quote = QuoteWith(other);
  const auto outcomes = RunChecks(Observation(), r);
  EXPECT_FALSE(outcomes.at("ATTEST-BIND").passed);
  EXPECT_TRUE(outcomes.at("NONCE-BIND").passed);
}

TEST(AttestationChecks, GpuNonceMismatchFailsNonceBind) {
  AttestationReport r = GoodReport();
  r.gpu_nonce = std::string(64, '0');
  const auto outcomes = RunChecks(Observation(), r);
  EXPECT_FALSE(outcomes.at("NONCE-BIND").passed);
  EXPECT_NE(outcomes.at("NONCE-BIND").evidence.find("GPU evidence nonce"), std::string::npos);
}

TEST(AttestationChecks, PublicKeyThatDoesNotHashToTheAddressFailsBind) {
  AttestationReport r = GoodReport();
  r.signing_public_key = crypto::EncodeHex(crypto::EcdsaKey::Generate().public_key());
  EXPECT_FALSE(RunChecks(Observation(), r).at("ATTEST-BIND").passed);
}

TEST(AttestationChecks, StaleReportFailsFreshness) {
  std::string fingerprint;
  RunChecks(Observation(), GoodReport(), &fingerprint);
  AttestationObservation next = Observation();
  next.previous_fingerprint = fingerprint;
  next.previous_nonce = kNonce;
  next.sent_nonce = std::string(64, 'a');
  const auto outcomes = RunChecks(next, GoodReport());  // the same report for another nonce
  EXPECT_FALSE(outcomes.at("NONCE-FRESH").passed);
  EXPECT_FALSE(outcomes.at("NONCE-ECHO").passed);
}

TEST(AttestationChecks, SchemaProblemsAndParseErrors) {
  AttestationReport r = GoodReport();
  r.schema_problems.push_back("nvidia_payload: missing");
  r.signing_algo = "ed25519";
  auto outcomes = RunChecks(Observation(), r);
  EXPECT_FALSE(outcomes.at("ATTEST-SCHEMA").passed);
  EXPECT_NE(outcomes.at("ATTEST-SCHEMA").evidence.find("asked ecdsa, got ed25519"),
            std::string::npos);
  const auto failed =
      CheckAttestation(Observation(), Result<AttestationReport>(Error{"not JSON"}), nullptr);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].id, "ATTEST-SCHEMA");
  EXPECT_FALSE(failed[0].passed);
}

TEST(AttestationChecks, NearRequiresLowercaseAddress) {
  AttestationObservation o = Observation();
  o.dialect = Dialect::kNear;
  EXPECT_FALSE(RunChecks(o, GoodReport()).at("ATTEST-SCHEMA").passed);
  AttestationReport r = GoodReport();
  r.signing_address = crypto::ToLowerAddress(*crypto::ParseAddress(kAddress));
  EXPECT_TRUE(RunChecks(o, r).at("ATTEST-SCHEMA").passed);
}

// NEAR 2026's gateway: a CPU-only TEE (no GPU evidence) that also states its report_data.
TEST(AttestationChecks, NearGatewayBindsTheNonceInItsQuoteAlone) {
  AttestationReport r = GoodReport();
  r.gpu_expected = false;
  r.gpu_nonce.clear();
  r.report_data_field = kReportData;
  auto outcomes = RunChecks(Observation(), r);
  EXPECT_TRUE(outcomes.at("NONCE-BIND").passed) << outcomes.at("NONCE-BIND").evidence;
  EXPECT_TRUE(outcomes.at("ATTEST-BIND").passed) << outcomes.at("ATTEST-BIND").evidence;
  // The same report from a GPU TEE lacks its GPU evidence nonce.
  r.gpu_expected = true;
  EXPECT_FALSE(RunChecks(Observation(), r).at("NONCE-BIND").passed);
  // Without a parsable quote there is nothing to judge: a skip, never a pass.
  r.gpu_expected = false;
  r.quote.clear();
  outcomes = RunChecks(Observation(), r);
  EXPECT_TRUE(outcomes.at("NONCE-BIND").skipped);
  EXPECT_FALSE(outcomes.at("NONCE-BIND").passed);
}

TEST(AttestationChecks, NearGatewayReportDataFieldMustBeTheQuotes) {
  AttestationReport r = GoodReport();
  r.gpu_expected = false;
  r.report_data_field = std::string(128, '0');
  const auto outcomes = RunChecks(Observation(), r);
  EXPECT_FALSE(outcomes.at("ATTEST-BIND").passed);
  EXPECT_NE(outcomes.at("ATTEST-BIND").evidence.find("report_data field differs"),
            std::string::npos);
  EXPECT_TRUE(outcomes.at("NONCE-BIND").passed);
}

TEST(AttestationChecks, NearModelAttestationIsForTheModelAskedFor) {
  AttestationReport r = GoodReport();
  r.model_name = "org/other";
  AttestationObservation o = Observation();
  EXPECT_TRUE(RunChecks(o, r).at("ATTEST-SCHEMA").passed);  // not asked: any model
  o.expected_model_name = "org/m";
  const auto outcomes = RunChecks(o, r);
  EXPECT_FALSE(outcomes.at("ATTEST-SCHEMA").passed);
  EXPECT_NE(outcomes.at("ATTEST-SCHEMA").evidence.find("model_name: asked org/m, got org/other"),
            std::string::npos);
}

TEST(AttestationChecks, IonetPaddingRightIsRequired) {
  AttestationObservation o = Observation();
  o.dialect = Dialect::kIonet;
  o.sent_nonce = "abcd";
  const std::string padded = "abcd" + std::string(60, '0');
  AttestationReport r = GoodReport();
  r.echoed_nonce = r.gpu_nonce = padded;
  r.quote.clear();  // cpu.quote is optional on io.net
  r.image_digest = "sha256:" + std::string(64, 'e');
  auto outcomes = RunChecks(o, r);
  EXPECT_TRUE(outcomes.at("NONCE-PAD").passed) << outcomes.at("NONCE-PAD").evidence;
  EXPECT_TRUE(outcomes.at("NONCE-ECHO").passed);
  EXPECT_TRUE(outcomes.at("NONCE-BIND").passed);
  EXPECT_TRUE(outcomes.at("IMAGE-DIGEST").passed);
  EXPECT_FALSE(outcomes.count("ATTEST-BIND"));

  r.echoed_nonce = r.gpu_nonce = std::string(60, '0') + "abcd";  // left-padded
  outcomes = RunChecks(o, r);
  EXPECT_FALSE(outcomes.at("NONCE-PAD").passed);
  EXPECT_FALSE(outcomes.at("NONCE-ECHO").passed);

  o.expected_image_digest = "sha256:" + std::string(64, 'f');
  r.echoed_nonce = r.gpu_nonce = padded;
  EXPECT_FALSE(RunChecks(o, r).at("IMAGE-DIGEST").passed);
  EXPECT_FALSE(CheckImageDigestHeader("c", "sha256:x", r.image_digest).passed);
  EXPECT_TRUE(CheckImageDigestHeader("c", r.image_digest, r.image_digest).passed);
}

}  // namespace
}  // namespace teeharness::checks
