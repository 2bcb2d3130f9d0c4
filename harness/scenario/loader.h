#pragma once

#include <string>
#include <vector>

#include "harness/base/result.h"
#include "harness/scenario/scenario.h"

namespace teeharness::scenario {

// A `--set key.path=value` override: applied to the document before validation. The value is
// parsed as JSON when it is valid JSON, else taken as a string. `--target URL` is
// `target.base_url=URL`.
struct Override {
  std::string path;  // dotted, numeric parts index arrays: phases.0.iterations
  std::string value;
};
Result<Override> ParseOverride(const std::string& text);

// Every problem found, each one line: "FILE:LINE:COLUMN: KEY: message".
struct LoadErrors {
  std::vector<std::string> messages;
};

// Reads, parses (comments and trailing commas allowed), applies overrides, validates against the
// embedded scenarios/scenario.schema.json and then semantically. `check_environment`: also require
// that target.api_key_env names a set variable (run needs it; validate reports it too). Errors
// never contain an environment variable's value.
Result<Scenario> LoadScenario(const std::string& path, const std::vector<Override>& overrides,
                              LoadErrors* errors, bool check_environment = true);

// The same for a scenario already in memory; `path` only names it in messages.
Result<Scenario> LoadScenarioText(const std::string& text, const std::string& path,
                                  const std::vector<Override>& overrides, LoadErrors* errors,
                                  bool check_environment = true);

}  // namespace teeharness::scenario
