// The worker loop's socket-action driving (epoll, libcurl's timer, the native client's deadlines)
// and its reuse of easy handles, header lists and connections, over both transports, against
// real servers on loopback: many connections at once, a timeout
// with no socket activity, an abort while sockets are watched, header sets and methods changing
// on reused handles, and a proxy named by the environment.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <future>
#include <optional>

#include "harness/engine/load/workload.h"
#include "tests/support/recording_server.h"

namespace teeharness::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Sends `calls` all at once on worker 0 and returns their results in order.
std::vector<HttpResult> SendAll(Workers& workers, const std::vector<protocol::HttpCall>& calls,
                                const TransportOptions& options) {
  std::vector<std::promise<HttpResult>> promises(calls.size());
  workers.loop(0).Post([&] {
    for (size_t i = 0; i < calls.size(); ++i) {
      auto exchange = std::make_unique<HttpExchange>();
      exchange->call = calls[i];
      exchange->options = &options;
      exchange->on_done = [&promises, i](HttpResult& r) { promises[i].set_value(std::move(r)); };
      workers.loop(0).Send(std::move(exchange));
    }
  });
  std::vector<HttpResult> results;
  for (auto& promise : promises) results.push_back(promise.get_future().get());
  return results;
}

HttpResult SendOne(Workers& workers, const protocol::HttpCall& call,
                   const TransportOptions& options) {
  return SendAll(workers, {call}, options).front();
}

// The value of header `name` in a recorded request head ("" when absent).
std::string HeaderIn(const std::string& head, const std::string& name) {
  const std::string key = "\r\n" + name + ": ";
  const size_t at = head.find(key);
  if (at == std::string::npos) return "";
  const size_t start = at + key.size();
  return head.substr(start, head.find("\r\n", start) - start);
}

std::string RequestLine(const std::string& head) { return head.substr(0, head.find("\r\n")); }

// Each test runs over both transports: libcurl (native_http1 false) and the native client.
class SocketLoop : public ::testing::TestWithParam<bool> {
 protected:
  TransportOptions Options() const {
    TransportOptions options;
    options.native_http1 = GetParam();
    return options;
  }
};

TEST_P(SocketLoop, ManyConnectionsAtOnce) {
  // Each answer waits 100 ms, so all 120 requests are in flight together, each on its own
  // connection: the epoll set holds them all and every completion is dispatched.
  testing::RecordingServer server(milliseconds(100));
  Workers workers(1);
  TransportOptions options = Options();
  constexpr size_t kCount = 120;
  std::vector<protocol::HttpCall> calls;
  for (size_t i = 0; i < kCount; ++i) {
    calls.push_back({"GET", server.url("/n/" + std::to_string(i)), {}, {}});
  }
  long opened = 0;
  for (const HttpResult& r : SendAll(workers, calls, options)) {
    ASSERT_TRUE(r.ok()) << r.error_message;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "ok");
    opened += r.new_connections;
  }
  EXPECT_EQ(opened, static_cast<long>(kCount));
  EXPECT_EQ(server.connections(), kCount);
  // A second wave reuses kept-alive connections that sat idle and unwatched in between (libcurl
  // closes some of them as its pool shrinks with the transfers: how many is its policy).
  opened = 0;
  for (const HttpResult& r : SendAll(workers, calls, options)) {
    ASSERT_TRUE(r.ok()) << r.error_message;
    opened += r.new_connections;
  }
  EXPECT_LT(opened, static_cast<long>(kCount));
  EXPECT_EQ(server.requests().size(), 2 * kCount);
}

TEST_P(SocketLoop, TimeoutFiresWithNoSocketActivity) {
  // The server reads the request and never answers: only libcurl's timer can end the transfer.
  testing::RecordingServer silent(milliseconds(0), /*answer=*/false);
  Workers workers(1);
  TransportOptions options = Options();
  options.total_timeout = milliseconds(300);
  const auto start = Clock::now();
  const HttpResult r = SendOne(workers, {"GET", silent.url("/hang"), {}, {}}, options);
  const auto took = Clock::now() - start;
  EXPECT_EQ(r.error, TransportError::kTimeout) << r.error_message;
  EXPECT_GE(took, milliseconds(300));
  EXPECT_LT(took, seconds(5));
  EXPECT_GE(r.finished - r.started, milliseconds(300));
}

