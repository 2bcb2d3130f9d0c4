// Sweeps against the built-in mock's load model (README "Sweeps"): scenarios/sweep.json finds a
// capacity below its last step; a tighter stop_when ends the sweep early, skipping the rest.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/processes.h"
#include "tests/support/run_report.h"

namespace teeharness {
namespace {

using testing::RunScenario;

std::string SweepScenario() { return testing::SourceDir() + "/scenarios/sweep.json"; }

// Every row of a sweep describes a step that ran: its phase is in phases[], and its figures are
// that phase's.
void ExpectRowsMatchPhases(const rapidjson::Document& doc, const rapidjson::Value& sweep) {
  for (const auto& row : sweep["steps"].GetArray()) {
    const std::string phase = row["phase"].GetString();
    EXPECT_EQ(phase, "sweep/step-" + std::to_string(row["step"].GetUint64()));
    bool found = false;
    for (const auto& p : doc["phases"].GetArray()) {
      if (phase != p["name"].GetString()) continue;
      found = true;
      EXPECT_DOUBLE_EQ(row["goodput"].GetDouble(), p["goodput"].GetDouble()) << phase;
      EXPECT_DOUBLE_EQ(row["achieved_rate"].GetDouble(), p["rate"].GetDouble()) << phase;
      EXPECT_EQ(row["arrivals"].GetUint64(), p["accounting"]["arrivals"].GetUint64()) << phase;
    }
    EXPECT_TRUE(found) << phase;
    EXPECT_GT(row["output_tokens_per_second"].GetDouble(), 0) << phase;
    EXPECT_TRUE(row["ttft_p95"].IsNumber()) << phase;
  }
}

// The shipped sweep: five rates, 10 to 160/s, against a mock that serves about 60 chats/s. The low
// steps meet the SLO, the top ones cannot (their queue grows for the whole step): the capacity is
// found, below the last step. 160/s is far past the knee, where stop_when's TTFT bound holds.
TEST(Sweep, ShippedSweepFindsTheMocksCapacityBelowItsLastStep) {
  const auto run = RunScenario({SweepScenario()});
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  ASSERT_TRUE(doc.IsObject());
  ASSERT_EQ(doc["sweeps"].Size(), 1u) << run.report;
  const auto& sweep = doc["sweeps"][0];
  EXPECT_STREQ(sweep["name"].GetString(), "sweep");
  EXPECT_STREQ(sweep["over"].GetString(), "rate");
  EXPECT_EQ(sweep["planned_steps"].GetUint64(), 5u);
  ASSERT_EQ(sweep["steps"].Size(), 5u) << run.report;
  const double offered[] = {10, 20, 40, 80, 160};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(sweep["steps"][i]["offered"].GetDouble(), offered[i], 1e-9) << i;
  }
  ExpectRowsMatchPhases(doc, sweep);
  // 10/s is far below the mock's capacity: within the SLO. 160/s is far above: not.
  EXPECT_TRUE(sweep["steps"][0]["met_slo"].GetBool()) << run.report;
  EXPECT_FALSE(sweep["steps"][4]["met_slo"].GetBool()) << run.report;
  ASSERT_TRUE(sweep["capacity"].IsObject()) << run.report;
  const uint64_t capacity = sweep["capacity"]["step"].GetUint64();
  EXPECT_GE(capacity, 1u);
  EXPECT_LT(capacity, 5u);
  EXPECT_DOUBLE_EQ(sweep["capacity"]["offered"].GetDouble(), offered[capacity - 1]);
  // Every step up to the capacity met the SLO, the next did not.
  for (uint64_t i = 0; i < capacity; ++i) EXPECT_TRUE(sweep["steps"][i]["met_slo"].GetBool()) << i;
  EXPECT_FALSE(sweep["steps"][capacity]["met_slo"].GetBool());
  // The achieved rate stops following the offered one past the knee.
  EXPECT_LT(sweep["steps"][4]["achieved_rate"].GetDouble(), 0.8 * 160) << run.report;
}

// A stop_when that holds just past the knee ends the sweep there: the step it held in is the last
// row, the remaining steps do not run (no phase, no row), and the capacity stays below it.
TEST(Sweep, StopWhenEndsTheSweepAtTheFirstStepThatBreaksIt) {
  const auto run =
      RunScenario({SweepScenario(), "--set",
                   R"(phases.1.stop_when={"time_to_first_token_seconds":["p(95)>0.3"]})", "--set",
                   "phases.1.sweep.to=320", "--set", "phases.1.sweep.steps=6"});
  ASSERT_EQ(run.process.exit_code, 0) << run.process.err << run.report;
  rapidjson::Document doc;
  doc.Parse(run.report.c_str());
  ASSERT_TRUE(doc.IsObject());
  const auto& sweep = doc["sweeps"][0];
  EXPECT_EQ(sweep["planned_steps"].GetUint64(), 6u);
  ASSERT_TRUE(sweep["stopped_at"].IsUint64()) << run.report;
  const uint64_t stopped = sweep["stopped_at"].GetUint64();
  EXPECT_LT(stopped, 6u) << run.report;
  ASSERT_EQ(sweep["steps"].Size(), stopped);
  ExpectRowsMatchPhases(doc, sweep);
  const auto& last = sweep["steps"][static_cast<rapidjson::SizeType>(stopped - 1)];
  EXPECT_TRUE(last["stopped"].GetBool());
  EXPECT_NE(
      std::string(last["stop_reason"].GetString()).find("time_to_first_token_seconds p(95)>0.3"),
      std::string::npos);
  for (rapidjson::SizeType i = 0; i + 1 < stopped; ++i) {
    EXPECT_FALSE(sweep["steps"][i]["stopped"].GetBool()) << i;
  }
  // No phase of the steps after the stop.
  for (const auto& p : doc["phases"].GetArray()) {
    EXPECT_NE(std::string(p["name"].GetString()), "sweep/step-" + std::to_string(stopped + 1));
    EXPECT_NE(std::string(p["name"].GetString()), "sweep/step-6");
  }
  ASSERT_TRUE(sweep["capacity"].IsObject()) << run.report;
  EXPECT_LT(sweep["capacity"]["step"].GetUint64(), stopped);
  EXPECT_NE(
      run.process.err.find("sweep sweep stops after step " + std::to_string(stopped) + " of 6"),
      std::string::npos)
      << run.process.err;
}

// A sweep's config errors are found before anything is sent: exit 2, naming the field.
TEST(Sweep, ConfigErrorExitsTwoNamingTheField) {
  const auto run = RunScenario({SweepScenario(), "--set", "phases.1.sweep.steps=1"});
  EXPECT_EQ(run.process.exit_code, 2);
  EXPECT_NE(run.process.err.find("phases/1/sweep/steps: at least 2"), std::string::npos)
      << run.process.err;
}

// The value of the series `name{labels}` (labels as exposed, in order) in a text exposition; -1
// when absent.
double SeriesValue(const std::string& exposition, const std::string& series) {
  const size_t at = exposition.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(exposition.substr(at + series.size() + 2));
}

// Each step's goodput and the capacity are on /metrics too, equal to the JSON report's.
TEST(Sweep, StepGoodputAndCapacityAreExposed) {
  testing::TempDir dir;
  const std::string report = dir.path() + "/report.json";
  const std::string err = dir.path() + "/run.err";
  const pid_t run = testing::SpawnProcess(
      {testing::TeeharnessBinary(), "run", SweepScenario(), "--quiet", "--set",
       "phases.1.sweep={\"rates\":[5,10]}", "--set", "phases.1.step_duration=1s",
       "--metrics-listen", "127.0.0.1:0", "--linger", "5m", "--report-json", report},
      err);
  int port = 0;
  ASSERT_TRUE(testing::WaitFor([&] { return (port = testing::MetricsPortFrom(err)) > 0; },
                               std::chrono::seconds(20)));
  ASSERT_TRUE(
      testing::WaitFor([&] { return std::ifstream(report).good(); }, std::chrono::seconds(60)));
  const auto scrape =
      testing::HttpRequest("GET", "http://127.0.0.1:" + std::to_string(port) + "/metrics");
  ASSERT_EQ(scrape.status, 200);
  rapidjson::Document doc;
  doc.Parse(testing::ReadFileOrFail(report).c_str());
  ASSERT_TRUE(doc.IsObject());
  const auto& sweep = doc["sweeps"][0];
  ASSERT_EQ(sweep["steps"].Size(), 2u);
  for (rapidjson::SizeType i = 0; i < 2; ++i) {
    const std::string labels =
        "{scenario=\"sweep\",sweep=\"sweep\",step=\"" + std::to_string(i + 1) + "\",kind=";
    EXPECT_DOUBLE_EQ(
        SeriesValue(scrape.body, "teeharness_sweep_step_goodput" + labels + "\"all\"}"),
        sweep["steps"][i]["goodput"].GetDouble())
        << scrape.body;
    EXPECT_DOUBLE_EQ(
        SeriesValue(scrape.body, "teeharness_sweep_step_goodput" + labels + "\"verified\"}"),
        sweep["steps"][i]["verified_goodput"].GetDouble());
  }
  ASSERT_TRUE(sweep["capacity"].IsObject()) << testing::ReadFileOrFail(report);
  EXPECT_DOUBLE_EQ(
      SeriesValue(scrape.body, "teeharness_sweep_capacity{scenario=\"sweep\",sweep=\"sweep\"}"),
      sweep["capacity"]["offered"].GetDouble());
  EXPECT_EQ(testing::StopProcess(run), 0);
}

}  // namespace
}  // namespace teeharness
