#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace teeharness::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal or on timeout
  bool timed_out = false;
  long max_rss_kb = 0;  // the child's peak resident set
  std::string out;
  std::string err;
};

// Runs a program to completion with captured stdout/stderr, an optional environment overlay, and a
// deadline after which it is killed (so a hung child fails the test instead of hanging CI).
// Thread-safe (no shared state).
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extra_env = {},
                         std::chrono::seconds timeout = std::chrono::seconds(60));

}  // namespace teeharness::testing
