#pragma once

#include <sys/uio.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/engine/http1/origin.h"
#include "harness/engine/http1/response_parser.h"
#include "harness/engine/loop/http_exchange.h"

namespace teeharness::engine::http1 {

struct Connection;

// An origin the native client may carry and its kept-alive connections. Owned by the Client
// (its address is stable); not thread-safe.
struct OriginPool {
  std::optional<Origin> origin;  // nullopt: URLs of this origin go to libcurl
  std::vector<Connection*> idle;
};

// One TCP connection of the native client and the exchange it carries, if any. It is the sink
// of its response parser: headers and body go straight into the exchange's result. Owned by its
// Client, which drives every state change. Not thread-safe (the worker loop's thread only).
struct Connection final : ResponseSink {
  enum class State {
    kConnecting,  // non-blocking connect in progress (watched for writing)
    kSending,     // request bytes left to send (watched for both)
    kReceiving,   // request sent, response arriving (watched for reading)
    kIdle,        // kept alive in its origin's pool (watched for reading: a close is seen)
  };

  Connection(int fd, OriginPool* pool, size_t max_header_bytes)
      : fd(fd),
        pool(pool),
        max_header_bytes(max_header_bytes),
        parser(std::in_place, max_header_bytes) {}

  void OnHeader(std::string_view name, std::string_view value) override {
    exchange->TakeHeader(std::string(name), value);
  }
  void OnHeadComplete() override;
  void OnBody(std::string_view bytes) override;

  const int fd;
  OriginPool* const pool;
  size_t max_header_bytes;  // the parser's limit
  State state = State::kConnecting;
  HttpExchange* exchange = nullptr;
  std::optional<ResponseParser> parser;  // re-made when a request asks for another head limit
  std::string head;  // the request's head (the body is sent from the exchange's call)
  size_t sent = 0;   // bytes of head + body sent
  bool watching_out = false;
  bool reused = false;   // it carried an earlier request (a failure before any byte: retry)
  bool retried = false;  // the exchange is on its second connection already
  Clock::time_point deadline;
  size_t busy_index = 0;  // its place in the client's list of connections with an exchange
  Clock::time_point now;  // when the bytes being parsed arrived
  // The body passed hard_limit_bytes (or declared a length beyond it): the transfer must stop.
  bool body_too_large = false;
};

}  // namespace teeharness::engine::http1
