#include "harness/engine/mock_child.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

extern char** environ;

namespace teeharness::engine {
namespace {

using Clock = std::chrono::steady_clock;

std::string SelfExecutable() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : std::string("teeharness");
}

// Waits for `pid` until `deadline`; true when it exited (and was reaped).
bool WaitUntil(pid_t pid, Clock::time_point deadline, int* status) {
  for (;;) {
    const pid_t done = waitpid(pid, status, WNOHANG);
    if (done == pid || (done < 0 && errno == ECHILD)) return true;
    if (Clock::now() >= deadline) return false;
    // A child has no fd to poll for exit without a pidfd; 5 ms polling bounds the wait cost.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Result<pid_t> Spawn(const std::vector<std::string>& argv, int stdout_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdout_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return MakeError("cannot start ", argv[0], ": ", std::strerror(rc));
  return pid;
}

// Reads the child's stdout until the `listening on HOST:PORT` line or the deadline.
Result<int> ReadListeningPort(int fd, pid_t pid, Clock::time_point deadline) {
  std::string seen;
  for (;;) {
    const size_t newline = seen.find('\n');
    if (newline != std::string::npos) {
      const std::string line = seen.substr(0, newline);
      const size_t colon = line.rfind(':');
      if (line.rfind("listening on ", 0) == 0 && colon != std::string::npos) {
        return std::atoi(line.c_str() + colon + 1);
      }
      seen.erase(0, newline + 1);
      continue;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Error{"the mock did not report `listening on` in time"};
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buffer[512];
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n <= 0) {
      int status = 0;
      waitpid(pid, &status, 0);
      return MakeError("the mock exited before listening (status ",
                       WIFEXITED(status) ? WEXITSTATUS(status) : -1, ")");
    }
    seen.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace

MockChild::MockChild(std::vector<std::string> mock_args, std::chrono::milliseconds ready_timeout)
    : args_(std::move(mock_args)), ready_timeout_(ready_timeout) {}

MockChild::~MockChild() { Stop(); }

Result<bool> MockChild::Start() {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Error{"pipe failed"};
  std::vector<std::string> argv = {SelfExecutable(), "mock", "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args_.begin(), args_.end());
  Result<pid_t> pid = Spawn(argv, pipe_fds[1]);
  close(pipe_fds[1]);
  if (!pid.ok()) {
    close(pipe_fds[0]);
    return Error{pid.error()};
  }
  pid_ = *pid;
  stdout_fd_ = pipe_fds[0];
  Result<int> port = ReadListeningPort(stdout_fd_, pid_, Clock::now() + ready_timeout_);
  if (!port.ok() || *port <= 0) {
    Stop();
    return Error{port.ok() ? "the mock reported no port" : port.error()};
  }
  port_ = *port;
  drain_ = std::thread([fd = stdout_fd_] {
    char buffer[4096];
    while (read(fd, buffer, sizeof(buffer)) > 0) {
    }
  });
  return true;
}

void MockChild::Stop() {
  if (pid_ > 0) {
    int status = 0;
    kill(pid_, SIGTERM);
    if (!WaitUntil(pid_, Clock::now() + std::chrono::seconds(5), &status)) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  // The child is gone, so its end of the pipe is closed and the drain thread sees EOF.
  if (drain_.joinable()) drain_.join();
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
}

Result<bool> MockChild::Restart() {
  Stop();
  return Start();
}

Result<bool> RunShellCommand(const std::string& command, std::chrono::milliseconds timeout) {
  Result<pid_t> pid = Spawn({"/bin/sh", "-c", command}, -1);
  if (!pid.ok()) return Error{pid.error()};
  int status = 0;
  if (!WaitUntil(*pid, Clock::now() + timeout, &status)) {
    kill(*pid, SIGKILL);
    waitpid(*pid, &status, 0);
    return MakeError("restart command timed out after ", timeout.count(), " ms");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return MakeError("restart command failed (exit status ",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1, ")");
  }
  return true;
}

}  // namespace teeharness::engine
