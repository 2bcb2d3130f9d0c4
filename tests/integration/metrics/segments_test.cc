// Scale-out: three instances with --segment 1/3, 2/3, 3/3 against one mock, scraped by one real
// Prometheus; together they run the scenario once, so the summed count of arrivals in Prometheus is
// within 2% of the scenario's target (rate x duration). max_in_flight is far above what the load
// needs so that a slow (sanitised, loaded) machine drops nothing: this tests the sharding, not the
// back-pressure.
#include <gtest/gtest.h>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/processes.h"

namespace teeharness {
namespace {

using testing::QueryPrometheus;
using testing::WaitFor;

TEST(Segments, ThreeInstancesTogetherRunTheScenarioOnce) {
  testing::MockServer mock({"--threads", "1"});
  ASSERT_TRUE(mock.started());
  testing::TempDir dir;
  constexpr double kRate = 300, kSeconds = 5;
  const std::string scenario = dir.Write("sharded.json", R"({
    "name": "sharded", "target": { "base_url": ")" + mock.url("") +
                                                             R"(" },
    "phases": [ { "name": "load", "flow": "attest", "rate": 300, "duration": "5s", "max_in_flight": 3000 } ] })");
  std::vector<pid_t> runs;
  std::vector<int> ports;
  for (int i = 1; i <= 3; ++i) {
    const std::string err = dir.path() + "/run" + std::to_string(i) + ".err";
    runs.push_back(testing::SpawnProcess(
        {testing::TeeharnessBinary(), "run", scenario, "--quiet", "--workers", "1", "--segment",
         std::to_string(i) + "/3", "--metrics-listen", "127.0.0.1:0", "--linger", "5m"},
        err));
    int port = 0;
    ASSERT_TRUE(WaitFor([&] { return (port = testing::MetricsPortFrom(err)) > 0; },
                        std::chrono::seconds(20)));
    ports.push_back(port);
  }
  const int prom_port = testing::FreePort();
  const pid_t prometheus = testing::StartPrometheus(dir.path(), prom_port, ports);
  // After the runs (5 s) and a few scrapes, the summed total settles at the scenario's target.
  const double expected = kRate * kSeconds;
  double total = -1;
  EXPECT_TRUE(WaitFor(
      [&] {
        total = QueryPrometheus(prom_port, "sum(teeharness_requests_total{op=\"attest\"})").value;
        return std::abs(total - expected) <= expected * 0.02 &&
               QueryPrometheus(prom_port, "count(teeharness_requests_total{op=\"attest\"})")
                       .value >= 3;
      },
      std::chrono::seconds(40)))
      << "summed " << total << ", target " << expected;
  EXPECT_EQ(
      QueryPrometheus(prom_port, "count(count by (instance) (teeharness_requests_total))").value,
      3.0);
  EXPECT_NEAR(QueryPrometheus(prom_port, "sum(teeharness_target_rate)").value, kRate, kRate * 0.02);
  testing::StopProcess(prometheus);
  for (pid_t run : runs) testing::StopProcess(run);
}

}  // namespace
}  // namespace teeharness
