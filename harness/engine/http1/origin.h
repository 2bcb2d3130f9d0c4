#pragma once

#include <sys/socket.h>

#include <optional>
#include <string>
#include <string_view>

namespace teeharness::engine::http1 {

// Where a plain-HTTP URL points, as the native client needs it: a socket address it can connect
// to without a name lookup, the Host header, and the request-target. Only URLs the native client
// handles byte-for-byte as libcurl would parse here; anything else (https, a host name, user
// info, bytes libcurl would reject or encode) is left to libcurl.
struct Origin {
  sockaddr_storage address{};
  socklen_t address_length = 0;
  std::string scheme_and_authority;  // "http://127.0.0.1:8080": the connection pool's key
  std::string host_header;           // "127.0.0.1:8080" (no port when it is 80), "[::1]:8080"
};

// "http://" + authority of `url`: the key Origin is cached and pooled under (empty when `url` is
// not plain http).
std::string_view OriginKey(std::string_view url);

// Parses the scheme and authority of `url` (which must start with OriginKey(url)); nullopt when
// the native client must not carry it.
std::optional<Origin> ParseOrigin(std::string_view url);

// The request-target of `url`: its path and query ("/" when it has none), without a fragment.
// Empty when the rest of the URL holds a byte that is not visible ASCII (libcurl's business).
std::string_view RequestTarget(std::string_view url);

}  // namespace teeharness::engine::http1
