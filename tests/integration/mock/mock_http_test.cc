// The mock as a real process over HTTP: every endpoint of every dialect, byte-exact signing,
// keys and restarts, cache expiry and eviction, replicas, auth, bad input.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <thread>

#include "harness/crypto/address.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/signed_text.h"
#include "harness/crypto/verifier.h"
#include "harness/protocol/attestation_report.h"
#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::HttpReply;
using testing::HttpRequest;
using testing::MockServer;

const std::string kChat = R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":3})";
const std::string kNonce(64, 'a');

rapidjson::Document Json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

std::string ChatId(const std::string& body) {
  const size_t at = body.find("chatcmpl-");
  return at == std::string::npos ? "" : body.substr(at, 9 + 32);
}

std::string Address(MockServer& mock) {
  const HttpReply r = HttpRequest("GET", mock.url("/v1/attestation/report?nonce=" + kNonce));
  return Json(r.body)["signing_address"].GetString();
}

// Polls until the signature of `id` is served (the mock signs right after the last byte).
HttpReply FetchSignature(MockServer& mock, const std::string& id,
                         const std::string& algo = "ecdsa") {
  HttpReply r;
  for (int i = 0; i < 100; ++i) {
    r = HttpRequest("GET", mock.url("/v1/signature/" + id + "?signing_algo=" + algo));
    if (r.status != 404) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return r;
}

TEST(MockPhala, SignsTheExactBytesWithBothAlgorithms) {
  MockServer mock({});
  ASSERT_TRUE(mock.started());
  for (const std::string& request :
       {kChat, std::string(R"({"messages":[{"role":"user","content":"hi"}],"stream":true})")}) {
    const HttpReply chat = HttpRequest("POST", mock.url("/v1/chat/completions"), request);
    ASSERT_EQ(chat.status, 200);
    const std::string expected = crypto::SignedTextForBodies(request, chat.body);
    const std::string id = ChatId(chat.body);
    const auto ecdsa = Json(FetchSignature(mock, id).body);
    EXPECT_EQ(std::string(ecdsa["text"].GetString()), expected);
    EXPECT_TRUE(crypto::VerifySignedText({expected, ecdsa["signature"].GetString(),
                                          crypto::SignatureAlgo::kEcdsa,
                                          std::string_view(ecdsa["signing_address"].GetString())})
                    .valid());
    const auto ed = Json(FetchSignature(mock, id, "ed25519").body);
    EXPECT_TRUE(crypto::VerifySignedText({expected, ed["signature"].GetString(),
                                          crypto::SignatureAlgo::kEd25519,
                                          std::string_view(ed["signing_address"].GetString())})
                    .valid());
  }
}

TEST(MockPhala, AttestationBindsAddressAndNonce) {
  MockServer mock({"--gpus", "2"});
  const HttpReply r = HttpRequest(
      "GET", mock.url("/v1/attestation/report?nonce=" + kNonce + "&signing_algo=ecdsa"));
  ASSERT_EQ(r.status, 200);
  Result<protocol::AttestationReport> report =
      protocol::ParseAttestationReport(protocol::Dialect::kPhala, r.body);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->schema_problems.empty());
  EXPECT_EQ(report->echoed_nonce, kNonce);
  EXPECT_EQ(report->gpu_evidence_count, 2u);
  ASSERT_GE(report->quote.size(), 632u);
  EXPECT_EQ(report->quote[0], 4);  // TDX v4
  const std::string report_data =
      crypto::EncodeHex(crypto::ByteSpan(report->quote.data() + 568, 64));
  EXPECT_EQ(report_data.substr(64), kNonce);
  EXPECT_EQ("0x" + report_data.substr(0, 40),
            crypto::ToLowerAddress(*crypto::ParseAddress(report->signing_address)));
  EXPECT_EQ(report_data.substr(40, 24), std::string(24, '0'));
  EXPECT_NE(std::string(report->quote.begin(), report->quote.end()).find("TEEHARNESS-MOCK"),
            std::string::npos);
  // Ed25519: report_data carries the 32-byte key.
  const HttpReply ed = HttpRequest(
      "GET", mock.url("/v1/attestation/report?nonce=" + kNonce + "&signing_algo=ed25519"));
  Result<protocol::AttestationReport> ed_report =
      protocol::ParseAttestationReport(protocol::Dialect::kPhala, ed.body);
  ASSERT_TRUE(ed_report.ok());
  EXPECT_EQ(crypto::EncodeHex(crypto::ByteSpan(ed_report->quote.data() + 568, 32)),
            ed_report->signing_address);
}

