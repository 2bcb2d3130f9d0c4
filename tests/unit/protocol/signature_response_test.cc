#include "harness/protocol/signature_response.h"

#include <gtest/gtest.h>

namespace teeharness::protocol {
namespace {

TEST(SignatureResponse, SignatureKindIsReadWhenPresent) {
  Result<SignatureDocument> doc = ParseSignatureDocument(
      R"({"text":"a:b","signature":"00","signing_address":"k","signing_algo":"ed25519",)"
      R"("signature_kind":"gateway"})");
  ASSERT_TRUE(doc.ok()) << doc.error();
  EXPECT_EQ(doc->signature_kind, "gateway");
  Result<SignatureDocument> older = ParseSignatureDocument(R"({"text":"m:a:b","signature":"00"})");
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(older->signature_kind, "");  // absent for older rows
  EXPECT_FALSE(ParseSignatureDocument(R"({"text":"a","signature":"0","signature_kind":3})").ok());
}

TEST(SignatureResponse, ErrorCodeBodiesAreNotSignatures) {
  const std::string body =
      R"({"error_code":"STREAM_DISCONNECTED","message":"The stream was disconnected"})";
  EXPECT_FALSE(ParseSignatureDocument(body).ok());
  const std::optional<SignatureErrorCode> code = ParseSignatureErrorCode(body);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(code->code, "STREAM_DISCONNECTED");
  EXPECT_EQ(code->message, "The stream was disconnected");
  EXPECT_EQ(ParseSignatureErrorCode(R"({"error_code":"SIGNATURE_UNSUPPORTED"})")->message, "");
  // Not an error_code body: a signature, an OpenAI error object, a non-string code, not JSON.
  EXPECT_FALSE(ParseSignatureErrorCode(R"({"text":"a","signature":"0"})").has_value());
  EXPECT_FALSE(ParseSignatureErrorCode(R"({"error":{"message":"x","type":"y"}})").has_value());
  EXPECT_FALSE(ParseSignatureErrorCode(R"({"error_code":5})").has_value());
  EXPECT_FALSE(ParseSignatureErrorCode("{").has_value());
}

}  // namespace
}  // namespace teeharness::protocol
