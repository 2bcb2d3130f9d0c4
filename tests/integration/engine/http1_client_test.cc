// The native HTTP/1.1 client (engine/http1) in a worker loop, against scripted servers on
// loopback: the request bytes it writes are libcurl's, a kept-alive connection the server closed
// is retried once on a new one, every response framing (chunked, close-delimited, interim 1xx,
// HEAD) is read as libcurl reads it, and each hostile answer is classified as libcurl classifies
// it.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <future>
#include <thread>

#include "harness/crypto/sha256.h"
#include "harness/engine/load/workload.h"
#include "tests/support/loopback.h"
#include "tests/support/recording_server.h"

namespace teeharness::engine {
namespace {

// A server whose I-th accepted connection is handed to script(fd, I), on a thread of its own.
// Thread-safe; the destructor shuts every connection down and joins.
class ScriptedServer {
 public:
  using Script = std::function<void(int fd, int index)>;
  explicit ScriptedServer(Script script) : script_(std::move(script)) {
    listen_fd_ = testing::ListenLoopback(64, &port_);
    acceptor_ = std::thread([this] {
      for (int index = 0;; ++index) {
        const int fd = accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) return;
        {
          std::lock_guard lock(mutex_);
          fds_.push_back(fd);
        }
        threads_.emplace_back([this, fd, index] { script_(fd, index); });
      }
    });
  }
  ~ScriptedServer() {
    shutdown(listen_fd_, SHUT_RDWR);
    close(listen_fd_);
    acceptor_.join();
    {
      std::lock_guard lock(mutex_);
      for (const int fd : fds_) shutdown(fd, SHUT_RDWR);
    }
    for (std::thread& thread : threads_) thread.join();
    for (const int fd : fds_) close(fd);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  Script script_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::mutex mutex_;
  std::vector<int> fds_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

// Reads one request head (and a Content-Length body); false when the client closed first.
bool ReadRequest(int fd) {
  std::string data;
  char buffer[4096];
  size_t body = 0;
  for (;;) {
    const size_t end = data.find("\r\n\r\n");
    if (end != std::string::npos) {
      const size_t at = data.find("Content-Length: ");
      if (at != std::string::npos && at < end) body = std::stoul(data.substr(at + 16));
      if (data.size() >= end + 4 + body) return true;
    }
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    data.append(buffer, static_cast<size_t>(n));
  }
}

void SendAllBytes(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// A script that answers every request on its connection with `response`, then (when `close`)
// closes the connection after the first.
ScriptedServer::Script Answer(std::string response, bool close_after = false) {
  return [response, close_after](int fd, int) {
    while (ReadRequest(fd)) {
      SendAllBytes(fd, response);
      if (close_after) return (void)shutdown(fd, SHUT_RDWR);
    }
  };
}

class Http1Client : public ::testing::Test {
 protected:
  HttpResult Send(protocol::HttpCall call, std::vector<std::string>* chunks = nullptr) {
    std::promise<HttpResult> promise;
    workers_.loop(0).Post([&] {
      auto exchange = std::make_unique<HttpExchange>();
      exchange->call = std::move(call);
      exchange->options = &options_;
      if (chunks) {
        exchange->on_chunk = [chunks](std::string_view data, Clock::time_point) {
          chunks->emplace_back(data);
        };
      }
      exchange->on_done = [&promise](HttpResult& r) { promise.set_value(std::move(r)); };
      workers_.loop(0).Send(std::move(exchange));
    });
    return promise.get_future().get();
  }
  HttpResult Get(const ScriptedServer& server) { return Send({"GET", server.url("/"), {}, {}}); }

  Workers workers_{1};
  TransportOptions options_;
};

TEST_F(Http1Client, WritesTheRequestBytesLibcurlWrites) {
  const std::vector<protocol::HttpCall> calls = {
      {"POST", "", {"Content-Type: application/json", "Authorization: Bearer k"}, R"({"a":1})"},
      {"POST", "", {}, "form=1"},
      {"GET", "", {"Accept: application/json", "X-Gone:", "X-Empty;", "X-Ignored; x"}, {}},
      {"DELETE", "", {"X-Two: 2"}, "not sent"},
      {"GET", "", {"Host: example.test", "User-Agent: t"}, {}},
  };
  std::vector<std::string> heads[2];
  for (const bool native : {false, true}) {
    testing::RecordingServer server;
    options_.native_http1 = native;
    for (protocol::HttpCall call : calls) {
      call.url = server.url("/path?q=1#fragment");
      ASSERT_TRUE(Send(call).ok());
    }
    for (const auto& request : server.requests()) {
      // The port differs between the two servers; the rest must be the same bytes.
      std::string head = request.head;
      const std::string port = std::to_string(server.port());
      for (size_t at; (at = head.find(port)) != std::string::npos;)
        head.replace(at, port.size(), "P");
      heads[native].push_back(head + "\n\n" + request.body);
    }
  }
  ASSERT_EQ(heads[0].size(), calls.size());
  EXPECT_EQ(heads[0], heads[1]);
}

TEST_F(Http1Client, RetriesOnceWhenAKeptAliveConnectionWasClosed) {
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  // The first connection answers once, then reads the next request and closes without a word
  // (a server's idle timeout racing the client's next request): that request never reached it,
  // so it goes again on a new connection.
  ScriptedServer server([ok](int fd, int index) {
    if (!ReadRequest(fd)) return;
    SendAllBytes(fd, ok);
    if (index == 0) {
      ReadRequest(fd);
      shutdown(fd, SHUT_RDWR);
      return;
    }
    while (ReadRequest(fd)) SendAllBytes(fd, ok);
  });
  HttpResult first = Get(server);
  ASSERT_TRUE(first.ok()) << first.error_message;
  EXPECT_EQ(first.new_connections, 1);
  HttpResult second = Get(server);
  ASSERT_TRUE(second.ok()) << second.error_message;
  EXPECT_EQ(second.body, "ok");
  EXPECT_EQ(second.new_connections, 1);  // the retry's connection
}

TEST_F(Http1Client, AFreshConnectionClosedWithoutAnswerIsNotRetried) {
  std::atomic<int> connections{0};
  ScriptedServer server([&connections](int fd, int) {
    ++connections;
    ReadRequest(fd);
    shutdown(fd, SHUT_RDWR);
  });
  const HttpResult r = Get(server);
  EXPECT_EQ(r.error, TransportError::kReset);
  EXPECT_EQ(r.error_message, "Server returned nothing (no headers, no data)");
  EXPECT_EQ(connections.load(), 1);
}

TEST_F(Http1Client, ReadsEveryFraming) {
  struct Case {
    const char* name;
    std::string response;
    std::string body;
    bool close_after;
  };
  const std::vector<Case> cases = {
      {"chunked with extension and trailer",
       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n"
       "2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n",
       "abcde", false},
      {"close-delimited", "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end",
       "until the end", true},
      {"interim 100 first",
       "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody", "body",
       false},
      {"HTTP/1.0 with length", "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold", "old", true},
      {"204 with a length", "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n", "", false},
  };
  for (const Case& c : cases) {
    ScriptedServer server(Answer(c.response, c.close_after));
    std::vector<std::string> chunks;
    const HttpResult r = Send({"GET", server.url("/"), {}, {}}, &chunks);
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.error_message;
    EXPECT_EQ(r.body, c.body) << c.name;
    EXPECT_EQ(r.body_bytes, c.body.size()) << c.name;
    EXPECT_EQ(r.body_sha256, crypto::Sha256::Hash(c.body)) << c.name;
    std::string joined;
    for (const std::string& chunk : chunks) joined += chunk;
    EXPECT_EQ(joined, c.body) << c.name;
  }
  // A HEAD answer declares a length and sends no body.
  ScriptedServer head(Answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"));
  const HttpResult r = Send({"HEAD", head.url("/"), {}, {}});
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.Header("content-length"), "100");
  EXPECT_EQ(r.body, "");
  // And the connection is still good for the next request.
  const HttpResult again = Send({"HEAD", head.url("/"), {}, {}});
  ASSERT_TRUE(again.ok()) << again.error_message;
  EXPECT_EQ(again.new_connections, 0);
}

TEST_F(Http1Client, ClassifiesHostileAnswersAsLibcurlDoes) {
  struct Case {
    const char* name;
    std::string response;
    TransportError native;
    TransportError curl;
  };
  const std::vector<Case> cases = {
      {"garbage", std::string(64, '\x07'), TransportError::kProtocol, TransportError::kProtocol},
      // The one deliberate difference: libcurl 7.88 takes one of two different lengths; the
      // native client refuses the response, as RFC 9112 6.3 asks (a framing desync otherwise).
      {"conflicting lengths",
       "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
       TransportError::kProtocol, TransportError::kNone},
      {"declared beyond the hard limit", "HTTP/1.1 200 OK\r\nContent-Length: 99999999\r\n\r\n",
       TransportError::kTooLarge, TransportError::kTooLarge},
      {"body cut short", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", TransportError::kReset,
       TransportError::kReset},
      {"chunked cut short", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
       TransportError::kReset, TransportError::kReset},
      {"nothing at all", "", TransportError::kReset, TransportError::kReset},
  };
  options_.hard_limit_bytes = 1 << 20;
  for (const Case& c : cases) {
    for (const bool native : {false, true}) {
      options_.native_http1 = native;
      ScriptedServer server(Answer(c.response, true));
      const HttpResult r = Get(server);
      EXPECT_EQ(TransportErrorName(r.error), TransportErrorName(native ? c.native : c.curl))
          << c.name << (native ? " (native)" : " (curl)") << ": " << r.error_message;
    }
  }
  // Header lines without end: stopped at max_header_bytes, not at the timeout.
  options_.native_http1 = true;
  options_.max_header_bytes = 4096;
  ScriptedServer endless([](int fd, int) {
    if (!ReadRequest(fd)) return;
    SendAllBytes(fd, "HTTP/1.1 200 OK\r\n");
    for (int i = 0; i < 100000; ++i) {
      if (send(fd, "X-A: b\r\n", 8, MSG_NOSIGNAL) <= 0) return;
    }
  });
  EXPECT_EQ(Get(endless).error, TransportError::kTooLarge);
}

TEST_F(Http1Client, HostNamesAndHttpsStayWithLibcurl) {
  // "localhost" needs a name lookup: libcurl carries it, and it works.
  testing::RecordingServer server;
  const HttpResult r =
      Send({"GET", "http://localhost:" + std::to_string(server.port()) + "/by-name", {}, {}});
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(server.requests().at(0).head.substr(0, 20), "GET /by-name HTTP/1.");
}

}  // namespace
}  // namespace teeharness::engine
