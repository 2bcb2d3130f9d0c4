// Faults during open-loop runs against the real mock: the target killed with SIGKILL and
// restarted, refused connections, storms of 500s and 429s (Retry-After honoured or not), a name
// that does not resolve. The run completes, and every arrival is accounted for exactly once:
// arrivals = succeeded + failed (by kind) + dropped, in the JSON report and in its terminal
// summary.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/processes.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

struct Accounting {
  uint64_t arrivals = 0, succeeded = 0, dropped = 0, failed_total = 0;
  int64_t unaccounted = -1;
  std::map<std::string, uint64_t> failed;
  std::string report;  // the JSON report, for failure messages
  uint64_t Failed(const std::string& kind) const {
    const auto it = failed.find(kind);
    return it == failed.end() ? 0 : it->second;
  }
};

Accounting ReadAccounting(const std::string& report_text) {
  rapidjson::Document json;
  json.Parse(report_text.c_str(), report_text.size());
  Accounting a;
  if (json.HasParseError()) return a;
  const auto& acc = json["phases"][0]["accounting"];
  a.arrivals = acc["arrivals"].GetUint64();
  a.succeeded = acc["succeeded"].GetUint64();
  a.dropped = acc["dropped"].GetUint64();
  a.unaccounted = acc["unaccounted"].GetInt64();
  for (const auto& kind : acc["failed"].GetObject()) {
    a.failed[kind.name.GetString()] = kind.value.GetUint64();
    a.failed_total += kind.value.GetUint64();
  }
  return a;
}

// Completions the mock has signed so far (its loopback-only /admin/stats).
uint64_t SignedBy(testing::MockServer& mock) {
  const std::string body = testing::HttpRequest("GET", mock.url("/admin/stats")).body;
  rapidjson::Document json;
  json.Parse(body.c_str(), body.size());
  if (json.HasParseError() || !json.IsObject() || !json.HasMember("signed") ||
      !json["signed"].IsUint64()) {
    return 0;
  }
  return json["signed"].GetUint64();
}

// An open-loop scenario: `rate` arrivals/s for `seconds` against `base_url`.
std::string LoadScenario(const std::string& base_url, int rate, int seconds,
                         const std::string& phase_extra = "") {
  return R"({
  "name": "faults-under-load",
  "target": { "base_url": ")" +
         base_url + R"(", "dialect": "phala", "model": "mock/llama-3.1-8b-instruct",
              "request_timeout": "2s", "connect_timeout": "1s" },
  "expect": { "signature_ready_ms": 2000 },
  "request": { "messages": [{"role": "user", "content": "hi"}], "max_tokens": 8, "stream": true },
  "phases": [
    { "name": "load", "flow": "verified_chat", "max_in_flight": 200,
      "arrival_rate": { "from": )" +
         std::to_string(rate) + ", \"to\": " + std::to_string(rate) + ", \"over\": \"" +
         std::to_string(seconds) + "s\" }" + phase_extra + R"( }
  ]
})";
}

// Every arrival of the schedule (rate x seconds, exactly) is in exactly one bucket.
void ExpectBalanced(const Accounting& a, uint64_t scheduled, const std::string& context) {
  EXPECT_EQ(a.arrivals, scheduled) << context;
  EXPECT_EQ(a.unaccounted, 0) << context;
  EXPECT_EQ(a.arrivals, a.succeeded + a.failed_total + a.dropped) << context;
}

struct LoadRun {
  testing::ProcessResult process;
  std::string report;
};

LoadRun RunLoad(const std::string& scenario_text, const testing::TempDir& dir) {
  const std::string scenario = dir.Write("scenario.json", scenario_text);
  const std::string report = dir.path() + "/report.json";
  LoadRun run;
  run.process = testing::RunProcess(
      {testing::TeeharnessBinary(), "run", scenario, "--quiet", "--report-json", report}, {},
      std::chrono::seconds(120));
  run.report = testing::ReadFileOrFail(report);
  return run;
}

