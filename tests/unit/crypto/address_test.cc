#include "harness/crypto/address.h"

#include <gtest/gtest.h>

namespace teeharness::crypto {
namespace {

// The examples of EIP-55 itself.
constexpr const char* kEip55Examples[] = {
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"};

TEST(Address, Eip55ExamplesRoundTrip) {
  for (const char* example : kEip55Examples) {
    Result<Address20> address = ParseAddress(example);
    ASSERT_TRUE(address.ok()) << example << ": " << address.error();
    EXPECT_EQ(ToChecksumAddress(*address), example);
  }
}

TEST(Address, AllLowerAndAllUpperNeedNoChecksum) {
  EXPECT_TRUE(ParseAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").ok());
  EXPECT_TRUE(ParseAddress("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED").ok());
  EXPECT_TRUE(ParseAddress("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").ok());
}

TEST(Address, MixedCaseWithWrongChecksumIsAnErrorShowingTheRightOne) {
  Result<Address20> address = ParseAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");
  ASSERT_FALSE(address.ok());
  EXPECT_EQ(address.error(),
            "address: EIP-55 checksum mismatch (mixed case should read "
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed)");
}

TEST(Address, WrongLengthAndBadHex) {
  EXPECT_FALSE(ParseAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea").ok());
  EXPECT_FALSE(ParseAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaedaa").ok());
  EXPECT_FALSE(ParseAddress("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg").ok());
}

TEST(Address, CaseInsensitiveComparison) {
  EXPECT_TRUE(SameAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                          "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
  EXPECT_FALSE(SameAddress(kEip55Examples[0], kEip55Examples[1]));
  EXPECT_FALSE(SameAddress("garbage", "garbage"));
  EXPECT_EQ(ToLowerAddress(*ParseAddress(kEip55Examples[0])),
            "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
}

}  // namespace
}  // namespace teeharness::crypto
