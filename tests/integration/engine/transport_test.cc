// Both transports (libcurl multi, the native HTTP/1.1 client) against real servers on loopback
// (the mock), plus the failures they must classify alike: refused, DNS, reset mid-body, timeouts,
// oversized bodies.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>

#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"
#include "harness/engine/load/workload.h"
#include "tests/support/loopback.h"
#include "tests/support/mock_server.h"
#include "tests/support/processes.h"

namespace teeharness::engine {
namespace {

const std::string kChat = R"({"messages":[{"role":"user","content":"hi"}],"max_tokens":8})";

// Each test runs over both transports: libcurl (native_http1 false) and the native client.
class Transport : public ::testing::TestWithParam<bool> {
 protected:
  HttpResult Send(protocol::HttpCall call, const TransportOptions& options,
                  std::vector<std::pair<std::string, Clock::time_point>>* chunks = nullptr) {
    std::promise<HttpResult> promise;
    workers_.loop(0).Post([&] {
      auto exchange = std::make_unique<HttpExchange>();
      exchange->call = call;
      exchange->options = &options;
      if (chunks) {
        exchange->on_chunk = [chunks](std::string_view data, Clock::time_point t) {
          chunks->emplace_back(std::string(data), t);
        };
      }
      exchange->on_done = [&promise](HttpResult& r) { promise.set_value(std::move(r)); };
      workers_.loop(0).Send(std::move(exchange));
    });
    return promise.get_future().get();
  }
  static TransportOptions Options(bool native) {
    TransportOptions options;
    options.native_http1 = native;
    return options;
  }
  Workers workers_{1};
  TransportOptions options_ = Options(GetParam());
};

TEST_P(Transport, ExactBytesHashedAndHeadersLowercased) {
  testing::MockServer mock({"--itl", "5ms"});
  std::vector<std::pair<std::string, Clock::time_point>> chunks;
  const std::string streamed =
      R"({"messages":[{"role":"user","content":"hi"}],"stream":true,"max_tokens":8})";
  HttpResult r =
      Send({"POST", mock.url("/v1/chat/completions"), {"Content-Type: application/json"}, streamed},
           options_, &chunks);
  ASSERT_TRUE(r.ok()) << r.error_message;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/event-stream");
  EXPECT_EQ(r.body_sha256, crypto::Sha256::Hash(r.body));
  EXPECT_EQ(r.body_bytes, r.body.size());
  EXPECT_GT(chunks.size(), 3u);  // tokens arrive as separate chunks, 5 ms apart
  EXPECT_GE(chunks.back().second - chunks.front().second, std::chrono::milliseconds(20));
  EXPECT_LE(r.first_byte, r.finished);
  // The server signed the bytes we hashed: the signature's text proves both sides agree.
  const size_t id_at = r.body.find("chatcmpl-");
  const std::string id = r.body.substr(id_at, 41);
  testing::HttpReply sig;
  for (int i = 0; i < 50 && sig.status != 200; ++i)
    sig = testing::HttpRequest("GET", mock.url("/v1/signature/" + id));
  EXPECT_NE(sig.body.find(crypto::EncodeHex(r.body_sha256)), std::string::npos);
  EXPECT_NE(sig.body.find(crypto::Sha256::HashHex(streamed)), std::string::npos);
}

TEST_P(Transport, TruncatesPastMaxResponseBytesButHashesEverything) {
  testing::MockServer mock({"--tokens", "500"});
  TransportOptions small = options_;
  small.max_response_bytes = 1024;
  const std::string unlimited = R"({"messages":[{"role":"user","content":"hi"}]})";
  HttpResult r = Send({"POST", mock.url("/v1/chat/completions"), {}, unlimited}, small);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.body.size(), 1024u);
  EXPECT_GT(r.body_bytes, 1024u);
  EXPECT_NE(r.body_sha256, crypto::Sha256::Hash(r.body));  // the hash covers the bytes not kept
  TransportOptions hard = options_;
  hard.max_response_bytes = 512;
  hard.hard_limit_bytes = 2048;
  r = Send({"POST", mock.url("/v1/chat/completions"), {}, unlimited}, hard);
  EXPECT_EQ(r.error, TransportError::kTooLarge);
}

TEST_P(Transport, ClassifiesFailures) {
  // A port nobody listens on (bound, read and closed a moment ago).
  const std::string closed = "http://127.0.0.1:" + std::to_string(testing::FreePort()) + "/";
  EXPECT_EQ(Send({"GET", closed, {}, {}}, options_).error, TransportError::kConnectRefused);
  EXPECT_EQ(Send({"GET", "http://no-such-host.invalid/", {}, {}}, options_).error,
            TransportError::kDns);

  testing::MockServer reset({"--fault", "reset_mid_stream", "--tokens", "200"});
  EXPECT_EQ(Send({"POST", reset.url("/v1/chat/completions"), {}, kChat}, options_).error,
            TransportError::kReset);

  testing::MockServer slow({"--fault", "slow", "--slow-delay", "2s"});
  TransportOptions quick = options_;
  quick.total_timeout = std::chrono::milliseconds(200);
  const auto start = Clock::now();
  EXPECT_EQ(Send({"GET", slow.url("/v1/models"), {}, {}}, quick).error, TransportError::kTimeout);
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
}

TEST_P(Transport, AConnectionNeverAcceptedIsAConnectTimeout) {
  // A listener that never accepts, its queue (backlog 0: one connection) already full: the
  // kernel drops further SYNs, so a connect neither succeeds nor fails until the client gives up.
  int port = 0;
  const int listener = testing::ListenLoopback(0, &port);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int filler = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(filler, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  TransportOptions quick = options_;
  quick.connect_timeout = std::chrono::milliseconds(300);
  const auto start = Clock::now();
  const HttpResult r =
      Send({"GET", "http://127.0.0.1:" + std::to_string(port) + "/", {}, {}}, quick);
  EXPECT_EQ(r.error, TransportError::kConnectTimeout) << r.error_message;
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  close(filler);
  close(listener);
}

TEST_P(Transport, ReusesConnections) {
  testing::MockServer mock({});
  long opened = 0;
  for (int i = 0; i < 20; ++i) {
    const HttpResult r =
        Send({"GET", mock.url("/v1/attestation/report?nonce=" + std::string(64, 'b')), {}, {}},
             options_);
    EXPECT_EQ(r.status, 200);
    opened += r.new_connections;
  }
  EXPECT_EQ(opened, 1);  // one connection, kept alive for all twenty requests
}

INSTANTIATE_TEST_SUITE_P(Transports, Transport, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "native" : "curl";
                         });

}  // namespace
}  // namespace teeharness::engine