TEST_P(SocketLoop, LoopTimerFiresWithNothingInFlight) {
  Workers workers(1);
  std::promise<Clock::time_point> fired;
  const auto start = Clock::now();
  workers.loop(0).Post([&] {
    workers.loop(0).At(Clock::now() + milliseconds(30), [&] { fired.set_value(Clock::now()); });
  });
  EXPECT_GE(fired.get_future().get() - start, milliseconds(30));
}

TEST_P(SocketLoop, AbortWhileSocketsAreWatchedLeavesTheLoopUsable) {
  testing::RecordingServer silent(milliseconds(0), /*answer=*/false);
  testing::RecordingServer live;
  Workers workers(1);
  TransportOptions options = Options();
  constexpr size_t kCount = 20;
  std::vector<std::promise<HttpResult>> promises(kCount);
  workers.loop(0).Post([&] {
    for (size_t i = 0; i < kCount; ++i) {
      auto exchange = std::make_unique<HttpExchange>();
      exchange->call = {"GET", silent.url("/hang"), {}, {}};
      exchange->options = &options;
      exchange->on_done = [&promises, i](HttpResult& r) { promises[i].set_value(std::move(r)); };
      workers.loop(0).Send(std::move(exchange));
    }
  });
  // Every request has been sent: each transfer's socket waits for an answer in the epoll set.
  ASSERT_TRUE(silent.WaitForRequests(kCount, seconds(10)));
  workers.loop(0).Post([&] { workers.loop(0).AbortAll(); });
  for (auto& promise : promises) {
    EXPECT_EQ(promise.get_future().get().error, TransportError::kAborted);
  }
  std::promise<size_t> in_flight;
  workers.loop(0).Post([&] { in_flight.set_value(workers.loop(0).in_flight()); });
  EXPECT_EQ(in_flight.get_future().get(), 0u);
  // The aborted transfers' sockets are gone from the set; new transfers on the same loop work.
  for (int i = 0; i < 3; ++i) {
    const HttpResult r = SendOne(workers, {"GET", live.url("/after"), {}, {}}, options);
    ASSERT_TRUE(r.ok()) << r.error_message;
    EXPECT_EQ(r.status, 200);
  }
}

TEST_P(SocketLoop, HeaderSetsAndMethodsChangeOnReusedHandles) {
  testing::RecordingServer server;
  Workers workers(1);
  TransportOptions options = Options();
  // One at a time, so each request reuses the previous one's easy handle and connection.
  const std::vector<protocol::HttpCall> calls = {
      {"POST", server.url("/a"), {"Content-Type: application/json", "X-One: 1"}, R"({"a":1})"},
      {"GET", server.url("/b"), {}, {}},
      {"POST", server.url("/c"), {"X-Two: 2"}, "body-c"},
      {"POST", server.url("/d"), {"Content-Type: application/json", "X-One: 1"}, "{}"},
      {"DELETE", server.url("/e"), {"X-Two: 2"}, {}},
      {"GET", server.url("/f"), {"X-One: 1"}, {}},
  };
  for (const protocol::HttpCall& call : calls) {
    const HttpResult r = SendOne(workers, call, options);
    ASSERT_TRUE(r.ok()) << r.error_message;
  }
  const std::vector<testing::RecordingServer::Request> seen = server.requests();
  ASSERT_EQ(seen.size(), calls.size());
  EXPECT_EQ(RequestLine(seen[0].head), "POST /a HTTP/1.1");
  EXPECT_EQ(HeaderIn(seen[0].head, "X-One"), "1");
  EXPECT_EQ(HeaderIn(seen[0].head, "Content-Type"), "application/json");
  EXPECT_EQ(seen[0].body, R"({"a":1})");
  EXPECT_EQ(RequestLine(seen[1].head), "GET /b HTTP/1.1");
  EXPECT_EQ(HeaderIn(seen[1].head, "X-One"), "");
  EXPECT_EQ(HeaderIn(seen[1].head, "Content-Length"), "");
  EXPECT_EQ(seen[1].body, "");
  EXPECT_EQ(RequestLine(seen[2].head), "POST /c HTTP/1.1");
  EXPECT_EQ(HeaderIn(seen[2].head, "X-Two"), "2");
  EXPECT_EQ(HeaderIn(seen[2].head, "X-One"), "");
  EXPECT_EQ(seen[2].body, "body-c");
  EXPECT_EQ(RequestLine(seen[3].head), "POST /d HTTP/1.1");
  EXPECT_EQ(seen[3].body, "{}");
  EXPECT_EQ(RequestLine(seen[4].head), "DELETE /e HTTP/1.1");
  EXPECT_EQ(seen[4].body, "");
  EXPECT_EQ(RequestLine(seen[5].head), "GET /f HTTP/1.1");
  EXPECT_EQ(HeaderIn(seen[5].head, "X-Two"), "");
  for (const auto& request : seen) {
    EXPECT_EQ(HeaderIn(request.head, "Expect"), "") << request.head;  // no 100-continue
  }
  EXPECT_EQ(server.connections(), 1u);
}

