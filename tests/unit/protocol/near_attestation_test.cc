// NEAR's two report shapes: the 2026 envelope (gateway_attestation + model_attestations[]) and the
// 2025 flat report, both through ParseAttestationResponse.
#include "harness/protocol/near_attestation.h"

#include <gtest/gtest.h>

#include "harness/protocol/attestation_response.h"

namespace teeharness::protocol {
namespace {

const std::string kNonce(64, 'a');
const std::string kGatewayKey(64, 'e');  // an Ed25519 public key as hex
const std::string kModelAddress = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const std::string kReportData = std::string(64, 'e') + kNonce;
const std::string kNvidia =
    R"({\"nonce\":\")" + kNonce +
    R"(\",\"evidence_list\":[{\"certificate\":\"Yw==\",\"evidence\":\"ZQ==\"}],\"arch\":\"HOPPER\"})";

std::string Gateway(const std::string& event_log = R"("[]")",
                    const std::string& extra = R"(,"tls_cert_fingerprint":")" +
                                               std::string(64, 'f') + "\"") {
  return R"({"signing_address":")" + kGatewayKey +
         R"(","signing_algo":"ed25519","intel_quote":"0400ff","event_log":)" + event_log +
         R"(,"report_data":")" + kReportData + R"(","request_nonce":")" + kNonce +
         R"(","info":{"app_id":"x"})" + extra + "}";
}

std::string Model(const std::string& event_log = "[]") {
  return R"({"model_name":"org/m","signing_address":")" + kModelAddress +
         R"(","signing_algo":"ecdsa","signing_public_key":"00","request_nonce":")" + kNonce +
         R"(","intel_quote":"0401","nvidia_payload":")" + kNvidia + R"(","event_log":)" +
         event_log + R"(,"info":{}})";
}

std::string Problems(const AttestationReport& report) {
  std::string all;
  for (const std::string& p : report.schema_problems) all += p + "|";
  return all;
}

TEST(NearAttestation, The2026EnvelopeHasOneEntryPerAttestation) {
  const std::string body =
      R"({"gateway_attestation":)" + Gateway() + R"(,"model_attestations":[)" + Model() + "," +
      Model() +
      R"(],"tls_certificate":"-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n"})";
  Result<AttestationResponse> response = ParseAttestationResponse(Dialect::kNear, body);
  ASSERT_TRUE(response.ok()) << response.error();
  EXPECT_TRUE(response->near_2026);
  ASSERT_EQ(response->entries.size(), 3u);
  const AttestationEntry& gateway = response->entries[0];
  EXPECT_EQ(gateway.role, AttestationEntry::Role::kGateway);
  EXPECT_EQ(gateway.label, "gateway_attestation");
  EXPECT_TRUE(gateway.report.schema_problems.empty()) << Problems(gateway.report);
  EXPECT_EQ(gateway.report.signing_address, kGatewayKey);
  EXPECT_EQ(gateway.report.signing_algo, "ed25519");
  EXPECT_EQ(gateway.report.echoed_nonce, kNonce);
  EXPECT_EQ(gateway.report.report_data_field, kReportData);
  EXPECT_EQ(gateway.report.quote, (crypto::Bytes{4, 0, 0xff}));
  EXPECT_EQ(gateway.report.tls_cert_fingerprint, std::string(64, 'f'));
  EXPECT_FALSE(gateway.report.gpu_expected);  // the gateway is a CPU-only TEE
  for (size_t i : {1u, 2u}) {
    const AttestationEntry& model = response->entries[i];
    EXPECT_EQ(model.role, AttestationEntry::Role::kModel);
    EXPECT_EQ(model.label, "model_attestations[" + std::to_string(i - 1) + "]");
    EXPECT_TRUE(model.report.schema_problems.empty()) << Problems(model.report);
    EXPECT_EQ(model.report.signing_address, kModelAddress);
    EXPECT_EQ(model.report.model_name, "org/m");
    EXPECT_EQ(model.report.gpu_nonce, kNonce);
    EXPECT_EQ(model.report.gpu_evidence_count, 1u);
    EXPECT_TRUE(model.report.gpu_expected);
  }
  EXPECT_NE(response->tls_certificate.find("BEGIN CERTIFICATE"), std::string::npos);
}

