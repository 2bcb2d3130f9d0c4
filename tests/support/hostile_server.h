#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace teeharness::testing {

// A server that attacks its client. Requests whose path starts with `path_prefix` get the answer
// of `mode`; every other request is relayed to `upstream` (a real mock) and its answer returned
// unchanged (the client's Authorization header passed on), so the harness gets far enough to meet
// the attack (attested before the chat is attacked, say). Modes:
//   endless_headers  200 and header lines forever
//   huge_body        a 1 GiB body without Content-Length (ends when the client gives up)
//   huge_declared    Content-Length: 1 GiB
//   endless_stream   an SSE stream that never sends [DONE]
//   dribble          a 1000-byte body, one byte per second
//   invalid_utf8     a report whose strings are not UTF-8
//   deep_json        JSON nested 100,000 deep
//   huge_numbers     numbers beyond double and uint64 where strings belong
//   nul_bytes        NUL bytes inside the JSON
//   huge_signature   a signature body whose signature is 10 MB of hex
//   lying_length     Content-Length larger than what is sent, connection kept open
//   short_length     Content-Length smaller than the body that follows
//   close_mid_body   the connection closed halfway through the promised body
//   echo_request     a signature body whose signed text is the request head, Authorization
//                    header included (a server that leaks what the client sent)
//   garbage          4 KiB of binary bytes that are not HTTP, then the connection closed
//   silent           reads the request and never answers (a hung endpoint)
// Binds 127.0.0.1 port 0. Thread-safe: a thread per connection; the destructor closes every
// socket and joins them.
class HostileServer {
 public:
  HostileServer(std::string mode, std::string path_prefix, std::string upstream);
  ~HostileServer();
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  std::string base_url() const;
  int attacks() const { return attacks_.load(); }  // hostile answers started

 private:
  void AcceptLoop();
  void Serve(int fd);
  void Attack(int fd, const std::string& head);
  bool Relay(int fd, const std::string& head, const std::string& method, const std::string& target,
             const std::string& body);
  bool Send(int fd, const std::string& bytes);
  bool Pause(int milliseconds);  // false when stopping

  std::string mode_;
  std::string prefix_;
  std::string upstream_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> attacks_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<int> client_fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace teeharness::testing
