#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/base/result.h"

namespace teeharness::attestation {

// One HTTP response, any status. Value type.
struct HttpResponse {
  long status = 0;
  std::string body;                                          // exact bytes
  std::vector<std::pair<std::string, std::string>> headers;  // of the final response, in order

  // The first header named `name` (case-insensitive, as HTTP header names are).
  std::optional<std::string> Header(std::string_view name) const;
};

// A synchronous GET: a response of any status, or an Error for a transport failure (DNS, connect,
// TLS, timeout, body over the limit) that names the URL. The PCS client takes one so that its
// logic is testable without a network.
using HttpGet = std::function<Result<HttpResponse>(const std::string& url)>;

struct CurlGetOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
  size_t max_body_bytes = 16 << 20;  // a TDX TCB info is ~10 KB, a PCK CRL a few KB
  int max_redirects = 3;             // http(s) only
};

// libcurl's easy interface, one handle per call: blocking, meant for start-up and the first sight
// of an FMSPC, never per request on the hot path. TLS peer and host verification stay on, with the
// system's CA store. Thread-safe (curl_global_init runs once; no shared handle).
HttpGet CurlHttpGet(CurlGetOptions options = {});

}  // namespace teeharness::attestation
