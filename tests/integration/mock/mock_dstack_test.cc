// The real `teeharness mock` process's dstack side: its event log replays to the RTMRs of the
// quote it signs, its app_compose hashes to the RTMR3 compose-hash event and to mr_config_id, and
// the event_log_mismatch and compose_mismatch faults each fail exactly their check.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "harness/attestation/dstack/dstack_verifier.h"
#include "harness/attestation/quote/tdx_quote.h"
#include "harness/crypto/hex.h"
#include "tests/support/mock_server.h"

namespace teeharness {
namespace {

using testing::HttpRequest;
using testing::MockServer;

std::string Text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  value.Accept(w);
  return buffer.GetString();
}

// "EVENTLOG-REPLAY=pass COMPOSE-HASH=pass " for the mock's report (phala/near shape).
std::string VerifyMockDstack(const MockServer& mock, attestation::dstack::DstackVerification* out) {
  const testing::HttpReply r =
      HttpRequest("GET", mock.url("/v1/attestation/report?nonce=" + std::string(64, 'c')));
  rapidjson::Document report;
  report.Parse(r.body.c_str());
  if (report.HasParseError() || !report.IsObject()) return "no report";
  Result<attestation::TdxQuote> quote =
      attestation::ParseTdxQuote(*crypto::DecodeHex(report["intel_quote"].GetString()));
  if (!quote.ok()) return quote.error();
  attestation::dstack::DstackPins pins;
  pins.key_provider = "none";
  *out = attestation::dstack::VerifyDstack(
      attestation::dstack::MakeDstackInput(Text(report["event_log"]), Text(report["info"])),
      &quote->body, pins);
  std::string states;
  for (const attestation::CheckResult& c : out->checks) {
    states += c.id + "=" + std::string(attestation::CheckStateName(c.state)) + " ";
  }
  return states;
}

TEST(MockDstack, TheEventLogReplaysAndTheComposeIsBound) {
  MockServer mock({});
  ASSERT_TRUE(mock.started());
  attestation::dstack::DstackVerification v;
  EXPECT_EQ(VerifyMockDstack(mock, &v), "EVENTLOG-REPLAY=pass COMPOSE-HASH=pass ")
      << v.checks[0].reason << " / " << v.checks[1].reason;
  EXPECT_NE(v.mr_config.find("mr_config_id v1 binds the compose hash"), std::string::npos)
      << v.mr_config;
  EXPECT_EQ(v.evidence.key_provider, "none");
  EXPECT_EQ(v.evidence.app_id, v.evidence.compose_hash.substr(0, 40));
  EXPECT_EQ(v.evidence.instance_id.size(), 40u);
  EXPECT_TRUE(v.evidence.from_info.empty());
}

TEST(MockDstack, EachFaultFailsExactlyItsCheck) {
  const std::pair<const char*, const char*> matrix[] = {
      {"event_log_mismatch", "EVENTLOG-REPLAY=fail COMPOSE-HASH=pass "},
      {"compose_mismatch", "EVENTLOG-REPLAY=pass COMPOSE-HASH=fail "},
  };
  for (const auto& [fault, expected] : matrix) {
    MockServer mock({"--fault", fault});
    ASSERT_TRUE(mock.started()) << fault;
    attestation::dstack::DstackVerification v;
    EXPECT_EQ(VerifyMockDstack(mock, &v), expected) << fault;
  }
}

}  // namespace
}  // namespace teeharness
