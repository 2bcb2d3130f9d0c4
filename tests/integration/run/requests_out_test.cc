// `teeharness run --requests-out FILE.jsonl`: one valid JSON line per request, whose counts match
// the JSON report's, numbered by worker and iteration, with the failed checks of each response;
// written while the run goes.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/support/files.h"
#include "tests/support/paths.h"
#include "tests/support/processes.h"
#include "tests/support/run_report.h"

namespace teeharness {
namespace {

constexpr const char* kScenario = R"({
  "name": "requests-out",
  "target": { "dialect": "phala" },
  "expect": { "signature_ready_ms": 2000 },
  "request": { "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 4,
               "stream": true },
  "phases": [
    { "name": "attest", "flow": "attest", "iterations": 3 },
    { "name": "chat", "flow": "verified_chat", "iterations": 40, "concurrency": 4 },
    { "name": "open", "flow": "verified_chat", "rate": 100, "duration": "1s" },
    { "name": "negative", "flow": "negative" }
  ]
})";

std::vector<rapidjson::Document> ReadLines(const std::string& path) {
  std::vector<rapidjson::Document> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    lines.emplace_back();
    lines.back().Parse(line.c_str());
    EXPECT_FALSE(lines.back().HasParseError() || !lines.back().IsObject()) << line;
  }
  return lines;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(RequestsOut, OneLinePerRequestMatchingTheReport) {
  testing::TempDir dir;
  const std::string out = dir.path() + "/requests.jsonl";
  // Every signed text mismatches: SIG-TEXT fails on each signature fetch's line.
  const testing::RunOutcome run =
      testing::RunScenario({dir.Write("s.json", kScenario), "--requests-out", out, "--set",
                            "mock.faults={\"text_mismatch\":1}", "--workers", "2"});
  ASSERT_EQ(run.process.exit_code, 1) << run.process.err;
  const std::vector<rapidjson::Document> lines = ReadLines(out);
  rapidjson::Document report;
  report.Parse(run.report.c_str());
  ASSERT_TRUE(report.IsObject());
  ASSERT_TRUE(report["requests_out"].IsObject()) << run.report;
  EXPECT_EQ(report["requests_out"]["lines"].GetUint64(), lines.size());
  EXPECT_EQ(report["requests_out"]["dropped"].GetUint64(), 0u);
  EXPECT_FALSE(report["requests_out"]["write_failed"].GetBool());

  std::map<std::string, uint64_t> per_phase;
  std::map<std::pair<std::string, std::string>, uint64_t> per_op;
  std::map<std::string, std::set<std::pair<unsigned, uint64_t>>> iterations;  // phase -> (w, i)
  uint64_t sig_text_failures = 0;
  for (const rapidjson::Document& line : lines) {
    const std::string phase = line["phase"].GetString(), op = line["op"].GetString();
    ++per_phase[phase];
    ++per_op[{phase, op}];
    iterations[phase].insert({line["worker"].GetUint(), line["iteration"].GetUint64()});
    EXPECT_LE(line["intended"].GetDouble(), line["start"].GetDouble());
    EXPECT_LE(line["start"].GetDouble(), line["first_byte"].GetDouble());
    EXPECT_LE(line["first_byte"].GetDouble(), line["end"].GetDouble());
    EXPECT_TRUE(line["error"].IsNull()) << line["error"].GetString();
    if (op == "chat") {
      EXPECT_EQ(line["status"].GetInt(), 200);
      EXPECT_TRUE(line["chat_id"].IsString());
      EXPECT_GT(line["ttft_seconds"].GetDouble(), 0);
      EXPECT_GT(line["tokens"]["completion"].GetUint64(), 0u);
    }
    if (op == "signature") {
      EXPECT_TRUE(line["chat_id"].IsString());
      for (const auto& id : line["failed_checks"].GetArray()) {
        sig_text_failures += std::string(id.GetString()) == "SIG-TEXT";
      }
    }
  }
  uint64_t total = 0;
  for (const auto& phase : report["phases"].GetArray()) {
    const std::string name = phase["name"].GetString();
    EXPECT_EQ(per_phase[name], phase["requests"].GetUint64()) << name;
    total += phase["requests"].GetUint64();
    for (const char* op : {"attest", "chat", "signature", "negative"}) {
      const auto& latency = phase["latency_seconds"];
      const uint64_t expected = latency.HasMember(op) ? latency[op]["count"].GetUint64() : 0;
      EXPECT_EQ((per_op[{name, op}]), expected) << name << " " << op;
    }
    // Each iteration is numbered once per worker, from 1: as many (worker, iteration) pairs as
    // iterations ran.
    EXPECT_EQ(iterations[name].size(), phase["iterations"].GetUint64()) << name;
  }
  EXPECT_EQ(lines.size(), total);
  EXPECT_EQ(sig_text_failures, run.checks.at("SIG-TEXT").second);
  EXPECT_GT(sig_text_failures, 0u);
}

TEST(RequestsOut, LinesAreWrittenWhileTheRunGoes) {
  testing::TempDir dir;
  const std::string out = dir.path() + "/requests.jsonl";
  const std::string report = dir.path() + "/report.json";
  const pid_t pid = testing::SpawnProcess(
      {testing::TeeharnessBinary(), "run",
       dir.Write("long.json", R"({ "name": "long", "target": { "dialect": "phala" },
         "request": { "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 4 },
         "phases": [ { "name": "forever", "flow": "verified_chat", "concurrency": 2,
                       "duration": "10m" } ] })"),
       "--quiet", "--requests-out", out, "--report-json", report},
      dir.path() + "/stderr");
  ASSERT_GT(pid, 0);
  const bool grew = testing::WaitFor(
      [&] {
        std::ifstream in(out);
        std::stringstream text;
        text << in.rdbuf();
        return Count(text.str(), "\n") >= 50;
      },
      std::chrono::seconds(20));
  EXPECT_TRUE(grew);
  EXPECT_EQ(testing::StopProcess(pid), 1);  // interrupted: exit 1, every report written
  // Also for an interrupted run, the lines and the report agree.
  rapidjson::Document doc = testing::ReadJsonOrFail(report);
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["requests_out"]["lines"].GetUint64(), ReadLines(out).size());
  EXPECT_EQ(doc["requests_out"]["lines"].GetUint64(), doc["phases"][0]["requests"].GetUint64());
}

TEST(RequestsOut, AnUnwritableFileIsAUsageError) {
  testing::TempDir dir;
  const testing::RunOutcome run = testing::RunScenario(
      {dir.Write("s.json", kScenario), "--requests-out", dir.path() + "/no/such/dir/r.jsonl"});
  EXPECT_EQ(run.process.exit_code, 2);
  EXPECT_NE(run.process.err.find("cannot be written"), std::string::npos) << run.process.err;
  EXPECT_TRUE(run.report.empty());  // nothing was sent
}

}  // namespace
}  // namespace teeharness
