// A run's /metrics, checked by the real promtool and scraped by a real Prometheus (Debian's
// `prometheus`, loopback, 1 s scrape interval): request and check totals in Prometheus equal those
// of the JSON report.
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
#include "tests/support/subprocess.h"

extern char** environ;

namespace teeharness {
namespace {

pid_t Spawn(std::vector<std::string> args, const std::string& stderr_path = "") {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
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

std::string UrlEncode(const std::string& text) {
  std::string encoded;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      encoded += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", static_cast<unsigned char>(c));
      encoded += hex;
    }
  }
  return encoded;
}

// Number of series an instant query returns (-1: the query failed).
int QueryResultCount(int port, const std::string& promql) {
  const auto reply = testing::HttpRequest("GET", "http://127.0.0.1:" + std::to_string(port) +
                                                     "/api/v1/query?query=" + UrlEncode(promql));
  rapidjson::Document doc;
  doc.Parse(reply.body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("data") ||
      !doc["data"]["result"].IsArray()) {
    return -1;
  }
  return static_cast<int>(doc["data"]["result"].Size());
}

// Every PromQL expression of the Grafana dashboard, with its variables bound to "match all".
std::vector<std::string> DashboardExpressions() {
  rapidjson::Document doc;
  const std::string text =
      testing::ReadFileOrFail(testing::SourceDir() + "/reports/grafana/teeharness.json");
  doc.Parse(text.c_str());
  std::vector<std::string> out;
  for (const auto& panel : doc["panels"].GetArray()) {
    for (const auto& target : panel["targets"].GetArray()) {
      std::string expr = target["expr"].GetString();
      for (const auto& [from, to] :
           std::vector<std::pair<std::string, std::string>>{{"$scenario", ".*"},
                                                            {"$phase", ".*"},
                                                            {"$instance", ".*"},
                                                            {"$__rate_interval", "30s"}}) {
        for (size_t at = expr.find(from); at != std::string::npos; at = expr.find(from))
          expr.replace(at, from.size(), to);
      }
      out.push_back(expr);
    }
  }
  return out;
}

double QueryScalar(int port, const std::string& promql) {
  std::string encoded;
  for (char c : promql) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      encoded += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", static_cast<unsigned char>(c));
      encoded += hex;
    }
  }
  const auto reply = testing::HttpRequest(
      "GET", "http://127.0.0.1:" + std::to_string(port) + "/api/v1/query?query=" + encoded);
  rapidjson::Document doc;
  doc.Parse(reply.body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("data")) return -1;
  const auto& result = doc["data"]["result"];
  if (!result.IsArray() || result.Empty()) return -1;
  return std::stod(result[0]["value"][1].GetString());
}

int FreePort() {
  // Bind port 0, read it, close it: Prometheus takes a --web.listen-address, not port 0.
  testing::MockServer probe({});
  const int port = probe.port();
  probe.Stop();
  return port;
}

TEST(Prometheus, ScrapedTotalsEqualTheJsonReport) {
  testing::TempDir dir;
  const std::string report = dir.path() + "/report.json";
  const std::string err = dir.path() + "/run.err";
  const pid_t run = Spawn(
      {testing::TeeharnessBinary(), "run", testing::SourceDir() + "/scenarios/smoke.json",
       "--quiet", "--metrics-listen", "127.0.0.1:0", "--linger", "5m", "--report-json", report},
      err);
  int metrics_port = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string text = testing::ReadFileOrFail(err);
        const size_t at = text.find("metrics on http://127.0.0.1:");
        if (at != std::string::npos) metrics_port = std::atoi(text.c_str() + at + 28);
        return metrics_port > 0;
      },
      std::chrono::seconds(20)));
  // The run is over when the report exists; /metrics then lingers with the final values.
  ASSERT_TRUE(WaitFor([&] { return std::ifstream(report).good(); }, std::chrono::seconds(60)));
  const auto scrape =
      testing::HttpRequest("GET", "http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics");
  ASSERT_EQ(scrape.status, 200);
  EXPECT_EQ(scrape.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string exposition = dir.Write("metrics.txt", scrape.body);
  const auto promtool =
      testing::RunProcess({"/bin/sh", "-c", "promtool check metrics < " + exposition});
  EXPECT_EQ(promtool.exit_code, 0) << promtool.out << promtool.err;
  const auto open =
      testing::HttpRequest("GET", "http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics",
                           "", {"Accept: application/openmetrics-text; version=1.0.0"});
  EXPECT_NE(open.body.find("# EOF"), std::string::npos);

  const int prom_port = FreePort();
  dir.Write("prometheus.yml",
            "global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: teeharness\n"
            "    static_configs: [ { targets: ['127.0.0.1:" +
                std::to_string(metrics_port) + "'] } ]\n");
  const pid_t prometheus =
      Spawn({"/usr/bin/prometheus", "--config.file=" + dir.path() + "/prometheus.yml",
             "--storage.tsdb.path=" + dir.path() + "/tsdb",
             "--web.listen-address=127.0.0.1:" + std::to_string(prom_port)},
            dir.path() + "/prometheus.err");
  double scraped_requests = -1;
  EXPECT_TRUE(WaitFor(
      [&] {
        scraped_requests = QueryScalar(prom_port, "sum(teeharness_requests_total)");
        return scraped_requests > 0;
      },
      std::chrono::seconds(60)));

  rapidjson::Document json;
  const std::string text = testing::ReadFileOrFail(report);
  json.Parse(text.c_str());
  ASSERT_FALSE(json.HasParseError());
  uint64_t requests = 0, passed = 0, failed = 0;
  for (const auto& phase : json["phases"].GetArray()) requests += phase["requests"].GetUint64();
  for (const auto& check : json["checks"].GetArray()) {
    passed += check["passed"].GetUint64();
    failed += check["failed"].GetUint64();
  }
  EXPECT_EQ(scraped_requests, static_cast<double>(requests));
  EXPECT_EQ(QueryScalar(prom_port, "sum(teeharness_checks_total{result=\"pass\"})"),
            static_cast<double>(passed));
  EXPECT_EQ(failed, 0u);
  EXPECT_GT(
      QueryScalar(
          prom_port,
          "histogram_quantile(0.99, sum by (le) (teeharness_verify_duration_seconds_bucket))"),
      0);
  EXPECT_EQ(QueryScalar(prom_port, "sum(teeharness_signing_address_info)"), 1.0);
  // Every expression of the dashboard returns data from this run.
  const std::vector<std::string> expressions = DashboardExpressions();
  EXPECT_GE(expressions.size(), 13u);
  for (const std::string& expr : expressions) {
    EXPECT_TRUE(
        WaitFor([&] { return QueryResultCount(prom_port, expr) > 0; }, std::chrono::seconds(30)))
        << expr;
  }

  kill(prometheus, SIGTERM);
  waitpid(prometheus, nullptr, 0);
  kill(run, SIGTERM);  // ends the linger
  int status = 0;
  waitpid(run, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
}

}  // namespace
}  // namespace teeharness
