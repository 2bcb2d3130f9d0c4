// --key-file keeps the mock's PKIs: a mock restarted with the same key file serves byte-identical
// roots (/mock/pki/root.pem, /mock/pki/nvidia-root.pem), and its quotes and GPU evidence after the
// restart verify against roots fetched before it. A key file from before the PKI was kept gets it
// added (mode 0600), its signing address unchanged.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "harness/base/read_file.h"
#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::HttpReply;
using testing::HttpRequest;
using testing::MockServer;
using testing::ProcessResult;
using testing::RunProcess;
using testing::TeeharnessBinary;

std::string Get(const MockServer& mock, const std::string& path) {
  const HttpReply r = HttpRequest("GET", mock.url(path));
  EXPECT_EQ(r.status, 200) << path << ": " << r.body;
  return r.body;
}

std::string Address(const MockServer& mock) {
  rapidjson::Document doc;
  doc.Parse(Get(mock, "/v1/attestation/report?nonce=" + std::string(64, '1')).c_str());
  return doc.IsObject() && doc.HasMember("signing_address") ? doc["signing_address"].GetString()
                                                            : "";
}

// The checks of `attest verify --json` as id -> result.
std::map<std::string, std::string> Checks(const ProcessResult& result) {
  rapidjson::Document doc;
  doc.Parse(result.out.c_str());
  std::map<std::string, std::string> out;
  if (!doc.IsObject() || !doc.HasMember("checks")) {
    ADD_FAILURE() << result.out << result.err;
    return out;
  }
  for (const auto& c : doc["checks"].GetArray()) out[c["id"].GetString()] = c["result"].GetString();
  return out;
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(MockPkiPersistence, ARestartedMockServesTheSameRootsAndItsQuotesVerifyAgainstTheOldOnes) {
  testing::TempDir dir;
  const std::string key_file = dir.path() + "/keys.json";
  std::string root, gpu_root, address;
  {
    MockServer first({"--key-file", key_file});
    ASSERT_TRUE(first.started());
    root = Get(first, "/mock/pki/root.pem");
    gpu_root = Get(first, "/mock/pki/nvidia-root.pem");
    address = Address(first);
  }
  EXPECT_EQ(ModeOf(key_file), 0600u);
  const std::string root_path = dir.Write("root-before.pem", root);
  const std::string gpu_root_path = dir.Write("nvidia-root-before.pem", gpu_root);

  MockServer again({"--key-file", key_file, "--gpus", "1"});
  ASSERT_TRUE(again.started());
  EXPECT_EQ(Get(again, "/mock/pki/root.pem"), root);
  EXPECT_EQ(Get(again, "/mock/pki/nvidia-root.pem"), gpu_root);
  EXPECT_EQ(Address(again), address);
  const std::string nonce(64, 'b');
  const std::string report =
      dir.Write("report.json", Get(again, "/v1/attestation/report?nonce=" + nonce));
  const std::string collateral =
      dir.Write("collateral.json", Get(again, "/mock/pki/collateral.json"));
  const ProcessResult verified =
      RunProcess({TeeharnessBinary(), "attest", "verify", "--report", report, "--dialect", "phala",
                  "--collateral", collateral, "--trust-root", root_path, "--gpu-trust-root",
                  gpu_root_path, "--nonce", nonce, "--json"});
  const std::map<std::string, std::string> checks = Checks(verified);
  for (const char* id : {"QUOTE-FORMAT", "QUOTE-SIG", "QUOTE-QE", "QUOTE-CHAIN", "QUOTE-TCB",
                         "TD-ATTR", "NONCE-BIND", "GPU-SIG", "GPU-CHAIN"}) {
    EXPECT_EQ(checks.count(id) ? checks.at(id) : "missing", "pass") << id << "\n" << verified.out;
  }

  // Without the key file the PKI is new at every start: the old root no longer anchors it.
  MockServer ephemeral({});
  ASSERT_TRUE(ephemeral.started());
  EXPECT_NE(Get(ephemeral, "/mock/pki/root.pem"), root);
}

TEST(MockPkiPersistence, AnOldKeyFileGetsThePkiAddedAndKeepsItsAddress) {
  testing::TempDir dir;
  const std::string key_file = dir.Write(
      "keys.json",
      R"({"ecdsa_private_key":"0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80","ed25519_seed":"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"})");
  std::string root;
  {
    MockServer first({"--key-file", key_file});
    ASSERT_TRUE(first.started());
    EXPECT_EQ(Address(first), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    root = Get(first, "/mock/pki/root.pem");
  }
  const Result<std::string> text = ReadFile(key_file);
  ASSERT_TRUE(text.ok());
  rapidjson::Document doc;
  doc.Parse(text->c_str());
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("pki")) << *text;
  EXPECT_EQ(std::string(doc["ecdsa_private_key"].GetString()),
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
  EXPECT_EQ(ModeOf(key_file), 0600u);
  MockServer again({"--key-file", key_file});
  ASSERT_TRUE(again.started());
  EXPECT_EQ(Get(again, "/mock/pki/root.pem"), root);
  EXPECT_EQ(Address(again), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
}

TEST(MockPkiPersistence, ATamperedPkiIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  const std::string key_file = dir.path() + "/keys.json";
  { MockServer first({"--key-file", key_file}); }
  std::string text = *ReadFile(key_file);
  const size_t seed = text.find("\"seed\":\"");
  ASSERT_NE(seed, std::string::npos);
  text[seed + 8] = text[seed + 8] == '1' ? '2' : '1';  // another seed: other keys
  dir.Write("keys.json", text);
  const ProcessResult r =
      RunProcess({TeeharnessBinary(), "mock", "--listen", "127.0.0.1:0", "--key-file", key_file});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find(key_file), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("does not carry the key its seed derives"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace teeharness
