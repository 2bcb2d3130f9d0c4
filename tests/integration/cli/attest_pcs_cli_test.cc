// `teeharness attest verify --collateral URL`: collateral fetched from a PCS v4 service (the real
// mock process), then served from the disk cache with the service gone, and refetched (failing,
// named) once the verification time passes its earliest nextUpdate.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <map>
#include <tuple>

#include "harness/crypto/hex.h"
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

ProcessResult Attest(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  args.insert(args.begin(), {TeeharnessBinary(), "attest", "verify"});
  return RunProcess(args, env);
}

rapidjson::Document Json(const ProcessResult& result) {
  rapidjson::Document doc;
  doc.Parse(result.out.c_str());
  EXPECT_FALSE(doc.HasParseError()) << result.out << result.err;
  return doc;
}

// {result, reason} of check `id`.
std::pair<std::string, std::string> Check(const rapidjson::Document& doc, const std::string& id) {
  if (!doc.IsObject() || !doc.HasMember("checks")) return {"missing", ""};
  for (const auto& check : doc["checks"].GetArray()) {
    if (id == check["id"].GetString()) {
      return {check["result"].GetString(), check["reason"].GetString()};
    }
  }
  return {"missing", ""};
}

size_t FileCount(const std::string& dir) {
  std::error_code ec;
  size_t n = 0;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); ++it) {
    ++n;
  }
  return n;
}

// A quote from the mock's attestation endpoint, written as hex, and its MRTD pin (TD report body
// offset 136 in a v4 quote, after the 48-byte header), so that every check runs and the verdict
// can be `valid`.
struct MockQuote {
  std::string path, mrtd_pin;
};

MockQuote FetchMockQuote(const MockServer& mock, const testing::TempDir& dir) {
  const HttpReply r =
      HttpRequest("GET", mock.url("/v1/attestation/report?nonce=" + std::string(64, 'a')));
  EXPECT_EQ(r.status, 200) << r.body;
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  if (!doc.IsObject() || !doc.HasMember("intel_quote")) {
    ADD_FAILURE() << r.body;
    return {};
  }
  const std::string hex = doc["intel_quote"].GetString();
  return {dir.Write("quote.hex", hex), "mrtd=" + hex.substr(2 * (48 + 136), 96)};
}

TEST(AttestPcsCli, MockCollateralIsFetchedThenCachedThenRefetchedWhenStale) {
  MockServer mock({});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  const MockQuote quote = FetchMockQuote(mock, dir);
  const std::string root =
      dir.Write("root.pem", HttpRequest("GET", mock.url("/mock/pki/root.pem")).body);
  const std::string base = mock.url("");
  const std::map<std::string, std::string> env = {{"XDG_CACHE_HOME", dir.path() + "/xdg"}};
  const std::string cache = dir.path() + "/xdg/teeharness/collateral";
  const std::vector<std::string> args = {"--quote",  quote.path,     "--collateral",
                                         base,       "--trust-root", root,
                                         "--policy", quote.mrtd_pin, "--json"};
  auto at = [&](const std::string& time) {
    std::vector<std::string> a = args;
    a.insert(a.end(), {"--at", time});
    return a;
  };

  // 1. Fetched from the mock's PCS routes: every check passes.
  ProcessResult r = Attest(at("2030-01-01T00:00:00Z"), env);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  rapidjson::Document doc = Json(r);
  EXPECT_STREQ(doc["verdict"].GetString(), "valid") << r.out;
  EXPECT_EQ(Check(doc, "QUOTE-TCB").first, "pass") << r.out;
  EXPECT_EQ(Check(doc, "QUOTE-CHAIN").first, "pass") << r.out;
  EXPECT_EQ(FileCount(cache), 1u);

  // 2. The mock is gone: the same verification is served from the disk cache.
  ASSERT_EQ(mock.Stop(), 0);
  r = Attest(at("2030-01-01T00:00:00Z"), env);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_STREQ(Json(r)["verdict"].GetString(), "valid") << r.out;

  // 3. Past the collateral's earliest nextUpdate (the mock's is 2049-12-31T23:59:59Z) the cached
  // copy is not used: the refetch fails, and QUOTE-TCB is skipped naming the URL. (The mock's
  // certificates expire at the same instant, so QUOTE-CHAIN fails too: rejected.)
  r = Attest(at("2050-01-01T00:00:00Z"), env);
  doc = Json(r);
  const auto [tcb, reason] = Check(doc, "QUOTE-TCB");
  EXPECT_EQ(tcb, "skip") << r.out;
  EXPECT_NE(reason.find("collateral unavailable: GET " + base +
                        "/tdx/certification/v4/tcb?fmspc=00906ED50000"),
            std::string::npos)
      << reason;
  EXPECT_NE(r.err.find(base + "/tdx/certification/v4/tcb"), std::string::npos) << r.err;
  EXPECT_EQ(Check(doc, "QUOTE-CHAIN").first, "fail") << r.out;
  EXPECT_EQ(r.exit_code, 1) << r.out;
}

