#include "harness/crypto/hex.h"

#include <gtest/gtest.h>

namespace teeharness::crypto {
namespace {

TEST(Hex, DecodesWithAndWithoutPrefix) {
  for (const char* text : {"00ff7a", "0x00ff7a", "0X00FF7A"}) {
    Result<Bytes> bytes = DecodeHex(text);
    ASSERT_TRUE(bytes.ok()) << text << ": " << bytes.error();
    EXPECT_EQ(*bytes, (Bytes{0x00, 0xff, 0x7a})) << text;
  }
  EXPECT_TRUE(DecodeHex("").ok());
  EXPECT_TRUE(DecodeHex("0x")->empty());
}

TEST(Hex, RejectsOddLengthWithCount) {
  Result<Bytes> bytes = DecodeHex("0xabc");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error(), "odd number of hex digits (3)");
}

TEST(Hex, RejectsBadDigitNamingCharacterAndPosition) {
  Result<Bytes> bytes = DecodeHex("0x12g4");
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error(), "invalid hex digit 'g' at position 4");
  Result<Bytes> control = DecodeHex(std::string("a\0", 2));
  ASSERT_FALSE(control.ok());
  EXPECT_EQ(control.error(), "invalid hex digit byte 0x00 at position 1");
  EXPECT_FALSE(DecodeHex("0x 1").ok());
  EXPECT_FALSE(DecodeHex("xx12").ok());
}

TEST(Hex, ExactLengthIsEnforced) {
  EXPECT_TRUE(DecodeHexExact("0x0102", 2).ok());
  Result<Bytes> short_bytes = DecodeHexExact("0102", 3);
  ASSERT_FALSE(short_bytes.ok());
  EXPECT_EQ(short_bytes.error(), "expected 3 bytes (6 hex digits), got 2 bytes");
}

TEST(Hex, EncodesLowercaseAndRoundTrips) {
  const Bytes bytes = {0xde, 0xad, 0xBE, 0xef, 0x00};
  EXPECT_EQ(EncodeHex(bytes), "deadbeef00");
  EXPECT_EQ(*DecodeHex(EncodeHex(bytes)), bytes);
}

TEST(Hex, DigitPredicates) {
  EXPECT_TRUE(IsHexDigits("09afAF"));
  EXPECT_FALSE(IsHexDigits(""));
  EXPECT_FALSE(IsHexDigits("0x00"));
  EXPECT_TRUE(HasHexPrefix("0x"));
  EXPECT_FALSE(HasHexPrefix("x0"));
}

}  // namespace
}  // namespace teeharness::crypto
