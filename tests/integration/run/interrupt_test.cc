// SIGINT during a run: sending stops, in-flight requests finish or are aborted, every report is
// written with what was measured (marked interrupted), and the exit code is non-zero.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <thread>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"

extern char** environ;

namespace teeharness {
namespace {

TEST(Interrupt, SigintWritesCompleteReportsAndExitsNonZero) {
  testing::MockServer mock({});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  const std::string scenario = dir.Write("long.json", R"({
    "name": "long", "target": { "base_url": ")" + mock.url("") +
                                                          R"(", "dialect": "phala" },
    "request": { "messages": [{ "role": "user", "content": "hi" }], "max_tokens": 4 },
    "phases": [ { "name": "forever", "flow": "verified_chat", "concurrency": 4, "duration": "10m" },
                { "name": "never", "flow": "attest", "iterations": 1 } ] })");
  const std::string report = dir.path() + "/report.json";
  const std::string junit = dir.path() + "/junit.xml";
  std::vector<std::string> args = {testing::TeeharnessBinary(),
                                   "run",
                                   scenario,
                                   "--quiet",
                                   "--report-json",
                                   report,
                                   "--junit",
                                   junit};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  ASSERT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  // Await real traffic (the mock counts requests) instead of sleeping a fixed time.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string stats = testing::HttpRequest("GET", mock.url("/admin/stats")).body;
    const size_t at = stats.find("\"signed\":");
    if (at != std::string::npos && std::atoi(stats.c_str() + at + 9) > 50) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const auto sent = std::chrono::steady_clock::now();
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - sent, std::chrono::seconds(8));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  const std::string json = testing::ReadFileOrFail(report);
  EXPECT_NE(json.find("\"interrupted\": true"), std::string::npos) << json;
  EXPECT_NE(json.find("\"name\": \"forever\""), std::string::npos);
  EXPECT_EQ(json.find("\"name\": \"never\""), std::string::npos);      // later phases did not start
  EXPECT_NE(json.find("\"id\": \"SIG-ADDRESS\""), std::string::npos);  // what was measured is kept
  EXPECT_NE(testing::ReadFileOrFail(junit).find("SIG-ADDRESS"), std::string::npos);
}

}  // namespace
}  // namespace teeharness
