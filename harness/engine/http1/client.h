#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/engine/http1/connection.h"
#include "harness/engine/http1/origin.h"
#include "harness/engine/loop/http_exchange.h"
#include "harness/engine/loop/socket_poller.h"

namespace teeharness::engine::http1 {

// The native HTTP/1.1 client of a worker loop, for plain-http URLs with a literal IP address:
// non-blocking sockets on the loop's epoll set, kept-alive connections pooled per origin, one
// request per connection at a time (no pipelining). It exists because libcurl's per-transfer
// work (URL parsing, option handling, header formatting and matching, two liveness polls) was
// most of the generator's user-space CPU per request (issue 13); TLS, proxies, HTTP/2 and host
// names stay with libcurl. Requests are written as libcurl writes them (request_writer.h) and
// failures are classified into the same TransportError kinds:
//   connect failure -> kConnectRefused; no connection within connect_timeout -> kConnectTimeout;
//   total_timeout -> kTimeout; the peer closing or resetting before the response ended -> kReset
//   (a kept-alive connection that fails before any response byte is retried once on a new one,
//   as libcurl does); a malformed response -> kProtocol; a head over max_header_bytes or a body
//   over hard_limit_bytes -> kTooLarge.
// Thread-safety: none; the worker loop's thread only.
class Client {
 public:
  // Called when an exchange Send took has ended (result.error, status, headers, body set).
  using Done = std::function<void(HttpExchange*)>;

  Client(SocketPoller* poller, Done done);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Starts `exchange` when the native client can carry its URL; false leaves it to libcurl.
  // Never completes the exchange from inside Send (a failure is reported from Poll).
  bool Send(HttpExchange* exchange);
  // Whether `fd` is one of the client's sockets.
  bool Owns(int fd) const {
    return fd >= 0 && static_cast<size_t>(fd) < by_fd_.size() && by_fd_[fd] != nullptr;
  }
  void OnReady(const SocketPoller::Ready& ready);
  // When Poll next has something to do (a deadline or a failure to report), if ever.
  std::optional<Clock::time_point> NextDue() const;
  // Fails what is past its deadline and reports failures Send deferred.
  void Poll(Clock::time_point now);
  // Ends `exchange` (one Send took, not yet done) at once with kAborted, closing its connection,
  // without calling Done.
  void Abort(HttpExchange* exchange);

 private:
  OriginPool* PoolFor(std::string_view key);
  // A new connection to `pool`'s origin for `exchange`, or nullptr (the failure is then queued
  // for Poll).
  Connection* Open(OriginPool* pool, HttpExchange* exchange);
  // Carries `exchange`, whose URL asks for `request_target`, on `connection`.
  void Start(Connection* connection, HttpExchange* exchange, std::string_view request_target);
  void Watch(Connection* connection, bool out);
  void Write(Connection* connection);
  void Read(Connection* connection);
  void OnConnected(Connection* connection);
  // The response ended well: the connection goes back to its pool or is closed, then Done.
  void Complete(Connection* connection, bool reusable);
  // The exchange fails with `error`; the connection is closed. A kept-alive connection that
  // failed before any response byte gets the exchange retried on a new connection instead.
  void Fail(Connection* connection, TransportError error, const char* message, bool retry_allowed);
  // Detaches the exchange from `connection`, closes it, and returns the exchange.
  HttpExchange* Close(Connection* connection);
  void FailLater(HttpExchange* exchange, TransportError error, const char* message);
  // Fails the first connection past its deadline; false when none is.
  bool FailOneDue(Clock::time_point now);
  void AddBusy(Connection* connection);
  void RemoveBusy(Connection* connection);

  SocketPoller* const poller_;
  const Done done_;
  std::map<std::string, OriginPool, std::less<>> pools_;  // by OriginKey
  std::vector<std::unique_ptr<Connection>> by_fd_;        // owner, indexed by descriptor
  std::vector<Connection*> busy_;                         // connections carrying an exchange
  std::vector<HttpExchange*> failed_;                     // failures Send found, reported by Poll
  Clock::time_point next_check_ = Clock::time_point::max();
  std::vector<char> buffer_;  // one receive buffer for every connection
};

}  // namespace teeharness::engine::http1
