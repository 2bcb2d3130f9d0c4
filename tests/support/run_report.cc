#include "tests/support/run_report.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>

#include "tests/support/files.h"
#include "tests/support/paths.h"

namespace teeharness::testing {

std::vector<std::string> RunOutcome::Failed() const {
  std::vector<std::string> failed;
  for (const auto& [id, counts] : checks) {
    if (counts.second > 0) failed.push_back(id);
  }
  return failed;
}

uint64_t RunOutcome::Passed(const std::string& id) const {
  const auto it = checks.find(id);
  return it == checks.end() ? 0 : it->second.first;
}

uint64_t RunOutcome::Skipped(const std::string& id) const {
  const auto it = skipped.find(id);
  return it == skipped.end() ? 0 : it->second;
}

const std::vector<std::string>& QuoteCheckIds() {
  static const std::vector<std::string> ids = {
      "QUOTE-FORMAT", "QUOTE-SIG", "QUOTE-CHAIN", "QUOTE-QE", "QUOTE-TCB", "TD-ATTR", "TD-MEASURE"};
  return ids;
}

const std::vector<std::string>& ReportCheckIds() {
  static const std::vector<std::string> ids = {"GPU-SIG",     "GPU-CHAIN",   "GPU-NONCE",
                                               "GPU-COUNT",   "GPU-MEASURE", "EVENTLOG-REPLAY",
                                               "COMPOSE-HASH"};
  return ids;
}

std::vector<std::string> CorrectnessOverrides() {
  return {"--set", R"(thresholds={"check_failures":["count==0"],"errors":["count==0"]})", "--set",
          "expect.signature_ready_ms=30000"};
}

int64_t SignatureReadyMs(const std::string& scenario_path) {
  const std::string text = ReadFileOrFail(scenario_path);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag>(text.c_str());
  if (doc.HasParseError() || !doc.IsObject()) {
    ADD_FAILURE() << scenario_path << " is not JSON";
    return 1000;
  }
  const auto expect = doc.FindMember("expect");
  if (expect == doc.MemberEnd() || !expect->value.IsObject()) return 1000;
  const auto ready = expect->value.FindMember("signature_ready_ms");
  return ready != expect->value.MemberEnd() && ready->value.IsInt64() ? ready->value.GetInt64()
                                                                      : 1000;
}

std::vector<std::string> SignatureRaceOverrides(const std::string& scenario_path) {
  const int64_t ready = SignatureReadyMs(scenario_path);
  return {"--set", R"(thresholds={"check_failures":["count==0"],"errors":["count==0"]})", "--set",
          "mock.signature_delay=" + std::to_string(ready / 2) + "ms"};
}

RunOutcome RunScenario(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env) {
  TempDir dir;
  const std::string report = dir.path() + "/report.json";
  std::vector<std::string> argv = {TeeharnessBinary(), "run"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--report-json", report, "--quiet"});
  RunOutcome outcome;
  outcome.process = RunProcess(argv, env, std::chrono::seconds(120));
  std::ifstream in(report);
  if (!in) return outcome;
  outcome.report = ReadFileOrFail(report);
  rapidjson::Document doc;
  doc.Parse(outcome.report.c_str());
  if (doc.HasParseError() || !doc.IsObject()) {
    ADD_FAILURE() << "report is not JSON: " << outcome.report;
    return outcome;
  }
  for (const auto& check : doc["checks"].GetArray()) {
    outcome.checks[check["id"].GetString()] = {check["passed"].GetUint64(),
                                               check["failed"].GetUint64()};
    outcome.skipped[check["id"].GetString()] = check["skipped"].GetUint64();
  }
  for (const auto& phase : doc["phases"].GetArray()) {
    for (const auto& error : phase["errors"].GetObject()) {
      outcome.errors[error.name.GetString()] += error.value.GetUint64();
    }
    if (phase.HasMember("retries")) outcome.retries += phase["retries"].GetUint64();
  }
  return outcome;
}

}  // namespace teeharness::testing
