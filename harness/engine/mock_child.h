#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "harness/base/result.h"

namespace teeharness::engine {

// The built-in mock as a child process: `<this executable> mock --listen 127.0.0.1:0 ARGS...`.
// Start() waits for its `listening on HOST:PORT` line (with a deadline) and learns the port the
// kernel chose; Restart() is a real process restart (SIGTERM, wait, start again), which is what the
// restart_target action means for the built-in mock. The child's stderr is inherited so its own
// messages reach the user. Not thread-safe: owned by the run's control thread.
class MockChild {
 public:
  explicit MockChild(std::vector<std::string> mock_args,
                     std::chrono::milliseconds ready_timeout = std::chrono::seconds(15));
  ~MockChild();
  MockChild(const MockChild&) = delete;
  MockChild& operator=(const MockChild&) = delete;

  Result<bool> Start();
  // Stops (SIGTERM, then SIGKILL after a grace period) and starts again on a new port.
  Result<bool> Restart();
  void Stop();

  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::vector<std::string> args_;
  std::chrono::milliseconds ready_timeout_;
  pid_t pid_ = -1;
  int port_ = 0;
  int stdout_fd_ = -1;
  std::thread drain_;  // keeps reading the child's stdout so it never blocks on a full pipe
};

// Runs `command` with /bin/sh -c (the restart_target action against a real target), waiting up to
// `timeout`. Returns an Error naming the exit status or the timeout. Thread-safe.
Result<bool> RunShellCommand(const std::string& command, std::chrono::milliseconds timeout);

}  // namespace teeharness::engine
