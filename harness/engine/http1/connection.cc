#include "harness/engine/http1/connection.h"

namespace teeharness::engine::http1 {

void Connection::OnHeadComplete() {
  HttpResult& result = exchange->result;
  result.status = parser->status();
  // As libcurl refuses (CURLE_FILESIZE_EXCEEDED) a declared length beyond the limit before any
  // body byte arrives.
  if (parser->content_length() && *parser->content_length() > exchange->options->hard_limit_bytes) {
    result.error = TransportError::kTooLarge;
    body_too_large = true;
  }
}

void Connection::OnBody(std::string_view bytes) {
  if (body_too_large) return;
  if (!exchange->TakeBody(bytes, now)) body_too_large = true;
}

}  // namespace teeharness::engine::http1
