#pragma once

#include <string>
#include <string_view>

namespace teeharness::checks {

// The result of applying one check to one observation. `evidence` says what was expected and what
// came back (with the chat id or nonce involved) and is filled on failure. Checks never put secrets
// in it, and the Recorder redacts any a server echoed (harness/base/secrets.h).
// A check that could not run is skipped (passed false, skipped true) with its reason in `evidence`:
// a skip is never a pass.
struct Outcome {
  std::string_view id;  // a catalog id (static storage)
  bool passed = true;
  std::string evidence;
  bool skipped = false;

  static Outcome Pass(std::string_view id) { return {id, true, {}, false}; }
  static Outcome Fail(std::string_view id, std::string evidence) {
    return {id, false, std::move(evidence), false};
  }
  static Outcome Skip(std::string_view id, std::string reason) {
    return {id, false, std::move(reason), true};
  }
  std::string_view result() const { return skipped ? "skip" : passed ? "pass" : "fail"; }
};

}  // namespace teeharness::checks
