#include "harness/crypto/base64.h"

#include <gtest/gtest.h>

namespace teeharness::crypto {
namespace {

std::string AsString(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"Zg==", "f"},
                                                         {"Zm8=", "fo"},
                                                         {"Zm9v", "foo"},
                                                         {"Zm9vYg==", "foob"},
                                                         {"Zm9vYmE=", "fooba"},
                                                         {"Zm9vYmFy", "foobar"}};
  for (const auto& [encoded, decoded] : vectors) {
    Result<Bytes> bytes = DecodeBase64(encoded);
    ASSERT_TRUE(bytes.ok()) << encoded << ": " << bytes.error();
    EXPECT_EQ(AsString(*bytes), decoded);
  }
}

TEST(Base64, RejectsMalformed) {
  for (const char* bad : {"Zg=", "Z===", "Zm9v\n", "Zm=v", "Zm9v!A==", "=Zm9"}) {
    EXPECT_FALSE(DecodeBase64(bad).ok()) << bad;
  }
}

TEST(Base64, EncodeRoundTripsThroughDecodeWithPadding) {
  EXPECT_EQ(EncodeBase64(AsBytes("")), "");
  EXPECT_EQ(EncodeBase64(AsBytes("f")), "Zg==");
  EXPECT_EQ(EncodeBase64(AsBytes("fo")), "Zm8=");
  EXPECT_EQ(EncodeBase64(AsBytes("foobar")), "Zm9vYmFy");
  Bytes all(256);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(*DecodeBase64(EncodeBase64(all)), all);
}

}  // namespace
}  // namespace teeharness::crypto