TEST(FaultsUnderLoad, TargetKilledAndRestartedMidRun) {
  const int port = testing::FreePort();
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  auto mock = std::make_unique<testing::MockServer>(
      std::vector<std::string>{"--listen", listen, "--dialect", "phala"});
  ASSERT_TRUE(mock->started());
  testing::TempDir dir;
  const std::string scenario = dir.Write("scenario.json", LoadScenario("http://" + listen, 100, 6));
  const std::string report = dir.path() + "/report.json";
  const std::string out = dir.path() + "/run.out";
  const pid_t run =
      testing::SpawnProcess({testing::TeeharnessBinary(), "run", scenario, "--report-json", report},
                            dir.path() + "/run.err", out);
  // Kill the target once traffic flows, keep it down long enough for refused connections, then
  // bring it back on the same port (new process, new key).
  ASSERT_TRUE(testing::WaitFor([&] { return SignedBy(*mock) >= 100; }, std::chrono::seconds(30)));
  mock->Kill();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // the outage being measured
  mock = std::make_unique<testing::MockServer>(
      std::vector<std::string>{"--listen", listen, "--dialect", "phala"});
  ASSERT_TRUE(mock->started());
  const int exit_code = testing::WaitProcess(run, std::chrono::seconds(60));
  EXPECT_TRUE(exit_code == 0 || exit_code == 1) << exit_code;
  const std::string text = testing::ReadFileOrFail(report);
  const Accounting a = ReadAccounting(text);
  ExpectBalanced(a, 600, text);
  EXPECT_GT(a.succeeded, 100u) << text;
  // The outage shows as refused connections (and transfers cut by the kill).
  EXPECT_GT(a.Failed("connect_refused"), 0u) << text;
  // The terminal summary says the same.
  const std::string summary = testing::ReadFileOrFail(out);
  EXPECT_NE(summary.find("arrivals 600 = succeeded " + std::to_string(a.succeeded)),
            std::string::npos)
      << summary;
}

// `rate` arrivals/s for `seconds` against a fresh mock injecting `fault`; the accounting balances.
Accounting LoadWithFault(const std::string& fault, int rate, int seconds,
                         const std::string& phase_extra = "") {
  testing::MockServer mock({"--dialect", "phala", "--fault", fault});
  EXPECT_TRUE(mock.started());
  testing::TempDir dir;
  const LoadRun run = RunLoad(LoadScenario(mock.url(""), rate, seconds, phase_extra), dir);
  EXPECT_TRUE(run.process.exit_code == 0 || run.process.exit_code == 1) << run.process.err;
  Accounting a = ReadAccounting(run.report);
  ExpectBalanced(a, static_cast<uint64_t>(rate) * seconds, run.report);
  a.report = run.report;
  return a;
}

TEST(FaultsUnderLoad, StormOf500s) {
  const Accounting a = LoadWithFault("error_500=0.5", 100, 3);
  EXPECT_GT(a.Failed("http_500"), 50u) << a.report;
  EXPECT_GT(a.succeeded, 10u) << a.report;
}

TEST(FaultsUnderLoad, RateLimitedWithRetryAfterHonoured) {
  const Accounting a = LoadWithFault("error_429=0.3", 50, 3, ", \"honor_retry_after\": true");
  // Waiting out Retry-After (1 s) and sending again: few iterations still end on a 429 (three in
  // a row, p = 0.3^4 per request chain).
  EXPECT_LT(a.Failed("http_429"), 15u) << a.report;
  EXPECT_GT(a.succeeded, 100u) << a.report;
}

TEST(FaultsUnderLoad, RateLimitedWithRetryAfterIgnored) {
  const Accounting a = LoadWithFault("error_429=0.3", 50, 3);
  EXPECT_GT(a.Failed("http_429"), 30u) << a.report;  // every 429 ends its iteration
}

TEST(FaultsUnderLoad, ConnectionsRefused) {
  const int port = testing::FreePort();  // nothing listens there
  testing::TempDir dir;
  const LoadRun run =
      RunLoad(LoadScenario("http://127.0.0.1:" + std::to_string(port), 100, 2), dir);
  EXPECT_EQ(run.process.exit_code, 1) << run.process.err;  // no iteration succeeded
  const Accounting a = ReadAccounting(run.report);
  ExpectBalanced(a, 200, run.report);
  EXPECT_EQ(a.Failed("connect_refused"), 200u) << run.report;
}

TEST(FaultsUnderLoad, NameThatDoesNotResolve) {
  testing::TempDir dir;
  const LoadRun run = RunLoad(LoadScenario("http://teeharness-no-such-host.invalid", 100, 2), dir);
  EXPECT_EQ(run.process.exit_code, 1) << run.process.err;
  const Accounting a = ReadAccounting(run.report);
  ExpectBalanced(a, 200, run.report);
  EXPECT_EQ(a.Failed("dns"), 200u) << run.report;
}

}  // namespace
}  // namespace teeharness
