#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "harness/crypto/sha256.h"
#include "harness/protocol/endpoints.h"

namespace teeharness::engine {

using Clock = std::chrono::steady_clock;

// Transport failure kinds: the evidence vocabulary for errors (also metric/status labels).
enum class TransportError {
  kNone,
  kDns,
  kConnectRefused,
  kConnectTimeout,
  kTimeout,
  kReset,
  kTls,
  kTooLarge,
  kProtocol,
  kAborted,
  kOther,
};
std::string_view TransportErrorName(TransportError error);

// Per-request transport settings (from the scenario's target section).
struct TransportOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{60000};
  size_t max_response_bytes = 16 * 1024 * 1024;  // kept for parsing; beyond: hashed, not kept
  size_t hard_limit_bytes = 256 * 1024 * 1024;   // beyond this the transfer is aborted
  // Response headers beyond this abort the transfer (a server sending header lines forever would
  // otherwise grow the header map until the timeout).
  size_t max_header_bytes = 256 * 1024;
  bool http2 = false;
  // Plain-http URLs with a literal IP address go through the native HTTP/1.1 client
  // (engine/http1) unless this is false or a proxy is configured; everything else uses libcurl.
  bool native_http1 = true;
  bool insecure_tls = false;
  std::string ca_file;
};

// The result of one HTTP exchange. The body's sha256 covers every byte received, including bytes
// beyond max_response_bytes that were not kept.
struct HttpResult {
  TransportError error = TransportError::kNone;
  std::string error_message;  // curl's text; never a header value (API keys live in headers)
  long status = 0;
  std::multimap<std::string, std::string> headers;  // names lowercased
  std::string body;                                 // up to max_response_bytes
  bool truncated = false;
  uint64_t body_bytes = 0;
  long new_connections = 0;  // connections this transfer had to open (0: a kept-alive one reused)
  int http_major = 0;        // negotiated HTTP version: 1 or 2
  crypto::Hash32 body_sha256{};
  // TLS-BIND: the SHA-256 of the SubjectPublicKeyInfo of the leaf certificate this transfer's own
  // connection presented (when the exchange asked for it and the connection was TLS).
  std::optional<crypto::Hash32> peer_key_sha256;
  bool tls = false;              // the connection was TLS (when asked for the key)
  Clock::time_point started;     // when the transfer was handed to curl
  Clock::time_point first_byte;  // first body byte (== finished when there was none)
  Clock::time_point finished;

  bool ok() const { return error == TransportError::kNone; }
  // The first value of a header, or "".
  std::string Header(const std::string& lowercase_name) const;
};

// One request in flight: what to send and whom to tell. Created by a flow, owned by the transport
// until `on_done` runs (exactly once, on the loop thread). Not thread-safe.
struct HttpExchange {
  protocol::HttpCall call;
  const TransportOptions* options = nullptr;
  // Each received body chunk and its arrival time (SSE parsing, token timestamps). Optional.
  std::function<void(std::string_view, Clock::time_point)> on_chunk;
  std::function<void(HttpResult&)> on_done;
  bool want_peer_key = false;  // read the connection's TLS key into result.peer_key_sha256

  // Takes `bytes` of the response body, arrived at `now`, for either transport: first-byte time,
  // the running hash, the kept prefix, the chunk callback. False once the body has passed
  // hard_limit_bytes (result.error is then kTooLarge and the transfer must be aborted).
  bool TakeBody(std::string_view bytes, Clock::time_point now);
  // Adds a response header; `name` must already be lowercased (the native parser delivers it so;
  // the libcurl path folds it first).
  void TakeHeader(std::string name, std::string_view value);

  // Transport state.
  HttpResult result;
  crypto::Sha256 hasher;
  void* easy = nullptr;    // the libcurl transfer, or
  void* native = nullptr;  // the http1::Client connection carrying it
  void* header_list = nullptr;
  bool owns_header_list = false;  // else the worker's HeaderLists cache owns it
  size_t active_index = 0;        // its place among the loop's transfers in flight
  bool first_byte_seen = false;
  size_t header_bytes = 0;
};

}  // namespace teeharness::engine
