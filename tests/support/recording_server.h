#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace teeharness::testing {

// A keep-alive HTTP/1.1 server that records every request it reads (head and body) and answers
// each with 200 "ok" after `delay`, or never when `answer` is false (a hung endpoint that still
// reads). It shows what a client really sent: its method, request target and headers.
// Binds 127.0.0.1 port 0. Thread-safe: a thread per connection; the destructor closes every
// socket and joins them.
class RecordingServer {
 public:
  struct Request {
    std::string head;  // request line and header lines, without the final blank line
    std::string body;
  };

  explicit RecordingServer(std::chrono::milliseconds delay = std::chrono::milliseconds(0),
                           bool answer = true);
  ~RecordingServer();
  RecordingServer(const RecordingServer&) = delete;
  RecordingServer& operator=(const RecordingServer&) = delete;

  std::string url(const std::string& path) const;
  int port() const { return port_; }
  std::vector<Request> requests() const;
  size_t connections() const { return connections_.load(); }
  // Waits until at least `count` requests were read; false after `timeout`.
  bool WaitForRequests(size_t count, std::chrono::seconds timeout) const;

 private:
  void AcceptLoop();
  void Serve(int fd);

  std::chrono::milliseconds delay_;
  bool answer_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> connections_{0};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::vector<Request> requests_;
  std::vector<int> client_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace teeharness::testing
