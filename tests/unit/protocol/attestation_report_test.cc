#include "harness/protocol/attestation_report.h"

#include <gtest/gtest.h>

namespace teeharness::protocol {
namespace {

const std::string kNonce(64, 'a');
const std::string kNvidia =
    R"({\"nonce\":\")" + kNonce +
    R"(\",\"evidence_list\":[{\"certificate\":\"Yw==\",\"evidence\":\"ZQ==\"}],\"arch\":\"HOPPER\"})";

std::string PhalaReport(const std::string& quote) {
  return R"({"signing_address":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","signing_algo":"ecdsa",)"
         R"("request_nonce":")" +
         kNonce + R"(","intel_quote":")" + quote + R"(","nvidia_payload":")" + kNvidia +
         R"(","signing_public_key":"00","info":{},"event_log":[],)"
         R"("all_attestations":[{"signing_address":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"}]})";
}

TEST(AttestationReport, PhalaFieldsAndNestedNvidiaPayload) {
  Result<AttestationReport> report = ParseAttestationReport(Dialect::kPhala, PhalaReport("0400ff"));
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_TRUE(report->schema_problems.empty()) << report->schema_problems[0];
  EXPECT_EQ(report->echoed_nonce, kNonce);
  EXPECT_EQ(report->gpu_nonce, kNonce);
  EXPECT_EQ(report->gpu_arch, "HOPPER");
  EXPECT_EQ(report->gpu_evidence_count, 1u);
  EXPECT_EQ(report->quote, (crypto::Bytes{4, 0, 0xff}));
  EXPECT_EQ(report->quote_encoding, "hex");
  EXPECT_EQ(report->all_attestations, 1u);
  EXPECT_TRUE(report->listed_in_all_attestations);
}

TEST(AttestationReport, Base64QuoteOf2024) {
  Result<AttestationReport> report = ParseAttestationReport(Dialect::kPhala, PhalaReport("BAD/"));
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->quote_encoding, "base64");
  EXPECT_EQ(report->quote, (crypto::Bytes{0x04, 0x00, 0xff}));
}

TEST(AttestationReport, WrongTypesBecomeSchemaProblemsNotCrashes) {
  Result<AttestationReport> report = ParseAttestationReport(
      Dialect::kNear,
      R"({"signing_address":5,"request_nonce":null,"nvidia_payload":{"nonce":"x"},"all_attestations":"no"})");
  ASSERT_TRUE(report.ok());
  const std::string problems = [&] {
    std::string all;
    for (const auto& p : report->schema_problems) all += p + "|";
    return all;
  }();
  for (const char* expected :
       {"signing_address: wrong type", "request_nonce: wrong type", "nvidia_payload: wrong type",
        "all_attestations: wrong type", "model_name: missing", "intel_quote: missing"}) {
    EXPECT_NE(problems.find(expected), std::string::npos) << expected << " in " << problems;
  }
  EXPECT_FALSE(ParseAttestationReport(Dialect::kPhala, "[]").ok());
  EXPECT_FALSE(ParseAttestationReport(Dialect::kPhala, std::string("{\0}", 3)).ok());
  EXPECT_FALSE(ParseAttestationReport(Dialect::kPhala, "").ok());
}

TEST(AttestationReport, NvidiaPayloadThatIsNotJson) {
  std::string body = PhalaReport("00");
  body.replace(body.find(kNvidia), kNvidia.size(), "not json");
  Result<AttestationReport> report = ParseAttestationReport(Dialect::kPhala, body);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->schema_problems.size(), 1u);
  EXPECT_EQ(report->schema_problems[0], "nvidia_payload: not a JSON object in a string");
}

TEST(AttestationReport, Ionet) {
  const std::string body =
      R"({"nonce":")" + kNonce + R"(","gpu":{"nonce":")" + kNonce +
      R"(","arch":"HOPPER","evidence_list":[{"evidence":"e","certificate":"c"},{"evidence":"e","certificate":"c"}],"claims_version":"3.0"},)"
      R"("signing_address":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","image_digest":"sha256:)" +
      std::string(64, 'b') + R"("})";
  Result<AttestationReport> report = ParseAttestationReport(Dialect::kIonet, body);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->schema_problems.empty());
  EXPECT_EQ(report->gpu_evidence_count, 2u);
  EXPECT_TRUE(report->quote.empty());  // cpu is optional
  EXPECT_EQ(report->signing_algo, "ecdsa");
  EXPECT_EQ(report->image_digest, "sha256:" + std::string(64, 'b'));
}

}  // namespace
}  // namespace teeharness::protocol
