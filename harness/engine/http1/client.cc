#include "harness/engine/http1/client.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "harness/engine/http1/request_writer.h"

namespace teeharness::engine::http1 {
namespace {

// Enough for a whole typical response, and for a streamed body to be read in few calls.
constexpr size_t kReceiveBuffer = 64 * 1024;

// libcurl's texts for the same failures, so that evidence reads the same whichever transport
// carried the request.
constexpr const char* kCouldNotConnect = "Couldn't connect to server";
constexpr const char* kConnectTimedOut = "Connection timed out";
constexpr const char* kTimedOut = "Timeout was reached";
constexpr const char* kSendFailed = "Failed sending data to the peer";
constexpr const char* kReceiveFailed = "Failure when receiving data from the peer";
constexpr const char* kGotNothing = "Server returned nothing (no headers, no data)";
constexpr const char* kPartial = "Transferred a partial file";
constexpr const char* kWeird = "Weird server reply";
constexpr const char* kTooLarge = "Maximum file size exceeded";
constexpr const char* kHeadTooLarge = "Response header too large";
constexpr const char* kAbortedText = "Aborted by callback";

}  // namespace

Client::Client(SocketPoller* poller, Done done)
    : poller_(poller), done_(std::move(done)), buffer_(kReceiveBuffer) {}

Client::~Client() {
  for (std::unique_ptr<Connection>& connection : by_fd_) {
    if (connection) ::close(connection->fd);
  }
}

OriginPool* Client::PoolFor(std::string_view key) {
  auto it = pools_.find(key);
  if (it == pools_.end()) {
    it = pools_.emplace(std::string(key), OriginPool{ParseOrigin(key), {}}).first;
  }
  return &it->second;
}

bool Client::Send(HttpExchange* exchange) {
  const std::string& url = exchange->call.url;
  const std::string_view key = OriginKey(url);
  const std::string_view target = RequestTarget(url);
  if (key.empty() || target.empty()) return false;
  OriginPool* pool = PoolFor(key);
  if (!pool->origin) return false;
  if (!pool->idle.empty()) {
    Connection* connection = pool->idle.back();
    pool->idle.pop_back();
    Start(connection, exchange, target);
    return true;
  }
  if (Connection* connection = Open(pool, exchange)) Start(connection, exchange, target);
  return true;
}

Connection* Client::Open(OriginPool* pool, HttpExchange* exchange) {
  const Origin& origin = *pool->origin;
  const int fd = ::socket(origin.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    FailLater(exchange, TransportError::kOther, "Couldn't create a socket (descriptor limit?)");
    return nullptr;
  }
  // As libcurl does (CURLOPT_TCP_NODELAY defaults on): a request is one write, never delayed.
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&origin.address), origin.address_length) !=
          0 &&
      errno != EINPROGRESS) {
    ::close(fd);
    FailLater(exchange, TransportError::kConnectRefused, kCouldNotConnect);
    return nullptr;
  }
  if (by_fd_.size() <= static_cast<size_t>(fd)) by_fd_.resize(static_cast<size_t>(fd) + 1);
  by_fd_[fd] = std::make_unique<Connection>(fd, pool, exchange->options->max_header_bytes);
  Connection* connection = by_fd_[fd].get();
  exchange->result.new_connections += 1;
  // Even a connect that completed at once is written to from the loop, once it reports the
  // socket writable: Send never fails an exchange synchronously.
  connection->state = Connection::State::kConnecting;
  poller_->Watch(fd, true, true);
  connection->watching_out = true;
  return connection;
}

void Client::Start(Connection* connection, HttpExchange* exchange,
                   std::string_view request_target) {
  connection->exchange = exchange;
  exchange->native = connection;
  const TransportOptions& options = *exchange->options;
  if (connection->max_header_bytes != options.max_header_bytes) {
    connection->max_header_bytes = options.max_header_bytes;
    connection->parser.emplace(options.max_header_bytes);
  }
  connection->parser->Reset(exchange->call.method == "HEAD");
  connection->body_too_large = false;
  connection->sent = 0;
  WriteRequestHead(exchange->call, connection->pool->origin->host_header, request_target,
                   &connection->head);
  connection->deadline = exchange->result.started + options.total_timeout;
  if (connection->state == Connection::State::kConnecting) {
    connection->deadline = std::min(connection->deadline, Clock::now() + options.connect_timeout);
  }
  AddBusy(connection);
  next_check_ = std::min(next_check_, connection->deadline);
  if (connection->state == Connection::State::kIdle) {
    connection->reused = true;
    connection->retried = false;
    connection->state = Connection::State::kSending;
    Write(connection);
  }
}

