// The real `teeharness mock` process serves GPU evidence that the GPU verifier accepts with the
// root it serves at /mock/pki/nvidia-root.pem, and whose measurements its signed RIMs
// (/mock/pki/rims/, to /mock/pki/nvidia-rim-root.pem) hold, for every GPU and dialect; each GPU
// fault fails exactly its check.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ctime>
#include <string>

#include "harness/attestation/gpu/gpu_policy.h"
#include "harness/attestation/gpu/gpu_verifier.h"
#include "harness/attestation/gpu/rim/rim_store.h"
#include "harness/attestation/pki/certificate.h"
#include "tests/support/mock_server.h"

namespace teeharness {
namespace {

using attestation::CheckState;
using testing::HttpRequest;
using testing::MockServer;

const std::string kNonce = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";

// The RIMs the mock serves, verified to the RIM root it serves.
std::shared_ptr<const attestation::gpu::rim::RimStore> MockRims(const MockServer& mock,
                                                                int64_t at) {
  const testing::HttpReply root = HttpRequest("GET", mock.url("/mock/pki/nvidia-rim-root.pem"));
  EXPECT_EQ(root.status, 200);
  Result<attestation::pki::Certificate> cert = attestation::pki::Certificate::FromPem(root.body);
  EXPECT_TRUE(cert.ok()) << root.body;
  if (!cert.ok()) return nullptr;
  std::vector<attestation::gpu::rim::LoadedRim> rims;
  for (const char* path : {"/mock/pki/rims/driver.swidtag", "/mock/pki/rims/vbios.swidtag"}) {
    const testing::HttpReply reply = HttpRequest("GET", mock.url(path));
    EXPECT_EQ(reply.status, 200) << path;
    Result<attestation::gpu::rim::LoadedRim> rim =
        attestation::gpu::rim::LoadRim(reply.body, path, {*cert}, at);
    EXPECT_TRUE(rim.ok()) << rim.error();
    if (rim.ok()) rims.push_back(std::move(rim).value());
  }
  return std::make_shared<const attestation::gpu::rim::RimStore>("mock", std::move(rims));
}

// Verifies the GPUs of the report the mock returns for `nonce`; returns "ID=state ..." per check.
std::string VerifyMockGpus(const MockServer& mock, protocol::Dialect dialect,
                           const std::string& nonce, size_t gpus) {
  const testing::HttpReply root_reply = HttpRequest("GET", mock.url("/mock/pki/nvidia-root.pem"));
  EXPECT_EQ(root_reply.status, 200);
  Result<attestation::pki::Certificate> root =
      attestation::pki::Certificate::FromPem(root_reply.body);
  EXPECT_TRUE(root.ok()) << root_reply.body;
  if (!root.ok()) return "no root";
  std::string payload;
  rapidjson::Document report;
  if (dialect == protocol::Dialect::kIonet) {
    const auto models = HttpRequest("GET", mock.url("/v1/models"));
    rapidjson::Document m;
    m.Parse(models.body.c_str());
    const std::string id = m["data"][0]["model_id"].GetString();
    const auto r = HttpRequest("POST", mock.url("/v1/private/attestation"),
                               R"({"model_id":")" + id + R"(","nonce":")" + nonce + R"("})");
    report.Parse(r.body.c_str());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    report["gpu"].Accept(w);
    payload = buffer.GetString();
  } else {
    const auto r = HttpRequest("GET", mock.url("/v1/attestation/report?nonce=" + nonce));
    report.Parse(r.body.c_str());
    // NEAR 2026 carries the GPUs in each model attestation; the flat shapes at the top.
    const rapidjson::Value* holder = &report;
    if (report.IsObject() && report.HasMember("model_attestations") &&
        report["model_attestations"].IsArray() && !report["model_attestations"].Empty()) {
      holder = &report["model_attestations"][0];
    }
    if (!holder->IsObject() || !holder->HasMember("nvidia_payload") ||
        !(*holder)["nvidia_payload"].IsString()) {
      ADD_FAILURE() << "no nvidia_payload in " << r.body.substr(0, 300);
      return "no payload";
    }
    payload = (*holder)["nvidia_payload"].GetString();
  }
  attestation::gpu::GpuVerifyOptions options;
  options.at = static_cast<int64_t>(std::time(nullptr));
  options.expected_nonce = *attestation::gpu::ExpectedGpuNonce(dialect, nonce);
  options.trust_root = &*root;
  options.policy.expected_count = gpus;
  options.policy.rims = MockRims(mock, options.at);
  std::string out;
  for (const attestation::CheckResult& c :
       attestation::gpu::VerifyNvidiaPayload(payload, options).Checks()) {
    out += c.id + "=" + std::string(attestation::CheckStateName(c.state)) + " ";
  }
  return out;
}

const std::string kAllPass =
    "GPU-SIG=pass GPU-CHAIN=pass GPU-NONCE=pass GPU-MEASURE=pass GPU-COUNT=pass ";

TEST(MockGpu, EightGpusVerifyWithTheServedRoot) {
  MockServer mock({"--gpus", "8"});
  ASSERT_TRUE(mock.started());
  EXPECT_EQ(VerifyMockGpus(mock, protocol::Dialect::kPhala, kNonce, 8), kAllPass);
}

TEST(MockGpu, IonetBindsThePaddedNonce) {
  MockServer mock({"--dialect", "ionet", "--gpus", "2"});
  ASSERT_TRUE(mock.started());
  EXPECT_EQ(VerifyMockGpus(mock, protocol::Dialect::kIonet, "abcd", 2), kAllPass);
}

TEST(MockGpu, EachFaultFailsExactlyItsCheck) {
  const std::pair<const char*, const char*> matrix[] = {
      {"gpu_bad_signature",
       "GPU-SIG=fail GPU-CHAIN=pass GPU-NONCE=pass GPU-MEASURE=pass GPU-COUNT=pass "},
      {"gpu_wrong_nonce",
       "GPU-SIG=pass GPU-CHAIN=pass GPU-NONCE=fail GPU-MEASURE=pass GPU-COUNT=pass "},
      {"gpu_untrusted_chain",
       "GPU-SIG=pass GPU-CHAIN=fail GPU-NONCE=pass GPU-MEASURE=pass GPU-COUNT=pass "},
      {"gpu_wrong_measurement",
       "GPU-SIG=pass GPU-CHAIN=pass GPU-NONCE=pass GPU-MEASURE=fail GPU-COUNT=pass "},
  };
  for (const auto& [fault, expected] : matrix) {
    MockServer mock({"--dialect", "near", "--gpus", "2", "--fault", fault});
    ASSERT_TRUE(mock.started()) << fault;
    EXPECT_EQ(VerifyMockGpus(mock, protocol::Dialect::kNear, kNonce, 2), expected) << fault;
  }
}

}  // namespace
}  // namespace teeharness
