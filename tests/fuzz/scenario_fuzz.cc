// The scenario loader: a user's file (comments, trailing commas), schema validation, the semantic
// checks and an override, over arbitrary bytes. Bad input must give messages, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness/scenario/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness;
  const std::string text(reinterpret_cast<const char*>(data), size);
  scenario::LoadErrors errors;
  (void)scenario::LoadScenarioText(text, "fuzz.json", {}, &errors, false);
  // The same document with an override into whatever the first phase is.
  scenario::LoadErrors override_errors;
  (void)scenario::LoadScenarioText(text, "fuzz.json", {{"phases.0.iterations", "3"}},
                                   &override_errors, false);
  // The first line as an override expression ("--set key=value").
  (void)scenario::ParseOverride(text.substr(0, text.find('\n')));
  return 0;
}
