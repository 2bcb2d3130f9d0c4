// A run's /metrics, checked by the real promtool and scraped by a real Prometheus (Debian's
// `prometheus`, loopback, 1 s scrape interval): request and check totals in Prometheus equal those
// of the JSON report, and every expression of the Grafana dashboard returns data.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <string>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/processes.h"
#include "tests/support/run_report.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::QueryPrometheus;
using testing::WaitFor;

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
        for (size_t at = expr.find(from); at != std::string::npos; at = expr.find(from)) {
          expr.replace(at, from.size(), to);
        }
      }
      out.push_back(expr);
    }
  }
  return out;
}

TEST(Prometheus, ScrapedTotalsEqualTheJsonReport) {
  testing::TempDir dir;
  const std::string report = dir.path() + "/report.json";
  const std::string err = dir.path() + "/run.err";
  std::vector<std::string> args = {testing::TeeharnessBinary(),
                                   "run",
                                   testing::SourceDir() + "/scenarios/smoke.json",
                                   "--quiet",
                                   "--metrics-listen",
                                   "127.0.0.1:0",
                                   "--linger",
                                   "5m",
                                   "--report-json",
                                   report};
  // With the documented race, so that signature fetch retries are exposed too.
  for (const std::string& arg : testing::SignatureRaceOverrides(args[2])) args.push_back(arg);
  const pid_t run = testing::SpawnProcess(args, err);
  int metrics_port = 0;
  ASSERT_TRUE(WaitFor([&] { return (metrics_port = testing::MetricsPortFrom(err)) > 0; },
                      std::chrono::seconds(20)));
  // The run is over when the report exists; /metrics then lingers with the final values.
  ASSERT_TRUE(WaitFor([&] { return std::ifstream(report).good(); }, std::chrono::seconds(60)));
  const std::string metrics_url = "http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics";
  const auto scrape = testing::HttpRequest("GET", metrics_url);
  ASSERT_EQ(scrape.status, 200);
  EXPECT_EQ(scrape.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const std::string exposition = dir.Write("metrics.txt", scrape.body);
  // The mock GPU's firmware, from evidence whose signature and chain verified.
  EXPECT_NE(scrape.body.find("teeharness_gpu_info{scenario=\"smoke\",driver=\"550.90.07\","
                             "vbios=\"96.00.9F.00.01\"} 1"),
            std::string::npos)
      << scrape.body.substr(0, 2000);
  const auto promtool =
      testing::RunProcess({"/bin/sh", "-c", "promtool check metrics < " + exposition});
  EXPECT_EQ(promtool.exit_code, 0) << promtool.out << promtool.err;
  const auto open = testing::HttpRequest("GET", metrics_url, "",
                                         {"Accept: application/openmetrics-text; version=1.0.0"});
  EXPECT_NE(open.body.find("# EOF"), std::string::npos);

  const int prom_port = testing::FreePort();
  const pid_t prometheus = testing::StartPrometheus(dir.path(), prom_port, {metrics_port});
  double scraped_requests = -1;
  EXPECT_TRUE(WaitFor(
      [&] {
        scraped_requests = QueryPrometheus(prom_port, "sum(teeharness_requests_total)").value;
        return scraped_requests > 0;
      },
      std::chrono::seconds(60)));

  rapidjson::Document json;
  const std::string text = testing::ReadFileOrFail(report);
  json.Parse(text.c_str());
  ASSERT_FALSE(json.HasParseError());
  uint64_t requests = 0, passed = 0, failed = 0;
  std::string failures;  // which checks failed and their first evidence, for the message
  for (const auto& phase : json["phases"].GetArray()) requests += phase["requests"].GetUint64();
  for (const auto& check : json["checks"].GetArray()) {
    passed += check["passed"].GetUint64();
    failed += check["failed"].GetUint64();
    if (check["failed"].GetUint64() == 0) continue;
    failures += std::string(check["id"].GetString()) + " failed " +
                std::to_string(check["failed"].GetUint64());
    if (!check["evidence"].Empty())
      failures += ": " + std::string(check["evidence"][0].GetString());
    failures += "\n";
  }
  EXPECT_EQ(scraped_requests, static_cast<double>(requests));
  EXPECT_EQ(QueryPrometheus(prom_port, "sum(teeharness_checks_total{result=\"pass\"})").value,
            static_cast<double>(passed));
  EXPECT_EQ(failed, 0u) << failures;
  EXPECT_GT(QueryPrometheus(
                prom_port,
                "histogram_quantile(0.99, sum by (le) (teeharness_verify_duration_seconds_bucket))")
                .value,
            0);
  EXPECT_EQ(QueryPrometheus(prom_port, "sum(teeharness_signing_address_info)").value, 1.0);
  // The report's latency counts and accounting are the registry's: equal to what Prometheus holds.
  uint64_t chats = 0, verifies = 0, arrivals = 0, succeeded = 0, retries = 0;
  for (const auto& phase : json["phases"].GetArray()) {
    retries += phase["retries"].GetUint64();
    EXPECT_EQ(phase["errors"].MemberCount(), 0u) << phase["name"].GetString();
    const auto& latency = phase["latency_seconds"];
    if (latency.HasMember("chat")) chats += latency["chat"]["count"].GetUint64();
    if (latency.HasMember("verify")) verifies += latency["verify"]["count"].GetUint64();
    arrivals += phase["accounting"]["arrivals"].GetUint64();
    succeeded += phase["accounting"]["succeeded"].GetUint64();
    EXPECT_EQ(phase["accounting"]["unaccounted"].GetInt64(), 0);
  }
  EXPECT_GT(chats, 0u);
  EXPECT_EQ(
      QueryPrometheus(prom_port, "sum(teeharness_request_duration_seconds_count{op=\"chat\"})")
          .value,
      static_cast<double>(chats));
  EXPECT_EQ(QueryPrometheus(prom_port, "sum(teeharness_verify_duration_seconds_count)").value,
            static_cast<double>(verifies));
  EXPECT_EQ(QueryPrometheus(prom_port, "sum(teeharness_arrivals_total)").value,
            static_cast<double>(arrivals));
  EXPECT_EQ(
      QueryPrometheus(prom_port, "sum(teeharness_iterations_total{outcome=\"succeeded\"})").value,
      static_cast<double>(succeeded));
  EXPECT_GT(retries, 0u);
  EXPECT_EQ(QueryPrometheus(prom_port, "sum(teeharness_signature_fetch_retries_total)").value,
            static_cast<double>(retries));
  // Every expression of the dashboard returns data from this run.
  const std::vector<std::string> expressions = DashboardExpressions();
  EXPECT_GE(expressions.size(), 13u);
  for (const std::string& expr : expressions) {
    EXPECT_TRUE(WaitFor([&] { return QueryPrometheus(prom_port, expr).series > 0; },
                        std::chrono::seconds(30)))
        << expr;
  }
  testing::StopProcess(prometheus);
  EXPECT_EQ(testing::StopProcess(run), 0);  // SIGTERM ends the linger; the run itself passed
}

}  // namespace
}  // namespace teeharness