void Client::Watch(Connection* connection, bool out) {
  if (connection->watching_out == out) return;
  poller_->Watch(connection->fd, true, out);
  connection->watching_out = out;
}

void Client::OnReady(const SocketPoller::Ready& ready) {
  Connection* connection = by_fd_[ready.fd].get();
  switch (connection->state) {
    case Connection::State::kConnecting:
      return OnConnected(connection);
    case Connection::State::kSending:
      // One event per turn: the level-triggered set reports the other again if it still holds.
      if (ready.out && !ready.error) return Write(connection);
      return Read(connection);
    case Connection::State::kReceiving:
      return Read(connection);
    case Connection::State::kIdle:
      // The server closed a kept-alive connection (or sent bytes nobody asked for).
      Close(connection);
      return;
  }
}

void Client::OnConnected(Connection* connection) {
  int error = 0;
  socklen_t length = sizeof error;
  if (getsockopt(connection->fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
  if (error != 0) return Fail(connection, TransportError::kConnectRefused, kCouldNotConnect, false);
  HttpExchange* exchange = connection->exchange;
  // Connected: from now on only the transfer's own deadline applies.
  connection->deadline = exchange->result.started + exchange->options->total_timeout;
  connection->state = Connection::State::kSending;
  Write(connection);
}

void Client::Write(Connection* connection) {
  const protocol::HttpCall& call = connection->exchange->call;
  const std::string& head = connection->head;
  const std::string_view body = SendsBody(call) ? std::string_view(call.body) : std::string_view();
  const size_t total = head.size() + body.size();
  while (connection->sent < total) {
    iovec parts[2];
    int count = 0;
    const size_t sent = connection->sent;
    if (sent < head.size()) {
      parts[count++] = {const_cast<char*>(head.data()) + sent, head.size() - sent};
      if (!body.empty()) parts[count++] = {const_cast<char*>(body.data()), body.size()};
    } else {
      parts[count++] = {const_cast<char*>(body.data()) + (sent - head.size()), total - sent};
    }
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = static_cast<size_t>(count);
    const ssize_t written = ::sendmsg(connection->fd, &message, MSG_NOSIGNAL);
    if (written > 0) {
      connection->sent += static_cast<size_t>(written);
      continue;
    }
    if (written < 0 && errno == EINTR) continue;
    if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Watch(connection, true);
    return Fail(connection, TransportError::kReset, kSendFailed, true);
  }
  connection->state = Connection::State::kReceiving;
  Watch(connection, false);
}

void Client::Read(Connection* connection) {
  for (;;) {
    const ssize_t received = ::recv(connection->fd, buffer_.data(), buffer_.size(), 0);
    if (received > 0) {
      connection->now = Clock::now();
      size_t consumed = 0;
      const auto result = connection->parser->Feed(
          std::string_view(buffer_.data(), static_cast<size_t>(received)), *connection, &consumed);
      if (connection->body_too_large) {
        return Fail(connection, TransportError::kTooLarge, kTooLarge, false);
      }
      switch (result) {
        case ResponseParser::Result::kNeedMore:
          if (static_cast<size_t>(received) == buffer_.size()) continue;
          return;
        case ResponseParser::Result::kDone:
          return Complete(connection, connection->parser->keep_alive() &&
                                          consumed == static_cast<size_t>(received));
        case ResponseParser::Result::kHeadersTooLarge:
          return Fail(connection, TransportError::kTooLarge, kHeadTooLarge, false);
        case ResponseParser::Result::kMalformed:
        case ResponseParser::Result::kTruncated:
          return Fail(connection, TransportError::kProtocol, kWeird, false);
      }
      return;
    }
    if (received < 0 && errno == EINTR) continue;
    if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (received == 0) {
      connection->now = Clock::now();
      const auto result = connection->parser->OnEof(*connection);
      if (connection->body_too_large) {
        return Fail(connection, TransportError::kTooLarge, kTooLarge, false);
      }
      if (result == ResponseParser::Result::kDone) return Complete(connection, false);
      if (result == ResponseParser::Result::kMalformed) {
        return Fail(connection, TransportError::kProtocol, kWeird, false);
      }
    }
    const bool nothing = connection->parser->bytes_seen() == 0;
    return Fail(connection, TransportError::kReset,
                received < 0 ? kReceiveFailed : (nothing ? kGotNothing : kPartial), true);
  }
}

void Client::Complete(Connection* connection, bool reusable) {
  const bool keep = reusable && connection->state == Connection::State::kReceiving;
  HttpExchange* exchange = connection->exchange;
  RemoveBusy(connection);
  connection->exchange = nullptr;
  exchange->native = nullptr;
  if (keep) {
    connection->state = Connection::State::kIdle;
    connection->pool->idle.push_back(connection);
  } else {
    Close(connection);
  }
  done_(exchange);
}

void Client::Fail(Connection* connection, TransportError error, const char* message,
                  bool retry_allowed) {
  const bool retry = retry_allowed && connection->reused && !connection->retried &&
                     connection->parser->bytes_seen() == 0;
  OriginPool* pool = connection->pool;
  HttpExchange* exchange = Close(connection);
  if (retry && exchange->result.error == TransportError::kNone) {
    // A kept-alive connection the server had already closed: the request never reached it.
    if (Connection* fresh = Open(pool, exchange)) {
      fresh->retried = true;
      Start(fresh, exchange, RequestTarget(exchange->call.url));
    }
    return;
  }
  if (exchange->result.error == TransportError::kNone) exchange->result.error = error;
  exchange->result.error_message = message;
  done_(exchange);
}

HttpExchange* Client::Close(Connection* connection) {
  HttpExchange* exchange = connection->exchange;
  if (exchange != nullptr) {
    RemoveBusy(connection);
    exchange->native = nullptr;
  }
  if (connection->state == Connection::State::kIdle) {
    std::vector<Connection*>& idle = connection->pool->idle;
    idle.erase(std::find(idle.begin(), idle.end(), connection));
  }
  const int fd = connection->fd;
  poller_->Unwatch(fd);
  ::close(fd);
  by_fd_[fd].reset();
  return exchange;
}

void Client::FailLater(HttpExchange* exchange, TransportError error, const char* message) {
  exchange->result.error = error;
  exchange->result.error_message = message;
  failed_.push_back(exchange);
}

void Client::Abort(HttpExchange* exchange) {
  if (auto* connection = static_cast<Connection*>(exchange->native)) {
    Close(connection);
  } else {
    failed_.erase(std::remove(failed_.begin(), failed_.end(), exchange), failed_.end());
  }
  exchange->result.error = TransportError::kAborted;
  exchange->result.error_message = kAbortedText;
}

std::optional<Clock::time_point> Client::NextDue() const {
  if (!failed_.empty()) return Clock::time_point::min();
  if (next_check_ == Clock::time_point::max()) return std::nullopt;
  return next_check_;
}

bool Client::FailOneDue(Clock::time_point now) {
  Clock::time_point next = Clock::time_point::max();
  for (Connection* connection : busy_) {
    if (connection->deadline <= now) {
      const bool connecting = connection->state == Connection::State::kConnecting;
      Fail(connection, connecting ? TransportError::kConnectTimeout : TransportError::kTimeout,
           connecting ? kConnectTimedOut : kTimedOut, false);
      return true;
    }
    next = std::min(next, connection->deadline);
  }
  next_check_ = next;
  return false;
}

void Client::Poll(Clock::time_point now) {
  if (!failed_.empty()) {
    std::vector<HttpExchange*> failed;
    failed.swap(failed_);
    for (HttpExchange* exchange : failed) done_(exchange);
  }
  // Deadlines are rarely reached: next_check_ is a lower bound on the earliest one, and a scan
  // (which also tightens it) runs only once it has passed. Each failure may start new exchanges
  // (its callback runs), so the scan starts over after each.
  while (now >= next_check_ && FailOneDue(now)) {
  }
}

void Client::AddBusy(Connection* connection) {
  connection->busy_index = busy_.size();
  busy_.push_back(connection);
}

void Client::RemoveBusy(Connection* connection) {
  Connection* last = busy_.back();
  busy_[connection->busy_index] = last;
  last->busy_index = connection->busy_index;
  busy_.pop_back();
}

}  // namespace teeharness::engine::http1