TEST(MockPhala, NonceRulesAndErrorBodies) {
  MockServer mock({});
  const std::pair<std::string, std::string> cases[] = {
      {"abcd", "Nonce must be 32 bytes"},
      {std::string(66, 'a'), "Nonce must be 32 bytes"},
      {"0x" + kNonce, "Nonce must be hex-encoded"},
      {std::string(64, 'z'), "Nonce must be hex-encoded"}};
  for (const auto& [nonce, message] : cases) {
    const HttpReply r = HttpRequest("GET", mock.url("/v1/attestation/report?nonce=" + nonce));
    EXPECT_EQ(r.status, 400) << nonce;
    EXPECT_EQ(std::string(Json(r.body)["error"]["message"].GetString()), message);
  }
  const HttpReply upper =
      HttpRequest("GET", mock.url("/v1/attestation/report?nonce=" + std::string(64, 'A')));
  EXPECT_EQ(std::string(Json(upper.body)["request_nonce"].GetString()),
            kNonce);  // echoed lowercase
  const HttpReply algo =
      HttpRequest("GET", mock.url("/v1/attestation/report?nonce=" + kNonce + "&signing_algo=rsa"));
  EXPECT_EQ(algo.status, 400);
  EXPECT_EQ(std::string(Json(algo.body)["error"]["type"].GetString()), "invalid_signing_algo");
  const HttpReply unknown = HttpRequest("GET", mock.url("/v1/signature/chatcmpl-nope"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(
      unknown.body,
      R"({"error":{"message":"Chat id not found or expired","type":"not_found","param":null,"code":null}})");
  EXPECT_EQ(HttpRequest("GET", mock.url("/nope")).status, 404);
  EXPECT_EQ(HttpRequest("POST", mock.url("/v1/chat/completions"), "{not json").status, 400);
  EXPECT_EQ(HttpRequest("POST", mock.url("/v1/chat/completions"), R"({"messages":[]})").status,
            400);
  EXPECT_EQ(
      HttpRequest("POST", mock.url("/v1/chat/completions"), std::string(11 * 1024 * 1024, 'x'))
          .status,
      413);
  EXPECT_EQ(HttpRequest("GET", mock.url("/v1/attestation/report?nonce=" + kNonce)).status,
            200);  // still alive
}

// NEAR's 2025 flat report (the 2026 shape has its own tests in mock_near_test.cc).
TEST(MockNear, ThreePartTextAndLowercaseAddress) {
  MockServer mock({"--dialect", "near", "--near-version", "2025", "--model", "org/model-1"});
  const std::string address = Address(mock);
  EXPECT_EQ(address, crypto::ToLowerAddress(*crypto::ParseAddress(address)));
  const HttpReply chat = HttpRequest("POST", mock.url("/v1/chat/completions"), kChat);
  const auto sig = Json(FetchSignature(mock, ChatId(chat.body)).body);
  EXPECT_EQ(std::string(sig["text"].GetString()),
            crypto::SignedTextForBodies(kChat, chat.body, "org/model-1"));
  const HttpReply report = HttpRequest("GET", mock.url("/v1/attestation/report?nonce=" + kNonce));
  EXPECT_EQ(std::string(Json(report.body)["model_name"].GetString()), "org/model-1");
}

TEST(MockIonet, ModelsPaddedNoncesAndSignatureHeaders) {
  MockServer mock({"--dialect", "ionet", "--model", "m"});
  const auto models = Json(HttpRequest("GET", mock.url("/v1/models")).body);
  const std::string model_id = models["data"][0]["model_id"].GetString();
  EXPECT_TRUE(models["data"][0]["supports_attestation"].GetBool());
  const HttpReply r = HttpRequest("POST", mock.url("/v1/private/attestation"),
                                  R"({"model_id":")" + model_id + R"(","nonce":"abcd"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto report = Json(r.body);
  EXPECT_EQ(std::string(report["nonce"].GetString()), "abcd" + std::string(60, '0'));
  EXPECT_EQ(std::string(report["gpu"]["nonce"].GetString()), "abcd" + std::string(60, '0'));
  EXPECT_EQ(std::string(report["gpu"]["claims_version"].GetString()), "3.0");
  EXPECT_EQ(std::string(report["image_digest"].GetString()).substr(0, 7), "sha256:");
  EXPECT_EQ(
      HttpRequest("POST", mock.url("/v1/private/attestation"), R"({"model_id":"x","nonce":"ab"})")
          .status,
      404);
  const HttpReply chat = HttpRequest("POST", mock.url("/v1/private/completions"), kChat);
  ASSERT_EQ(chat.status, 200);
  EXPECT_EQ(chat.headers.at("text"), crypto::SignedTextForBodies(kChat, chat.body));
  EXPECT_EQ(chat.headers.at("signing_algo"), "ecdsa");
  EXPECT_EQ(chat.headers.at("image_digest"), report["image_digest"].GetString());
  EXPECT_TRUE(crypto::VerifySignedText({chat.headers.at("text"), chat.headers.at("signature"),
                                        crypto::SignatureAlgo::kEcdsa,
                                        std::string_view(chat.headers.at("signing_address"))})
                  .valid());
}

TEST(MockKeys, KeyFileReproducesTheSyntheticVectorsAndSurvivesRestarts) {
  testing::TempDir dir;
  const std::string key_file = dir.Write(
      "keys.json",
      R"({"ecdsa_private_key":"0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80","ed25519_seed":"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"})");
  {
    MockServer mock({"--key-file", key_file});
    EXPECT_EQ(Address(mock), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  }
  MockServer again({"--key-file", key_file});
  EXPECT_EQ(Address(again), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  // Ephemeral keys change at every start; a created key file persists them.
  std::string first, second;
  {
    MockServer a({});
    first = Address(a);
  }
  {
    MockServer b({});
    second = Address(b);
  }
  EXPECT_NE(first, second);
  const std::string created = dir.path() + "/created.json";
  std::string created_address;
  {
    MockServer c({"--key-file", created});
    created_address = Address(c);
  }
  MockServer d({"--key-file", created});
  EXPECT_EQ(Address(d), created_address);
  // The private key never appears in a response.
  const HttpReply stats = HttpRequest("GET", d.url("/admin/stats"));
  EXPECT_EQ(stats.body.find("ecdsa_private_key"), std::string::npos);
}

TEST(MockCache, ExpiryEvictionAndDelay) {
  MockServer mock({"--retention", "300ms", "--cache-cap", "2", "--signature-delay", "100ms"});
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i)
    ids.push_back(ChatId(HttpRequest("POST", mock.url("/v1/chat/completions"), kChat).body));
  // Not yet: the signature appears only after --signature-delay.
  EXPECT_EQ(HttpRequest("GET", mock.url("/v1/signature/" + ids[2])).status, 404);
  EXPECT_EQ(FetchSignature(mock, ids[2]).status, 200);
  // Evicted: the cap is 2 and ids[0] is the least recently used.
  EXPECT_EQ(HttpRequest("GET", mock.url("/v1/signature/" + ids[0])).status, 404);
  const auto stats = Json(HttpRequest("GET", mock.url("/admin/stats")).body);
  EXPECT_EQ(stats["evictions"].GetUint64(), 1u);
  // Expired after the retention window, with the dialect's 404 body.
  std::this_thread::sleep_for(std::chrono::milliseconds(350));
  const HttpReply gone = HttpRequest("GET", mock.url("/v1/signature/" + ids[2]));
  EXPECT_EQ(gone.status, 404);
  EXPECT_NE(gone.body.find("not found or expired"), std::string::npos);
}

TEST(MockReplicas, RoundRobinKeysAndCaches) {
  MockServer mock({"--replicas", "2"});
  const std::string a = Address(mock);
  const std::string b = Address(mock);
  EXPECT_NE(a, b);
  const auto stats = Json(HttpRequest("GET", mock.url("/admin/stats")).body);
  EXPECT_EQ(stats["replicas"].Size(), 2u);
}

TEST(MockAuth, BearerTokenFromTheEnvironment) {
  MockServer mock({"--api-key-env", "MOCK_KEY"}, {{"MOCK_KEY", "s3cret"}});
  const std::string url = mock.url("/v1/attestation/report?nonce=" + kNonce);
  const HttpReply missing = HttpRequest("GET", url);
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(std::string(Json(missing.body)["error"]["type"].GetString()), "unauthorized");
  EXPECT_EQ(HttpRequest("GET", url, "", {"Authorization: Bearer wrong"}).status, 401);
  EXPECT_EQ(HttpRequest("GET", url, "", {"Authorization: Bearer s3cret"}).status, 200);
}

TEST(MockLifecycle, BadFlagsExitTwoAndSigtermIsClean) {
  const auto bad = testing::RunProcess({testing::TeeharnessBinary(), "mock", "--fault", "nope"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown fault 'nope'"), std::string::npos);
  const auto help = testing::RunProcess({testing::TeeharnessBinary(), "mock", "--help"});
  for (const char* fault : {"bad_signature", "reset_mid_stream", "not_found_200", "early_expiry"}) {
    EXPECT_NE(help.out.find(fault), std::string::npos) << fault;
  }
  MockServer mock({});
  EXPECT_EQ(mock.Stop(), 0);
}

}  // namespace
}  // namespace teeharness
