#include "harness/checks/tls_binding_checks.h"

#include <gtest/gtest.h>

#include <string>

#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"

namespace teeharness::checks {
namespace {

constexpr const char* kNonce = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

crypto::Hash32 Key(const char* name) { return crypto::Sha256::Hash(std::string_view(name)); }

// report_data as NEAR builds it with a TLS key: SHA-256(address bytes ‖ fingerprint) ‖ nonce.
std::string BoundReportData(const crypto::Hash32& fingerprint) {
  crypto::Sha256 hasher;
  hasher.Update(*crypto::DecodeHex("f39fd6e51aad88f6f4ce6ab8827279cfffb92266"));
  hasher.Update(crypto::ByteSpan(fingerprint));
  return crypto::EncodeHex(hasher.Finish()) + kNonce;
}

protocol::AttestationReport Report(const crypto::Hash32& stated) {
  protocol::AttestationReport r;
  r.signing_address = kAddress;
  r.signing_algo = "ecdsa";
  r.tls_cert_fingerprint = crypto::EncodeHex(stated);
  return r;
}

AttestationObservation Over(const crypto::Hash32& connection_key) {
  AttestationObservation o;
  o.dialect = protocol::Dialect::kNear;
  o.sent_nonce = kNonce;
  o.tls_binding = true;
  o.connection_is_tls = true;
  o.connection_tls_key = connection_key;
  return o;
}

TEST(TlsBinding, TheConnectionsKeyBoundWithTheSigningKeyPasses) {
  const crypto::Hash32 key = Key("served");
  EXPECT_TRUE(CheckTlsBinding(Over(key), Report(key), BoundReportData(key)).passed);
  EXPECT_EQ(TlsBoundIdentityHex(*crypto::DecodeHex("f39fd6e51aad88f6f4ce6ab8827279cfffb92266"),
                                crypto::ByteSpan(key)),
            BoundReportData(key).substr(0, 64));
}

// A server that binds another key consistently (stated and in report_data) is caught only by
// comparing with the connection's key.
TEST(TlsBinding, AnotherKeyBoundConsistentlyFailsNamingBothKeys) {
  const crypto::Hash32 served = Key("served"), other = Key("other");
  const Outcome o = CheckTlsBinding(Over(served), Report(other), BoundReportData(other));
  EXPECT_FALSE(o.passed);
  EXPECT_NE(o.evidence.find(crypto::EncodeHex(other)), std::string::npos) << o.evidence;
  EXPECT_NE(o.evidence.find(crypto::EncodeHex(served)), std::string::npos) << o.evidence;
}

TEST(TlsBinding, TheRightFingerprintStatedButAnotherBoundFails) {
  const crypto::Hash32 served = Key("served");
  const Outcome o = CheckTlsBinding(Over(served), Report(served), BoundReportData(Key("other")));
  EXPECT_FALSE(o.passed);
  EXPECT_NE(o.evidence.find("report_data starts with"), std::string::npos) << o.evidence;
}

TEST(TlsBinding, NoFingerprintStatedFails) {
  protocol::AttestationReport r = Report(Key("served"));
  r.tls_cert_fingerprint.clear();
  const Outcome o = CheckTlsBinding(Over(Key("served")), r, BoundReportData(Key("served")));
  EXPECT_FALSE(o.passed);
  EXPECT_FALSE(o.skipped);
  EXPECT_NE(o.evidence.find("no tls_cert_fingerprint"), std::string::npos);
}

TEST(TlsBinding, SkippedWithTheReasonWhenItCannotBeJudged) {
  const crypto::Hash32 key = Key("served");
  AttestationObservation plain = Over(key);
  plain.connection_is_tls = false;
  plain.connection_tls_key.reset();
  Outcome o = CheckTlsBinding(plain, Report(key), BoundReportData(key));
  EXPECT_TRUE(o.skipped);
  EXPECT_NE(o.evidence.find("plain HTTP"), std::string::npos) << o.evidence;
  AttestationObservation model = Over(key);
  model.terminates_our_tls = false;
  o = CheckTlsBinding(model, Report(key), BoundReportData(key));
  EXPECT_TRUE(o.skipped);
  EXPECT_NE(o.evidence.find("model TEE"), std::string::npos);
  AttestationObservation unread = Over(key);
  unread.connection_tls_key.reset();
  EXPECT_TRUE(CheckTlsBinding(unread, Report(key), BoundReportData(key)).skipped);
}

}  // namespace
}  // namespace teeharness::checks