TEST(AttestPcsCli, CollateralCacheFlagChoosesTheDirectory) {
  MockServer mock({});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  const MockQuote quote = FetchMockQuote(mock, dir);
  const std::string root =
      dir.Write("root.pem", HttpRequest("GET", mock.url("/mock/pki/root.pem")).body);
  const std::string cache = dir.path() + "/mine";
  const ProcessResult r =
      Attest({"--quote", quote.path, "--collateral", mock.url("/"), "--collateral-cache", cache,
              "--trust-root", root, "--at", "1900000000", "--policy", quote.mrtd_pin},
             {{"XDG_CACHE_HOME", dir.path() + "/unused"}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(FileCount(cache), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/unused"));
  // The cache file is QuoteCollateralV3 JSON: --collateral FILE verifies with it, offline.
  const std::string file = std::filesystem::directory_iterator(cache)->path().string();
  mock.Stop();
  const ProcessResult offline = Attest({"--quote", quote.path, "--collateral", file, "--trust-root",
                                        root, "--at", "1900000000", "--policy", quote.mrtd_pin});
  EXPECT_EQ(offline.exit_code, 0) << offline.out << offline.err;
}

TEST(AttestPcsCli, AFailedFetchLeavesTheRealQuoteIncompleteNamingUrlAndStatus) {
  const std::string quote = testing::VectorsDir() + "/attestation/tdx/dcap-qvl-v4.quote";
  const std::string mrtd =
      "mrtd="
      "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538"
      "873118b7";
  testing::TempDir dir;
  MockServer mock({});
  ASSERT_TRUE(mock.started());
  const std::string base = mock.url("");
  auto verify = [&] {
    return Attest({"--quote", quote, "--collateral", base, "--collateral-cache", dir.path(), "--at",
                   "2025-07-19T10:00:34Z", "--policy", mrtd, "--json"});
  };
  // The mock has no TCB info for Intel's FMSPC: HTTP 404, named.
  ProcessResult r = verify();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  rapidjson::Document doc = Json(r);
  EXPECT_STREQ(doc["verdict"].GetString(), "incomplete");
  EXPECT_EQ(Check(doc, "QUOTE-CHAIN").first, "pass") << r.out;
  auto [tcb, reason] = Check(doc, "QUOTE-TCB");
  EXPECT_EQ(tcb, "skip");
  EXPECT_NE(reason.find("GET " + base + "/tdx/certification/v4/tcb?fmspc=B0C06F000000: HTTP 404"),
            std::string::npos)
      << reason;
  // Nothing listens any more: the transport error, named.
  mock.Stop();
  r = verify();
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  doc = Json(r);
  std::tie(tcb, reason) = Check(doc, "QUOTE-TCB");
  EXPECT_EQ(tcb, "skip");
  EXPECT_NE(reason.find("GET " + base + "/tdx/certification/v4/tcb?fmspc=B0C06F000000: "),
            std::string::npos)
      << reason;
  EXPECT_NE(reason.find("onnect"), std::string::npos) << reason;
  EXPECT_EQ(FileCount(dir.path()), 0u);  // failures are not cached
}

}  // namespace
}  // namespace teeharness
