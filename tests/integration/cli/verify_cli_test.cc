// `teeharness verify` as users run it: the real binary, real files, exit codes and output.
#include <gtest/gtest.h>

#include "harness/crypto/ed25519.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/secp256k1.h"
#include "harness/crypto/signature.h"
#include "tests/support/files.h"
#include "tests/support/paths.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::ProcessResult;
using testing::RunProcess;
using testing::TeeharnessBinary;
using testing::VectorsDir;

constexpr const char* kRealAddress = "0x50F9b35e94DFa4805A8c69C50Ba13841a06c1216";

ProcessResult Verify(std::vector<std::string> args) {
  args.insert(args.begin(), {TeeharnessBinary(), "verify"});
  return RunProcess(args);
}

std::vector<std::string> RealStreamArgs() {
  const std::string dir = VectorsDir() + "/phala-2024-stream";
  return {"--request",           dir + "/request.json", "--response",
          dir + "/response.sse", "--signature-json",    dir + "/signature.json"};
}

TEST(VerifyCli, ShippedRealCompletionPrintsSignerAndExitsZero) {
  const ProcessResult result = Verify(RealStreamArgs());
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("signer            0x50F9b35e94DFa4805A8c69C50Ba13841a06c1216"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("text              matches the exact bytes"), std::string::npos);
  EXPECT_NE(result.out.find("v=28"), std::string::npos);
  EXPECT_NE(result.out.find("VALID"), std::string::npos);
}

TEST(VerifyCli, MatchingAndWrongExpectedAddress) {
  auto args = RealStreamArgs();
  args.insert(args.end(), {"--address", "0x50f9b35e94dfa4805a8c69c50ba13841a06c1216", "--json"});
  ProcessResult result = Verify(args);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("\"valid\":true"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("\"signer\":\"0x50F9b35e94DFa4805A8c69C50Ba13841a06c1216\""),
            std::string::npos);

  args = RealStreamArgs();
  args.insert(args.end(), {"--address", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"});
  result = Verify(args);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("INVALID"), std::string::npos);
  EXPECT_NE(result.out.find("expected 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
            std::string::npos)
      << result.out;
}

TEST(VerifyCli, OneChangedResponseByteIsATextMismatch) {
  testing::TempDir dir;
  std::string response = testing::ReadFileOrFail(VectorsDir() + "/phala-2024-stream/response.sse");
  response.back() = ' ';
  const std::string path = dir.Write("response.sse", response);
  auto args = RealStreamArgs();
  args[3] = path;
  const ProcessResult result = Verify(args);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("MISMATCH"), std::string::npos) << result.out;
  // The signature itself is still the TEE's: the signer is reported even though the text differs.
  EXPECT_NE(result.out.find(kRealAddress), std::string::npos);
}

TEST(VerifyCli, TextFormWithSyntheticKeysBothAlgorithms) {
  const crypto::EcdsaKey ecdsa = *crypto::EcdsaKey::FromPrivateKey(
      *crypto::DecodeHex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"));
  const std::string text = "m:x:y";
  ProcessResult result = Verify({"--text", text, "--signature",
                                 crypto::EncodeEthSignature(ecdsa.SignPersonalMessage(text)),
                                 "--address", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;

  const crypto::Ed25519Key ed = crypto::Ed25519Key::Generate();
  const std::string public_key = crypto::EncodeHex(ed.public_key());
  result = Verify({"--text", text, "--signature", crypto::EncodeHex(ed.Sign(text)), "--algo",
                   "ed25519", "--address", public_key});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find(public_key), std::string::npos);
  result = Verify({"--text", text + "!", "--signature", crypto::EncodeHex(ed.Sign(text)), "--algo",
                   "ed25519", "--address", public_key});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
}

TEST(VerifyCli, InputErrorsAreOneClearLineAndExitTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string sig(130, 'a');
  const std::vector<Case> cases = {
      {{"--text", "t", "--signature", "0xzz"}, "invalid hex digit 'z' at position 2"},
      {{"--text", "t", "--signature", sig.substr(4)}, "expected 65 bytes"},
      {{"--text", "t", "--signature", sig.substr(0, 128) + "05"}, "v = 5"},
      {{"--text", "t", "--signature", sig, "--address",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"},
       "EIP-55 checksum mismatch"},
      {{"--text", "t", "--signature", sig, "--algo", "rsa"}, "unknown signing algorithm 'rsa'"},
      {{"--text", "t"}, "--text and --signature are required"},
      {{"--request", "/nonexistent/request.json", "--response", "/dev/null", "--signature-json",
        "/dev/null"},
       "cannot read /nonexistent/request.json"},
      {{"--bogus"}, "unknown option --bogus"},
  };
  for (const Case& c : cases) {
    const ProcessResult result = Verify(c.args);
    EXPECT_EQ(result.exit_code, 2) << c.message << "\n" << result.out << result.err;
    EXPECT_NE(result.err.find(c.message), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("terminate called"), std::string::npos);
  }
}

TEST(VerifyCli, SignatureJsonWithGatewayErrorIsAnInputError) {
  testing::TempDir dir;
  const std::string path = dir.Write("sig.json", R"({"error_code":"SIGNATURE_UNSUPPORTED"})");
  auto args = RealStreamArgs();
  args[5] = path;
  const ProcessResult result = Verify(args);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("SIGNATURE_UNSUPPORTED"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace teeharness
