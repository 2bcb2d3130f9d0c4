#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace teeharness::testing {

// The real `teeharness mock` as a child process on 127.0.0.1 with a kernel-chosen port (read from
// its `listening on` line, with a deadline), stopped with SIGTERM on destruction; https URLs when
// started with --tls. Not thread-safe.
class MockServer {
 public:
  explicit MockServer(std::vector<std::string> args, std::map<std::string, std::string> env = {});
  ~MockServer();
  MockServer(const MockServer&) = delete;
  MockServer& operator=(const MockServer&) = delete;

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  std::string url(const std::string& path) const;
  // SIGTERM and wait; returns the exit status (0 for a clean shutdown).
  int Stop();
  // SIGKILL and reap: a crash, no clean shutdown.
  void Kill();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int out_fd_ = -1;
  bool https_ = false;  // started with --tls or --tls-cert: url() says https
};

struct HttpReply {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lowercase names
};

// A blocking libcurl request (tests only): exact body bytes in and out, no decoding.
HttpReply HttpRequest(const std::string& method, const std::string& url,
                      const std::string& body = "", const std::vector<std::string>& headers = {});

}  // namespace teeharness::testing
