#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace teeharness::testing {

// Starts a long-running process (a server, a run that lingers) with stderr written to
// `stderr_path` and stdout to `stdout_path` (discarded by default); returns its pid (-1 on
// failure). The caller stops it (StopProcess) or waits for it (WaitProcess).
pid_t SpawnProcess(std::vector<std::string> args, const std::string& stderr_path,
                   const std::string& stdout_path = "/dev/null");

// SIGTERM and reap; returns the exit status, or -1 when killed by a signal.
int StopProcess(pid_t pid);

// Waits for the process to exit by itself; returns its exit status, -1 when killed by a signal,
// -2 when it outlived `timeout` (it is then killed).
int WaitProcess(pid_t pid, std::chrono::seconds timeout);

// Polls `ready` every 50 ms until it is true or `timeout` passes: conditions are awaited, never
// slept on.
template <typename Predicate>
bool WaitFor(Predicate ready, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

// A loopback port that was free a moment ago (bind 0, read, close), for servers that take no port
// 0.
int FreePort();

// Reads `metrics on http://127.0.0.1:PORT/metrics` from a run's stderr file (0 until it appears).
int MetricsPortFrom(const std::string& stderr_path);

// An instant PromQL query against a Prometheus on 127.0.0.1:port: the number of series returned
// (-1 when the query failed) and the first one's value.
struct PromResult {
  int series = -1;
  double value = 0;
};
PromResult QueryPrometheus(int port, const std::string& promql);

// Starts Debian's prometheus on 127.0.0.1:port scraping `targets` ("127.0.0.1:9464"...) every
// second, with its storage under `dir`.
pid_t StartPrometheus(const std::string& dir, int port, const std::vector<int>& target_ports);

}  // namespace teeharness::testing
