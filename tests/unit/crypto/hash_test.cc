#include <gtest/gtest.h>

#include <string>

#include "harness/crypto/hex.h"
#include "harness/crypto/keccak.h"
#include "harness/crypto/sha256.h"
#include "tests/support/files.h"
#include "tests/support/paths.h"

namespace teeharness::crypto {
namespace {

TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(Sha256::HashHex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256::HashHex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, StreamingEqualsOneShotAtEverySplit) {
  const std::string response =
      testing::ReadFileOrFail(testing::VectorsDir() + "/phala-2024-stream/response.sse");
  ASSERT_FALSE(response.empty());
  const Hash32 whole = Sha256::Hash(response);
  EXPECT_EQ(EncodeHex(whole), "2e704942816901eaf435945fd01d76346e5dd283d5f8a2391e525e8f9a9ef36e");
  Sha256 streaming;
  for (size_t split = 0; split <= response.size(); split += 97) {
    streaming.Update(std::string_view(response).substr(0, split));
    streaming.Update(std::string_view(response).substr(split));
    EXPECT_EQ(streaming.Finish(), whole) << "split at " << split;  // Finish also resets
  }
}

TEST(Sha256, RealRequestBytes) {
  const std::string request =
      testing::ReadFileOrFail(testing::VectorsDir() + "/phala-2024-stream/request.json");
  EXPECT_EQ(Sha256::HashHex(request),
            "bcf152411970b14faab35a76d559b4188b78c24ced0048d0edcd320bf47bff0a");
}

TEST(Keccak256, IsOriginalKeccakNotSha3) {
  // keccak256("") in Ethereum; SHA3-256("") would be a7ffc6f8...
  EXPECT_EQ(EncodeHex(Keccak256(std::string_view(""))),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  EXPECT_EQ(EncodeHex(Keccak256(std::string_view("abc"))),
            "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

TEST(Eip191, LengthIsUtf8BytesInDecimal) {
  // "I♥SF" is 4 characters but 6 UTF-8 bytes; the prefix must say 6.
  const std::string message = "I\xe2\x99\xa5SF";
  const std::string framed = std::string("\x19") + "Ethereum Signed Message:\n6" + message;
  EXPECT_EQ(Eip191Digest(message), Keccak256(std::string_view(framed)));
  const std::string long_message(1234, 'a');
  EXPECT_EQ(Eip191Digest(long_message),
            Keccak256(std::string_view(std::string("\x19") + "Ethereum Signed Message:\n1234" +
                                       long_message)));
}

}  // namespace
}  // namespace teeharness::crypto
