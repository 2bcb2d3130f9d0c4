// `teeharness attest verify` as users and other tools run it: the real binary on the real
// Intel-signed vectors, the exit codes and the stable --json object.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "harness/crypto/base64.h"
#include "harness/crypto/hex.h"
#include "tests/support/files.h"
#include "tests/support/paths.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::ProcessResult;
using testing::RunProcess;
using testing::TeeharnessBinary;
using testing::VectorsDir;

std::string Tdx(const std::string& name) { return VectorsDir() + "/attestation/tdx/" + name; }

// The real v4 quote's MRTD: pinned, TD-MEASURE runs; unpinned it is skipped (verdict incomplete).
const std::string kMrtdPin =
    "mrtd="
    "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118"
    "b7";

ProcessResult Attest(std::vector<std::string> args) {
  args.insert(args.begin(), {TeeharnessBinary(), "attest", "verify"});
  return RunProcess(args);
}

rapidjson::Document Json(const ProcessResult& result) {
  rapidjson::Document doc;
  doc.Parse(result.out.c_str());
  EXPECT_FALSE(doc.HasParseError()) << result.out;
  return doc;
}

std::string ResultOf(const rapidjson::Document& doc, const std::string& id) {
  for (const auto& check : doc["checks"].GetArray()) {
    if (id == check["id"].GetString()) return check["result"].GetString();
  }
  return "missing";
}

