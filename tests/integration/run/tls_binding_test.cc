// TLS-BIND in `teeharness run` against the real mock serving HTTPS (--tls, a self-signed key made
// at start): NEAR 2026's gateway binds the key of the connection that fetched its report, the
// model TEEs behind it are skipped with the reason, and a mock binding another key
// (tls_key_mismatch) fails TLS-BIND and nothing else.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/mock_trust.h"
#include "tests/support/run_report.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::RunScenario;

constexpr const char* kScenario = R"({
  "name": "tls-binding",
  "target": { "dialect": "near", "insecure_tls": true },
  "expect": { "tls_binding": true },
  "phases": [ { "name": "attest", "flow": "attest", "iterations": 3 } ]
})";

// The run's arguments against `mock`: its roots and collateral named, as for any target the
// harness did not start.
std::vector<std::string> Args(const testing::MockServer& mock, testing::TempDir& dir) {
  const std::string collateral = dir.Write(
      "collateral.json", testing::HttpRequest("GET", mock.url("/mock/pki/collateral.json")).body);
  std::vector<std::string> args = {dir.Write("s.json", kScenario), "--target", mock.url(""),
                                   "--collateral", collateral};
  for (std::string& arg : testing::TrustMockRoots(mock, dir)) args.push_back(std::move(arg));
  return args;
}

TEST(TlsBinding, TheGatewayBindsTheKeyOfTheConnectionThatFetchedIt) {
  testing::MockServer mock({"--dialect", "near", "--tls"});
  ASSERT_TRUE(mock.started());
  ASSERT_EQ(mock.url("").rfind("https://", 0), 0u);
  testing::TempDir dir;
  const auto run = RunScenario(Args(mock, dir));
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  EXPECT_EQ(run.Passed("TLS-BIND"), 3u) << run.report;  // the gateway's, once per response
  EXPECT_EQ(run.Skipped("TLS-BIND"), 3u);               // the model TEE's, behind the gateway
  EXPECT_NE(run.report.find("a model TEE behind the gateway"), std::string::npos);
  EXPECT_EQ(run.Passed("ATTEST-BIND"), 6u);  // report_data binds key and TLS key, both TEEs
}

TEST(TlsBinding, AnotherKeyBoundFailsOnlyTlsBind) {
  testing::MockServer mock({"--dialect", "near", "--tls", "--fault", "tls_key_mismatch"});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  const auto run = RunScenario(Args(mock, dir));
  EXPECT_EQ(run.process.exit_code, 1);
  EXPECT_EQ(run.Failed(), std::vector<std::string>{"TLS-BIND"}) << run.report;
  EXPECT_EQ(run.checks.at("TLS-BIND").second, 3u);
  EXPECT_NE(run.report.find("is not the key this connection presented"), std::string::npos);
}

// --tls-cert/--tls-key: the mock serves, states and binds the given key; the run reads the same
// key from its connection.
TEST(TlsBinding, AGivenCertificateIsTheOneBound) {
  testing::TempDir keys;
  const auto made = testing::RunProcess(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
       "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout",
       keys.path() + "/key.pem", "-out", keys.path() + "/cert.pem"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  testing::MockServer mock({"--dialect", "near", "--tls-cert", keys.path() + "/cert.pem",
                            "--tls-key", keys.path() + "/key.pem"});
  ASSERT_TRUE(mock.started());
  const auto spki = testing::RunProcess(
      {"/bin/sh", "-c",
       "openssl x509 -in " + keys.path() +
           "/cert.pem -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum"});
  ASSERT_EQ(spki.exit_code, 0);
  testing::TempDir dir;
  const auto run = RunScenario(Args(mock, dir));
  EXPECT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  EXPECT_EQ(run.Passed("TLS-BIND"), 3u) << run.report;
  const std::string report =
      testing::HttpRequest("GET",
                           mock.url("/v1/attestation/report?include_tls_fingerprint=true&nonce=" +
                                    std::string(64, 'a')))
          .body;
  EXPECT_NE(report.find("\"tls_cert_fingerprint\":\"" + spki.out.substr(0, 64) + "\""),
            std::string::npos)
      << report;
}

// Over plain HTTP there is no TLS key: TLS-BIND is skipped, saying so, and the run is not failed
// by the skip.
TEST(TlsBinding, PlainHttpSkipsItWithTheReason) {
  testing::MockServer mock({"--dialect", "near"});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  const auto run = RunScenario(Args(mock, dir));
  EXPECT_EQ(run.process.exit_code, 0) << run.report;
  EXPECT_EQ(run.Passed("TLS-BIND"), 0u);
  EXPECT_EQ(run.Skipped("TLS-BIND"), 6u);
  EXPECT_NE(run.report.find("fetched over plain HTTP"), std::string::npos) << run.report;
}

TEST(TlsBinding, OnlyTheNearDialectDefinesIt) {
  testing::TempDir dir;
  const auto run = RunScenario({dir.Write("s.json", kScenario), "--set", "target.dialect=phala"});
  EXPECT_EQ(run.process.exit_code, 2);
  EXPECT_NE(run.process.err.find("expect/tls_binding"), std::string::npos) << run.process.err;
}

}  // namespace
}  // namespace teeharness
