#include "harness/attestation/dstack/dstack_verifier.h"

#include <gtest/gtest.h>

#include "harness/attestation/dstack/dstack_json.h"
#include "harness/attestation/dstack/mr_config.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/keccak.h"
#include "harness/crypto/sha256.h"

namespace teeharness::attestation::dstack {
namespace {

constexpr const char* kAppCompose = R"({"manifest_version":2,"name":"teeharness-test"})";
constexpr const char* kAppId = "00112233445566778899aabbccddeeff00112233";
constexpr const char* kInstanceId = "c3714eb66990eace777b4e664c16e09375dec4c9";

Event Runtime(const std::string& name, crypto::Bytes payload) {
  Event e;
  e.imr = 3;
  e.event_type = kRuntimeEventType;
  e.event = name;
  e.payload = std::move(payload);
  e.digest = RuntimeEventDigest(e);
  return e;
}

crypto::Bytes Text(std::string_view s) { return crypto::Bytes(s.begin(), s.end()); }

// A guest's log as dstack writes it (one boot event per RTMR 0-2, then RTMR3's runtime events),
// with a TD report body whose RTMRs are its replay.
struct Guest {
  std::string app_compose = kAppCompose;
  std::string compose_hash = crypto::Sha256::HashHex(kAppCompose);
  std::string key_provider = R"({"name":"kms","id":"aabbcc"})";
  std::vector<Event> events;
  TdReportBody td;

  Guest() {
    for (uint32_t imr = 0; imr < 3; ++imr) {
      Event boot;
      boot.imr = imr;
      boot.event_type = 0x80000001;
      boot.digest.fill(static_cast<uint8_t>(0x10 + imr));
      events.push_back(boot);
    }
    events.push_back(Runtime("system-preparing", {}));
    events.push_back(Runtime("app-id", *crypto::DecodeHex(kAppId)));
    events.push_back(Runtime("compose-hash", *crypto::DecodeHex(compose_hash)));
    events.push_back(Runtime("instance-id", *crypto::DecodeHex(kInstanceId)));
    events.push_back(Runtime("boot-mr-done", {}));
    events.push_back(Runtime("key-provider", Text(key_provider)));
    events.push_back(Runtime("system-ready", {}));
    td.rtmr = ReplayEventLog(events);
  }