TEST_P(SocketLoop, ReusedHandlesFollowChangedTransportOptions) {
  // One TransportOptions object changed in place between requests (same address, new values):
  // a reused easy handle must take the new timeout, in both directions.
  testing::RecordingServer slow(milliseconds(400));
  Workers workers(1);
  TransportOptions options = Options();
  ASSERT_TRUE(SendOne(workers, {"GET", slow.url("/1"), {}, {}}, options).ok());
  options.total_timeout = milliseconds(100);
  EXPECT_EQ(SendOne(workers, {"GET", slow.url("/2"), {}, {}}, options).error,
            TransportError::kTimeout);
  options.total_timeout = seconds(10);
  const HttpResult r = SendOne(workers, {"GET", slow.url("/3"), {}, {}}, options);
  EXPECT_TRUE(r.ok()) << r.error_message;
}

TEST_P(SocketLoop, MoreHeaderSetsThanTheCacheHolds) {
  testing::RecordingServer server;
  Workers workers(1);
  TransportOptions options = Options();
  constexpr int kSets = static_cast<int>(HeaderLists::kMaxSets) + 8;
  std::vector<protocol::HttpCall> calls;
  for (int i = 0; i < kSets; ++i) {
    calls.push_back({"GET", server.url("/h"), {"X-Set: " + std::to_string(i)}, {}});
  }
  for (const HttpResult& r : SendAll(workers, calls, options)) ASSERT_TRUE(r.ok());
  std::vector<std::string> values;
  for (const auto& request : server.requests()) values.push_back(HeaderIn(request.head, "X-Set"));
  std::sort(values.begin(), values.end());
  std::vector<std::string> expected;
  for (int i = 0; i < kSets; ++i) expected.push_back(std::to_string(i));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(values, expected);
}

// Sets an environment variable for a scope (restoring the previous value after).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST_P(SocketLoop, ProxyFromTheEnvironmentIsStillUsed) {
  // The "proxy" records what it is asked: a request for another host in absolute form.
  testing::RecordingServer proxy;
  ScopedEnv env("http_proxy", "http://127.0.0.1:" + std::to_string(proxy.port()));
  Workers workers(1);  // decides about the proxy when it starts: after the variable is set
  TransportOptions options = Options();
  const HttpResult r = SendOne(workers, {"GET", "http://origin.invalid/x", {}, {}}, options);
  ASSERT_TRUE(r.ok()) << r.error_message;
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_EQ(RequestLine(proxy.requests()[0].head), "GET http://origin.invalid/x HTTP/1.1");
}

TEST_P(SocketLoop, NoProxyInTheEnvironmentGoesDirect) {
  for (const char* name :
       {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    if (std::getenv(name) != nullptr) GTEST_SKIP() << name << " is set for this test run";
  }
  testing::RecordingServer server;
  Workers workers(1);
  TransportOptions options = Options();
  const HttpResult r = SendOne(workers, {"GET", server.url("/direct"), {}, {}}, options);
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(RequestLine(server.requests().at(0).head), "GET /direct HTTP/1.1");
}

INSTANTIATE_TEST_SUITE_P(Transports, SocketLoop, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "native" : "curl";
                         });

}  // namespace
}  // namespace teeharness::engine
