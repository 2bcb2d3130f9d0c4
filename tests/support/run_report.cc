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

std::vector<std::string> CorrectnessOverrides() {
  return {"--set", R"(thresholds={"check_failures":["count==0"],"errors":["count==0"]})", "--set",
          "expect.signature_ready_ms=30000"};
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
  }
  for (const auto& phase : doc["phases"].GetArray()) {
    for (const auto& error : phase["errors"].GetObject()) {
      outcome.errors[error.name.GetString()] += error.value.GetUint64();
    }
  }
  return outcome;
}

}  // namespace teeharness::testing