  DstackInput Input() const {
    DstackInput input;
    input.event_log = events;
    AppInfo info;
    TcbInfo tcb;
    tcb.app_compose = app_compose;
    info.tcb_info = tcb;
    input.info = info;
    return input;
  }
  void SetMrConfig(uint8_t version, crypto::ByteSpan digest) {
    td.mr_config_id.fill(0);
    td.mr_config_id[0] = version;
    std::copy(digest.begin(), digest.end(), td.mr_config_id.begin() + 1);
  }
};

const CheckResult& Compose(const DstackVerification& v) { return v.checks.at(1); }

TEST(DstackVerifier, ComposeHashBindsThroughRtmr3WhenMrConfigIdIsZero) {
  Guest g;
  const DstackVerification v = VerifyDstack(g.Input(), &g.td, {});
  ASSERT_EQ(v.checks.size(), 2u);
  EXPECT_EQ(v.checks[0].state, CheckState::kPass) << v.checks[0].reason;
  EXPECT_EQ(Compose(v).state, CheckState::kPass) << Compose(v).reason;
  EXPECT_NE(Compose(v).reason.find("mr_config_id binding skipped: mr_config_id is all zero"),
            std::string::npos);
  EXPECT_EQ(v.evidence.app_id, kAppId);
  EXPECT_EQ(v.evidence.instance_id, kInstanceId);
  EXPECT_EQ(v.evidence.compose_hash, g.compose_hash);
  EXPECT_EQ(v.evidence.key_provider, "kms");
  EXPECT_EQ(v.evidence.key_provider_id, "aabbcc");
  EXPECT_TRUE(v.evidence.from_info.empty());
}

TEST(DstackVerifier, AnotherAppComposeFailsComposeHash) {
  Guest g;
  DstackInput input = g.Input();
  input.info->tcb_info->app_compose = std::string(kAppCompose) + " ";
  const DstackVerification v = VerifyDstack(input, &g.td, {});
  EXPECT_EQ(v.checks[0].state, CheckState::kPass);
  EXPECT_EQ(Compose(v).state, CheckState::kFail);
  EXPECT_NE(Compose(v).reason.find("is not the compose-hash event's"), std::string::npos);
}

TEST(DstackVerifier, MrConfigIdVersion1) {
  Guest g;
  g.SetMrConfig(1, *crypto::DecodeHex(g.compose_hash));
  EXPECT_EQ(Compose(VerifyDstack(g.Input(), &g.td, {})).state, CheckState::kPass);
  g.td.mr_config_id[5] ^= 1;
  EXPECT_EQ(Compose(VerifyDstack(g.Input(), &g.td, {})).state, CheckState::kFail);
  g.SetMrConfig(1, *crypto::DecodeHex(g.compose_hash));
  g.td.mr_config_id[40] = 1;  // the padding must be zero
  EXPECT_EQ(Compose(VerifyDstack(g.Input(), &g.td, {})).state, CheckState::kFail);
}

TEST(DstackVerifier, MrConfigIdVersion2) {
  Guest g;
  crypto::Bytes input = *crypto::DecodeHex(g.compose_hash);
  const crypto::Bytes app = *crypto::DecodeHex(kAppId);
  input.insert(input.end(), app.begin(), app.end());
  input.push_back(2);  // kms
  input.insert(input.end(), {0xaa, 0xbb, 0xcc});
  g.SetMrConfig(2, crypto::Keccak256(input));
  const DstackVerification v = VerifyDstack(g.Input(), &g.td, {});
  EXPECT_EQ(Compose(v).state, CheckState::kPass) << Compose(v).reason;
  input.back() ^= 1;
  g.SetMrConfig(2, crypto::Keccak256(input));
  EXPECT_EQ(Compose(VerifyDstack(g.Input(), &g.td, {})).state, CheckState::kFail);
}

crypto::Hash32 V3Digest(const std::string& document) {
  std::string input = "dstack-mr-config-v3:";
  input.push_back('\0');
  return crypto::Sha256::Hash(input + document);
}

TEST(DstackVerifier, MrConfigIdVersion3RebuiltOrShipped) {
  Guest g;
  const std::string jcs = std::string("{\"app_id\":\"") + kAppId + "\",\"compose_hash\":\"" +
                          g.compose_hash + "\",\"instance_id\":\"" + kInstanceId +
                          "\",\"key_provider\":\"kms\",\"key_provider_id\":\"aabbcc\","
                          "\"version\":3}";
  g.SetMrConfig(3, V3Digest(jcs));
  DstackVerification v = VerifyDstack(g.Input(), &g.td, {});
  EXPECT_EQ(Compose(v).state, CheckState::kPass) << Compose(v).reason;
  EXPECT_NE(v.mr_config.find("rebuilt from the event log"), std::string::npos);
  // A document with a field the log does not show (gpu_policy_hash): only the shipped document
  // can be checked; without it the binding is skipped, saying why.
  const std::string with_gpu = jcs.substr(0, jcs.find(",\"instance_id\"")) +
                               ",\"gpu_policy_hash\":\"55\"" +
                               jcs.substr(jcs.find(",\"instance_id\""));
  g.SetMrConfig(3, V3Digest(with_gpu));
  v = VerifyDstack(g.Input(), &g.td, {});
  EXPECT_EQ(Compose(v).state, CheckState::kPass);
  EXPECT_NE(v.mr_config.find("v3 binding skipped"), std::string::npos) << v.mr_config;
  DstackInput shipped = g.Input();
  shipped.info->tcb_info->mr_config = with_gpu;
  v = VerifyDstack(shipped, &g.td, {});
  EXPECT_EQ(Compose(v).state, CheckState::kPass) << Compose(v).reason;
  EXPECT_NE(v.mr_config.find("the MrConfigV3 document the guest shipped"), std::string::npos);
  shipped.info->tcb_info->mr_config = with_gpu + " ";
  EXPECT_EQ(Compose(VerifyDstack(shipped, &g.td, {})).state, CheckState::kFail);
}

TEST(DstackVerifier, PinsAreChecked) {
  Guest g;
  DstackPins pins;
  pins.compose_hash = "0x" + g.compose_hash;
  pins.app_id = std::string(kAppId);
  pins.key_provider = "kms";
  EXPECT_EQ(Compose(VerifyDstack(g.Input(), &g.td, pins)).state, CheckState::kPass);
  pins.key_provider = "local-sgx";
  const DstackVerification v = VerifyDstack(g.Input(), &g.td, pins);
  EXPECT_EQ(Compose(v).state, CheckState::kFail);
  EXPECT_EQ(Compose(v).reason, "key_provider is 'kms'; expect.dstack pins local-sgx");
  pins.key_provider.reset();
  pins.os_image_hash = std::string(64, 'a');
  EXPECT_EQ(Compose(VerifyDstack(g.Input(), &g.td, pins)).state, CheckState::kFail);
}

TEST(DstackVerifier, MissingPiecesAreSkippedOrFailedWithTheReason) {
  Guest g;
  DstackInput input = g.Input();
  input.info->tcb_info->app_compose.reset();
  EXPECT_EQ(Compose(VerifyDstack(input, &g.td, {})).state, CheckState::kSkip);
  DstackVerification v = VerifyDstack(g.Input(), nullptr, {});
  EXPECT_EQ(v.checks[0].state, CheckState::kSkip);
  EXPECT_EQ(v.checks[0].reason, "the quote could not be parsed");
  v = VerifyDstack(DstackInput{}, &g.td, {});
  EXPECT_EQ(v.checks[0].reason, "the report has no event_log");
  const DstackInput bad = MakeDstackInput("[1]", "");
  v = VerifyDstack(bad, &g.td, {});
  EXPECT_EQ(v.checks[0].state, CheckState::kFail);
  EXPECT_EQ(v.checks[0].reason, "event_log[0] is not an object");
  g.td.rtmr[3][0] ^= 1;
  EXPECT_EQ(VerifyDstack(g.Input(), &g.td, {}).checks[0].state, CheckState::kFail);
}

TEST(DstackVerifier, InfoWithTcbInfoAsAStringCarriesTheLogAndCompose) {
  Guest g;
  std::string log = "[";
  for (size_t i = 0; i < g.events.size(); ++i) {
    const Event& e = g.events[i];
    log += (i ? "," : "") + std::string("{\"imr\":") + std::to_string(e.imr) +
           ",\"event_type\":" + std::to_string(e.event_type) + ",\"digest\":\"" +
           crypto::EncodeHex(e.digest) + "\",\"event\":\"" + e.event + "\",\"event_payload\":\"" +
           crypto::EncodeHex(e.payload) + "\"}";
  }
  log += "]";
  // tcb_info as a JSON string holding {app_compose, event_log}: the quoting is doubled.
  auto quoted = [](const std::string& s) {
    std::string out;
    for (char c : s) out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return out;
  };
  const std::string tcb = "{\"app_compose\":\"" + quoted(g.app_compose) +
                          "\",\"event_log\":" + log + ",\"os_image_hash\":\"" +
                          std::string(64, 'b') + "\"}";
  const std::string info = "{\"app_id\":\"x\",\"tcb_info\":\"" + quoted(tcb) + "\"}";
  const DstackInput input = MakeDstackInput("", info);
  ASSERT_TRUE(input.info_problem.empty()) << input.info_problem;
  ASSERT_TRUE(input.event_log.has_value());
  const DstackVerification v = VerifyDstack(input, &g.td, {});
  EXPECT_EQ(v.checks[0].state, CheckState::kPass) << v.checks[0].reason;
  EXPECT_EQ(Compose(v).state, CheckState::kPass) << Compose(v).reason;
  EXPECT_EQ(v.evidence.os_image_hash, std::string(64, 'b'));
  EXPECT_EQ(v.evidence.from_info, std::vector<std::string>{"tcb_info.os_image_hash"});
}

TEST(DstackVerifier, TheJsonObjectCarriesTheEvidenceAndChecks) {
  Guest g;
  const DstackVerification v = VerifyDstack(g.Input(), &g.td, {});
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  WriteDstackJson(w, v);
  const std::string json = buffer.GetString();
  EXPECT_EQ(json.rfind(std::string("{\"app_id\":\"") + kAppId + "\",\"instance_id\":\"" +
                           kInstanceId + "\",\"compose_hash\":\"" + g.compose_hash + "\"",
                       0),
            0u)
      << json;
  EXPECT_NE(json.find("\"key_provider\":\"kms\",\"key_provider_id\":\"aabbcc\",\"from_info\":[]"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"id\":\"COMPOSE-HASH\",\"result\":\"pass\""), std::string::npos) << json;
}

}  // namespace
}  // namespace teeharness::attestation::dstack