TEST(NearAttestation, The2025FlatReportIsOneNodeEntry) {
  const std::string body = R"({"signing_address":")" + kModelAddress +
                           R"(","signing_algo":"ecdsa","request_nonce":")" + kNonce +
                           R"(","intel_quote":"0400","nvidia_payload":")" + kNvidia +
                           R"(","signing_public_key":"00","model_name":"org/m","info":{},)"
                           R"("event_log":[],"all_attestations":[{"signing_address":")" +
                           kModelAddress + R"("}]})";
  Result<AttestationResponse> response = ParseAttestationResponse(Dialect::kNear, body);
  ASSERT_TRUE(response.ok()) << response.error();
  EXPECT_FALSE(response->near_2026);
  ASSERT_EQ(response->entries.size(), 1u);
  EXPECT_EQ(response->entries[0].role, AttestationEntry::Role::kNode);
  EXPECT_EQ(response->entries[0].label, "");
  EXPECT_TRUE(response->entries[0].report.schema_problems.empty())
      << Problems(response->entries[0].report);
  EXPECT_EQ(response->entries[0].report.model_name, "org/m");
  EXPECT_TRUE(response->entries[0].report.listed_in_all_attestations);
  // phala never reads the 2026 envelope: the same keys are a broken flat report there.
  Result<AttestationResponse> phala =
      ParseAttestationResponse(Dialect::kPhala, R"({"gateway_attestation":)" + Gateway() + "}");
  ASSERT_TRUE(phala.ok());
  EXPECT_FALSE(phala->near_2026);
  EXPECT_NE(Problems(phala->entries[0].report).find("signing_address: missing"), std::string::npos);
}

TEST(NearAttestation, EventLogIsAStringAtTheGatewayAndAnArrayAtTheModel) {
  // Swapped shapes: each is a schema problem of the attestation that sent it.
  const std::string body = R"({"gateway_attestation":)" + Gateway("[]") +
                           R"(,"model_attestations":[)" + Model(R"("[]")") + "]}";
  Result<AttestationResponse> response = ParseAttestationResponse(Dialect::kNear, body);
  ASSERT_TRUE(response.ok());
  EXPECT_NE(Problems(response->entries[0].report).find("gateway_attestation.event_log: wrong type"),
            std::string::npos);
  EXPECT_NE(
      Problems(response->entries[1].report).find("model_attestations[0].event_log: wrong type"),
      std::string::npos);
  // A string that does not hold JSON is a problem too.
  Result<NearAttestation> bad =
      ParseNearAttestation(R"({"gateway_attestation":)" + Gateway(R"("not json")") + "}");
  ASSERT_TRUE(bad.ok());
  EXPECT_NE(Problems(bad->gateway).find("event_log: not a JSON array in a string"),
            std::string::npos);
}

TEST(NearAttestation, BrokenEnvelopesBecomeSchemaProblemsNotCrashes) {
  Result<NearAttestation> parsed = ParseNearAttestation(
      R"({"gateway_attestation":5,"model_attestations":[7,{"signing_address":1}],)"
      R"("tls_certificate":"nope"})");
  ASSERT_TRUE(parsed.ok());
  const std::string gateway = Problems(parsed->gateway);
  for (const char* expected : {"gateway_attestation: wrong type", "tls_certificate: not a PEM"}) {
    EXPECT_NE(gateway.find(expected), std::string::npos) << expected << " in " << gateway;
  }
  ASSERT_EQ(parsed->models.size(), 2u);
  EXPECT_NE(Problems(parsed->models[0]).find("model_attestations[0]: not an object"),
            std::string::npos);
  const std::string model = Problems(parsed->models[1]);
  for (const char* expected :
       {"model_attestations[1].signing_address: wrong type",
        "model_attestations[1].intel_quote: missing", "model_attestations[1].model_name: missing",
        "model_attestations[1].nvidia_payload: missing",
        "model_attestations[1].event_log: missing"}) {
    EXPECT_NE(model.find(expected), std::string::npos) << expected << " in " << model;
  }
  // Bad report_data and fingerprint encodings are named.
  Result<NearAttestation> encodings = ParseNearAttestation(
      R"({"gateway_attestation":)" + Gateway(R"("[]")", R"(,"tls_cert_fingerprint":"0x12")") + "}");
  ASSERT_TRUE(encodings.ok());
  EXPECT_NE(Problems(encodings->gateway).find("tls_cert_fingerprint: not 64 hex digits"),
            std::string::npos);
  EXPECT_FALSE(ParseNearAttestation("[]").ok());
  EXPECT_FALSE(ParseAttestationResponse(Dialect::kNear, "").ok());
}

TEST(NearAttestation, ModelAttestationsAreOptional) {
  Result<AttestationResponse> response =
      ParseAttestationResponse(Dialect::kNear, R"({"gateway_attestation":)" + Gateway() + "}");
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->entries.size(), 1u);
  EXPECT_EQ(response->entries[0].role, AttestationEntry::Role::kGateway);
  EXPECT_TRUE(response->entries[0].report.schema_problems.empty())
      << Problems(response->entries[0].report);
}

}  // namespace
}  // namespace teeharness::protocol