TEST(AttestCli, RealV4QuoteIsValidAndUpToDate) {
  const ProcessResult r = Attest({"--quote", Tdx("dcap-qvl-v4.quote"), "--collateral",
                                  Tdx("dcap-qvl-v4.collateral.json"), "--at",
                                  "2025-07-19T10:00:34Z", "--policy", kMrtdPin, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const rapidjson::Document doc = Json(r);
  EXPECT_STREQ(doc["verdict"].GetString(), "valid");
  EXPECT_STREQ(doc["tcb_status"].GetString(), "UpToDate");
  EXPECT_STREQ(doc["fmspc"].GetString(), "b0c06f000000");
  EXPECT_STREQ(doc["tcb_rule"].GetString(), "intel");
  EXPECT_EQ(doc["advisory_ids"].Size(), 0u);
  EXPECT_EQ(std::string(doc["td"]["mrtd"].GetString()).substr(0, 8), "91eb2b44");
  EXPECT_EQ(std::string(doc["td"]["rtmr3"].GetString()), std::string(96, '0'));
  for (const char* id : {"QUOTE-FORMAT", "QUOTE-SIG", "QUOTE-QE", "QUOTE-CHAIN", "QUOTE-TCB",
                         "TD-ATTR", "TD-MEASURE"}) {
    EXPECT_EQ(ResultOf(doc, id), "pass") << id;
  }
}

TEST(AttestCli, HexAndBase64QuotesAreDetected) {
  const std::string bytes = testing::ReadFileOrFail(Tdx("dcap-qvl-v4.quote"));
  const crypto::ByteSpan span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  testing::TempDir dir;
  const std::string hex = dir.Write("q.hex", "0x" + crypto::EncodeHex(span) + "\n");
  const ProcessResult r =
      Attest({"--quote", hex, "--collateral", Tdx("dcap-qvl-v4.collateral.json"), "--at",
              "1752919234", "--policy", kMrtdPin});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("verdict: valid"), std::string::npos) << r.out;
}

TEST(AttestCli, ExitCodesForRejectedIncompleteAndUsage) {
  // v5: signatures and chain fine, no TCB level matches: rejected.
  ProcessResult r =
      Attest({"--quote", Tdx("dcap-qvl-v5-nomatch.quote"), "--collateral",
              Tdx("dcap-qvl-v5-nomatch.collateral.json"), "--at", "1774003274", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(ResultOf(Json(r), "QUOTE-TCB"), "fail");
  // No collateral: nothing failed, TCB not evaluated: incomplete.
  r = Attest(
      {"--quote", Tdx("dcap-qvl-v4.quote"), "--at", "1752919234", "--policy", kMrtdPin, "--json"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_EQ(ResultOf(Json(r), "QUOTE-TCB"), "skip");
  // Past the collateral: rejected.
  r = Attest({"--quote", Tdx("dcap-qvl-v4.quote"), "--collateral",
              Tdx("dcap-qvl-v4.collateral.json"), "--at", "2026-12-02T00:00:00Z"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  // A truncated quote is evidence from a server: rejected, not a usage error.
  testing::TempDir dir;
  const std::string bytes = testing::ReadFileOrFail(Tdx("dcap-qvl-v4.quote"));
  r = Attest({"--quote", dir.Write("short.quote", bytes.substr(0, 700)), "--at", "1752919234"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("QUOTE-FORMAT  fail"), std::string::npos) << r.out;
  // Usage: a missing file, a bad policy key, both inputs.
  EXPECT_EQ(Attest({"--quote", dir.path() + "/absent"}).exit_code, 2);
  r = Attest({"--quote", Tdx("dcap-qvl-v4.quote"), "--policy", "colour=blue"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown key 'colour'"), std::string::npos) << r.err;
  EXPECT_EQ(Attest({"--quote", "a", "--report", "b"}).exit_code, 2);
  EXPECT_EQ(Attest({"--quote", Tdx("dcap-qvl-v4.quote"), "--at", "yesterday"}).exit_code, 2);
}

TEST(AttestCli, PoliciesCombineAndPinsBite) {
  ProcessResult r = Attest({"--quote", Tdx("dcap-qvl-v4.quote"), "--collateral",
                            Tdx("dcap-qvl-v4.collateral.json"), "--at", "1752919234", "--policy",
                            "tcb_status=OutOfDate", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(ResultOf(Json(r), "QUOTE-TCB"), "fail");
  r = Attest({"--quote", Tdx("dcap-qvl-v4.quote"), "--collateral",
              Tdx("dcap-qvl-v4.collateral.json"), "--at", "1752919234", "--policy",
              "rtmr3=" + std::string(96, '0') + ";fmspc=b0c06f000000", "--policy",
              "allow_debug=false", "--policy", kMrtdPin, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(ResultOf(Json(r), "TD-MEASURE"), "pass");
  r = Attest({"--quote", Tdx("dcap-qvl-v4.quote"), "--collateral",
              Tdx("dcap-qvl-v4.collateral.json"), "--at", "1752919234", "--policy",
              "mrtd=" + std::string(96, '1'), "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(ResultOf(Json(r), "TD-MEASURE"), "fail");
}

TEST(AttestCli, ATrustRootOtherThanIntelRejectsTheChain) {
  const ProcessResult r =
      Attest({"--quote", Tdx("dcap-qvl-v4.quote"), "--collateral",
              Tdx("dcap-qvl-v4.collateral.json"), "--at", "1752919234", "--trust-root",
              VectorsDir() + "/attestation/roots/nvidia-device-identity-ca.pem", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(ResultOf(Json(r), "QUOTE-CHAIN"), "fail");
}

TEST(AttestCli, DstackReportQuoteIsCheckedFromAPhalaReport) {
  // The dstack vector's quote wrapped as a phala report: the quote parses and its signatures and
  // chain verify (no collateral for it ships, so the verdict is incomplete at best).
  const std::string report = testing::ReadFileOrFail(
      VectorsDir() + "/attestation/dstack/dstack-verifier-quote-report.json");
  rapidjson::Document doc;
  doc.Parse(report.c_str());
  ASSERT_TRUE(doc.IsObject());
  const std::string quote_hex = doc["quote"].GetString();
  testing::TempDir dir;
  const ProcessResult r =
      Attest({"--quote", dir.Write("q.hex", quote_hex), "--at", "1752919234", "--json"});
  const rapidjson::Document out = Json(r);
  EXPECT_EQ(ResultOf(out, "QUOTE-FORMAT"), "pass") << r.out;
  EXPECT_EQ(ResultOf(out, "QUOTE-SIG"), "pass") << r.out;
}

}  // namespace
}  // namespace teeharness
