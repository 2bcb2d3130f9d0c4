// The mock's near dialect in NEAR's 2026 shape (its default), as a real process over HTTP: the
// gateway's and the model TEE's attestations, both keys attested and binding the nonce;
// signature_kind rows signed by the right key over the right text; the 2026 error bodies.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>
#include <thread>
#include <vector>

#include "harness/checks/attestation_checks.h"
#include "harness/crypto/signed_text.h"
#include "harness/crypto/verifier.h"
#include "harness/protocol/attestation_response.h"
#include "tests/support/mock_server.h"

namespace teeharness {
namespace {

using testing::HttpReply;
using testing::HttpRequest;
using testing::MockServer;

const std::string kChat = R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":3})";
const std::string kNonce(64, 'b');
const std::string kModel = "org/model-1";

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

std::string Report(const std::string& algo_query) {
  return "/v1/attestation/report?model=org%2Fmodel-1" + algo_query + "&nonce=" + kNonce;
}

// Polls until the signature of `id` is served (the mock signs right after the last byte).
HttpReply FetchSignature(MockServer& mock, const std::string& id, const std::string& algo) {
  HttpReply r;
  for (int i = 0; i < 100; ++i) {
    r = HttpRequest("GET",
                    mock.url("/v1/signature/" + id + "?model=org%2Fmodel-1&signing_algo=" + algo));
    if (r.status != 404) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return r;
}

// Every attestation of the response passes every per-attestation check for `algo`.
void ExpectEveryAttestationPasses(const std::string& body, const std::string& algo) {
  Result<protocol::AttestationResponse> response =
      protocol::ParseAttestationResponse(protocol::Dialect::kNear, body);
  ASSERT_TRUE(response.ok()) << response.error();
  ASSERT_TRUE(response->near_2026);
  ASSERT_EQ(response->entries.size(), 2u);  // the gateway's and the model TEE's
  for (const protocol::AttestationEntry& entry : response->entries) {
    checks::AttestationObservation o;
    o.dialect = protocol::Dialect::kNear;
    o.sent_nonce = kNonce;
    o.requested_algo = algo;
    if (entry.role == protocol::AttestationEntry::Role::kModel) o.expected_model_name = kModel;
    for (const checks::Outcome& outcome : checks::CheckAttestation(o, entry.report, nullptr)) {
      EXPECT_TRUE(outcome.passed) << entry.label << " " << outcome.id << ": " << outcome.evidence;
    }
  }
}

TEST(MockNear2026, GatewayAndModelAttestationsBothBindTheNonceAndTheirKeys) {
  MockServer mock({"--dialect", "near", "--model", kModel});
  ASSERT_TRUE(mock.started());
  const auto stats = Json(HttpRequest("GET", mock.url("/admin/stats")).body);
  const std::string gateway_key = stats["gateway"]["ed25519_public_key"].GetString();
  const std::string gateway_address = stats["gateway"]["address"].GetString();
  for (const std::string& algo : std::vector<std::string>{"ecdsa", "ed25519"}) {
    const HttpReply r = HttpRequest("GET", mock.url(Report("&signing_algo=" + algo)));
    ASSERT_EQ(r.status, 200) << r.body;
    ExpectEveryAttestationPasses(r.body, algo);
    const auto doc = Json(r.body);
    const std::string gateway = doc["gateway_attestation"]["signing_address"].GetString();
    EXPECT_EQ(gateway, algo == "ecdsa" ? gateway_address : gateway_key);
    EXPECT_TRUE(doc["gateway_attestation"]["event_log"].IsString());
    EXPECT_TRUE(doc["model_attestations"][0]["event_log"].IsArray());
    EXPECT_NE(std::string(doc["model_attestations"][0]["signing_address"].GetString()), gateway);
  }
  // Untold, the gateway signs with ed25519 and the proxy with ecdsa.
  const auto untold = Json(HttpRequest("GET", mock.url(Report(""))).body);
  EXPECT_EQ(std::string(untold["gateway_attestation"]["signing_algo"].GetString()), "ed25519");
  EXPECT_EQ(std::string(untold["model_attestations"][0]["signing_algo"].GetString()), "ecdsa");
}

TEST(MockNear2026, EachSignatureKindIsSignedByItsAttestedKeyOverItsText) {
  MockServer mock({"--dialect", "near", "--model", kModel, "--signature-kind", "alternate"});
  ASSERT_TRUE(mock.started());
  const auto report = Json(HttpRequest("GET", mock.url(Report("&signing_algo=ecdsa"))).body);
  const std::string gateway = report["gateway_attestation"]["signing_address"].GetString();
  const std::string model = report["model_attestations"][0]["signing_address"].GetString();
  std::set<std::string> kinds;
  for (int i = 0; i < 2; ++i) {
    const HttpReply chat = HttpRequest("POST", mock.url("/v1/chat/completions"), kChat);
    ASSERT_EQ(chat.status, 200);
    const auto sig = Json(FetchSignature(mock, ChatId(chat.body), "ecdsa").body);
    ASSERT_TRUE(sig.HasMember("signature_kind"));
    const std::string kind = sig["signature_kind"].GetString();
    kinds.insert(kind);
    const bool by_gateway = kind == "gateway";
    const std::string text =
        crypto::SignedTextForBodies(kChat, chat.body, by_gateway ? "" : kModel);
    EXPECT_EQ(std::string(sig["text"].GetString()), text) << kind;
    EXPECT_TRUE(
        crypto::VerifySignedText({text, sig["signature"].GetString(), crypto::SignatureAlgo::kEcdsa,
                                  std::string_view(by_gateway ? gateway : model)})
            .valid())
        << kind;
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"gateway", "provider_tee"}));
}

TEST(MockNear2026, ErrorBodiesOfTheGateway) {
  MockServer mock({"--dialect", "near", "--api-key-env", "NEAR_MOCK_KEY"},
                  {{"NEAR_MOCK_KEY", "k3y"}});
  ASSERT_TRUE(mock.started());
  const std::string url = mock.url(Report("&signing_algo=ecdsa"));
  const std::vector<std::string> auth = {"Authorization: Bearer k3y"};
  HttpReply r = HttpRequest("GET", url);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(std::string(Json(r.body)["error"]["type"].GetString()), "missing_auth_header");
  r = HttpRequest("GET", url, "", {"Authorization: Bearer nope"});
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(std::string(Json(r.body)["error"]["type"].GetString()), "invalid_auth_header");
  EXPECT_EQ(HttpRequest("GET", url, "", auth).status, 200);
  r = HttpRequest("GET", mock.url("/v1/attestation/report?nonce=abcd"), "", auth);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(
      r.body,
      R"({"error":{"message":"Invalid parameter: Nonce must be exactly 32 bytes, got 2 bytes","type":"invalid_request_error","param":"nonce","code":null}})");
  r = HttpRequest("GET", mock.url("/v1/signature/chatcmpl-x?signing_algo=ed25519"), "", auth);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(
      r.body,
      R"({"error":{"message":"Signature not found: chatcmpl-x:ed25519","type":"not_found_error","param":null,"code":null}})");
  r = HttpRequest("GET", mock.url(Report("&signing_address=0x" + std::string(40, '1'))), "", auth);
  EXPECT_EQ(r.status, 404);
}

TEST(MockNear2026, ErrorCodeFaultsAnswer200WithoutASignature) {
  for (const std::string& code :
       std::vector<std::string>{"STREAM_DISCONNECTED", "SIGNATURE_UNSUPPORTED"}) {
    std::string fault = code;
    for (char& c : fault) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    MockServer mock({"--dialect", "near", "--fault", fault});
    ASSERT_TRUE(mock.started());
    const HttpReply chat = HttpRequest("POST", mock.url("/v1/chat/completions"), kChat);
    const HttpReply r = FetchSignature(mock, ChatId(chat.body), "ecdsa");
    EXPECT_EQ(r.status, 200);
    const auto doc = Json(r.body);
    EXPECT_EQ(std::string(doc["error_code"].GetString()), code);
    EXPECT_TRUE(doc["message"].IsString());
    EXPECT_FALSE(doc.HasMember("signature"));
  }
}

}  // namespace
}  // namespace teeharness
