#include "harness/engine/loop/http_exchange.h"

#include <algorithm>

namespace teeharness::engine {

bool HttpExchange::TakeBody(std::string_view bytes, Clock::time_point now) {
  if (!first_byte_seen) {
    first_byte_seen = true;
    result.first_byte = now;
  }
  result.body_bytes += bytes.size();
  if (result.body_bytes > options->hard_limit_bytes) {
    result.error = TransportError::kTooLarge;
    return false;
  }
  hasher.Update(crypto::ByteSpan(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  const size_t room =
      options->max_response_bytes - std::min(options->max_response_bytes, result.body.size());
  if (bytes.size() > room) result.truncated = true;
  result.body.append(bytes.data(), std::min(bytes.size(), room));
  if (on_chunk) {
    // Untrusted data must not throw through a transport callback (and the loop).
    try {
      on_chunk(bytes, now);
    } catch (...) {
    }
  }
  return true;
}

void HttpExchange::TakeHeader(std::string name, std::string_view value) {
  result.headers.emplace(std::move(name), value);
}

}  // namespace teeharness::engine
