// `teeharness compare` on the reports of two real (short) runs against the built-in mock: exit 0
// without a regression, 1 with one (a check that passed in BASE and fails in NEW; a rule that
// trips), 2 on unusable input; --json and --html.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "tests/support/files.h"
#include "tests/support/paths.h"
#include "tests/support/run_report.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using Strings = std::vector<std::string>;

constexpr const char* kScenario = R"({
  "name": "compare",
  "target": { "dialect": "phala" },
  "expect": { "signature_ready_ms": 2000 },
  "request": { "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 4 },
  "phases": [
    { "name": "attest", "flow": "attest", "iterations": 2 },
    { "name": "chat", "flow": "verified_chat", "iterations": 10, "concurrency": 2 }
  ]
})";

class CompareCli : public ::testing::Test {
 protected:
  // One run of kScenario with `args`; its JSON report's path.
  std::string Run(const std::string& name, const Strings& args = {}) {
    Strings argv = {dir_.Write("scenario.json", kScenario)};
    argv.insert(argv.end(), args.begin(), args.end());
    const testing::RunOutcome run = testing::RunScenario(argv);
    EXPECT_FALSE(run.report.empty()) << run.process.err;
    return dir_.Write(name, run.report);
  }

  testing::ProcessResult Compare(const Strings& args) {
    Strings argv = {testing::TeeharnessBinary(), "compare"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunProcess(argv);
  }

  testing::TempDir dir_;
};

TEST_F(CompareCli, TwoRealRunsGateOnChecksAndRules) {
  const std::string base = Run("base.json");
  const std::string same = Run("same.json");
  // The mock signs texts that do not match what was sent: SIG-TEXT fails in NEW only.
  const std::string broken = Run("broken.json", {"--set", "mock.faults={\"text_mismatch\":1}"});

  // Two correct runs: no regression, with rules that a correct mock cannot trip.
  testing::ProcessResult r =
      Compare({base, same, "--fail-on", "errors>+0", "--fail-on", "check_failures>+0"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("phase chat"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("p95(chat_seconds)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("NO REGRESSION"), std::string::npos) << r.out;

  // A check that passed in BASE and fails in NEW fails the comparison, by name, without a rule.
  r = Compare({base, broken});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("REGRESSION: check SIG-TEXT passed in BASE"), std::string::npos) << r.out;
  // The other way round it is an improvement.
  EXPECT_EQ(Compare({broken, base}).exit_code, 0);

  // A rule that any run trips: NEW's chat rate above BASE's minus 100%, i.e. above zero.
  r = Compare({base, same, "--fail-on", "rate{phase:chat}>-100%", "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  EXPECT_EQ(doc["exit_code"].GetInt(), 1);
  ASSERT_EQ(doc["regressions"].Size(), 1u);
  EXPECT_NE(std::string(doc["regressions"][0].GetString()).find("rate{phase:chat}>-100%"),
            std::string::npos);

  // --html: a page of its own, with no URL (the reports' target URLs are not shown).
  const std::string html = dir_.path() + "/compare.html";
  EXPECT_EQ(Compare({base, broken, "--html", html}).exit_code, 1);
  const std::string page = testing::ReadFileOrFail(html);
  EXPECT_NE(page.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(page.find("SIG-TEXT"), std::string::npos);
  EXPECT_EQ(page.find("http"), std::string::npos);
}

TEST_F(CompareCli, UnusableInputExitsTwo) {
  const std::string base = Run("base.json");
  std::string report = testing::ReadFileOrFail(base);
  const std::string version = "\"schema_version\": 2";
  ASSERT_NE(report.find(version), std::string::npos);
  report.replace(report.find(version), version.size(), "\"schema_version\": 99");
  const std::string future = dir_.Write("future.json", report);

  testing::ProcessResult r = Compare({base, future});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("NEW " + future + ": schema_version 99 is not one this teeharness reads"),
            std::string::npos)
      << r.err;
  r = Compare({base, dir_.path() + "/missing.json"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot be read"), std::string::npos) << r.err;
  r = Compare({dir_.Write("other.json", "{\"name\": \"k6\"}"), base});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a teeharness report"), std::string::npos) << r.err;
  r = Compare({base, base, "--fail-on", "p95(chat_seconds)>10%"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("\"p95(chat_seconds)>10%\" at column 19: expected a signed change"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(Compare({base}).exit_code, 2);
}

}  // namespace
}  // namespace teeharness
