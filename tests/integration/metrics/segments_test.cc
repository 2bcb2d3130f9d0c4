// Scale-out: three instances with --segment 1/3, 2/3, 3/3 against one mock, scraped by one real
// Prometheus; together they run the scenario once, so the summed count of arrivals in Prometheus is
// within 2% of the scenario's target (rate x duration).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <thread>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"

extern char** environ;

namespace teeharness {
namespace {

pid_t Spawn(std::vector<std::string> args, const std::string& err_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

template <typename Predicate>
bool WaitFor(Predicate ready, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

double Query(int port, const std::string& promql) {
  std::string encoded;
  for (char c : promql) {
    char hex[4];
    std::snprintf(hex, sizeof(hex), "%%%02X", static_cast<unsigned char>(c));
    encoded += std::isalnum(static_cast<unsigned char>(c)) ? std::string(1, c) : hex;
  }
  rapidjson::Document doc;
  doc.Parse(testing::HttpRequest("GET", "http://127.0.0.1:" + std::to_string(port) +
                                            "/api/v1/query?query=" + encoded)
                .body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc["data"]["result"].IsArray() ||
      doc["data"]["result"].Empty()) {
    return -1;
  }
  return std::stod(doc["data"]["result"][0]["value"][1].GetString());
}

TEST(Segments, ThreeInstancesTogetherRunTheScenarioOnce) {
  testing::MockServer mock({"--threads", "1"});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  constexpr double kRate = 300, kSeconds = 5;
  const std::string scenario = dir.Write("sharded.json", R"({
    "name": "sharded", "target": { "base_url": ")" + mock.url("") +
                                                             R"(" },
    "phases": [ { "name": "load", "flow": "attest", "rate": 300, "duration": "5s", "max_in_flight": 300 } ] })");
  std::vector<pid_t> runs;
  std::vector<int> ports;
  for (int i = 1; i <= 3; ++i) {
    const std::string err = dir.path() + "/run" + std::to_string(i) + ".err";
    runs.push_back(Spawn(
        {testing::TeeharnessBinary(), "run", scenario, "--quiet", "--workers", "1", "--segment",
         std::to_string(i) + "/3", "--metrics-listen", "127.0.0.1:0", "--linger", "5m"},
        err));
    int port = 0;
    ASSERT_TRUE(WaitFor(
        [&] {
          const std::string text = testing::ReadFileOrFail(err);
          const size_t at = text.find("metrics on http://127.0.0.1:");
          if (at != std::string::npos) port = std::atoi(text.c_str() + at + 28);
          return port > 0;
        },
        std::chrono::seconds(20)));
    ports.push_back(port);
  }
  const int prom_port = [] {
    testing::MockServer probe({});
    return probe.port();
  }();
  std::string targets;
  for (int port : ports)
    targets +=
        (targets.empty() ? "'" : ", '") + std::string("127.0.0.1:") + std::to_string(port) + "'";
  dir.Write("prometheus.yml",
            "global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: teeharness\n"
            "    static_configs: [ { targets: [" +
                targets + "] } ]\n");
  const pid_t prometheus =
      Spawn({"/usr/bin/prometheus", "--config.file=" + dir.path() + "/prometheus.yml",
             "--storage.tsdb.path=" + dir.path() + "/tsdb",
             "--web.listen-address=127.0.0.1:" + std::to_string(prom_port)},
            dir.path() + "/prometheus.err");
  // After the runs (5 s) and a few scrapes, the summed total settles at the scenario's target.
  const double expected = kRate * kSeconds;
  double total = -1;
  EXPECT_TRUE(WaitFor(
      [&] {
        total = Query(prom_port, "sum(teeharness_requests_total{op=\"attest\"})");
        return std::abs(total - expected) <= expected * 0.02 &&
               Query(prom_port, "count(teeharness_requests_total{op=\"attest\"})") >= 3;
      },
      std::chrono::seconds(40)))
      << "summed " << total << ", target " << expected;
  EXPECT_EQ(Query(prom_port, "count(count by (instance) (teeharness_requests_total))"), 3.0);
  EXPECT_NEAR(Query(prom_port, "sum(teeharness_target_rate)"), kRate, kRate * 0.02);
  kill(prometheus, SIGTERM);
  waitpid(prometheus, nullptr, 0);
  for (pid_t run : runs) {
    kill(run, SIGTERM);
    waitpid(run, nullptr, 0);
  }
}

}  // namespace
}  // namespace teeharness
