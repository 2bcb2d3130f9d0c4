#pragma once

#include <string>
#include <string_view>

namespace teeharness::checks {

// The result of applying one check to one observation. `evidence` says what was expected and what
// came back (with the chat id or nonce involved) and is filled on failure. Checks never put secrets
// in it, and the Recorder redacts any a server echoed (harness/base/secrets.h).
struct Outcome {
  std::string_view id;  // a catalog id (static storage)
  bool passed = true;
  std::string evidence;

  static Outcome Pass(std::string_view id) { return {id, true, {}}; }
  static Outcome Fail(std::string_view id, std::string evidence) {
    return {id, false, std::move(evidence)};
  }
};

}  // namespace teeharness::checks
