#include "harness/engine/http1/origin.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace teeharness::engine::http1 {
namespace {

constexpr std::string_view kScheme = "http://";

bool Visible(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      return false;
    }
  }
  return true;
}

std::optional<uint16_t> ParsePort(std::string_view digits) {
  if (digits.empty() || digits.size() > 5) return std::nullopt;
  unsigned value = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

std::string_view OriginKey(std::string_view url) {
  if (url.substr(0, kScheme.size()) != kScheme) return {};
  const size_t end = url.find_first_of("/?#", kScheme.size());
  return url.substr(0, end == std::string_view::npos ? url.size() : end);
}

std::optional<Origin> ParseOrigin(std::string_view url) {
  const std::string_view key = OriginKey(url);
  if (key.empty()) return std::nullopt;
  const std::string_view authority = key.substr(kScheme.size());
  if (authority.empty() || !Visible(authority) || authority.find('@') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view host = authority;
  std::string_view port_text;
  if (authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port_text = rest.substr(1);
    }
  } else if (const size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
  }
  uint16_t port = 80;
  if (!port_text.empty() || authority.back() == ':') {
    const auto parsed = ParsePort(port_text);
    if (!parsed) return std::nullopt;
    port = *parsed;
  }
  Origin origin;
  const std::string host_text(host);  // inet_pton wants a terminated string
  if (authority.front() == '[') {
    sockaddr_in6 v6{};
    // A zone ("%eth0") or anything but a literal IPv6 address: libcurl's to handle.
    if (inet_pton(AF_INET6, host_text.c_str(), &v6.sin6_addr) != 1) return std::nullopt;
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(port);
    std::memcpy(&origin.address, &v6, sizeof v6);
    origin.address_length = sizeof v6;
  } else {
    sockaddr_in v4{};
    // inet_pton takes only the four-part dotted decimal form; libcurl would also take "127.1"
    // or hex parts, and host names need a resolver: all of those stay with libcurl.
    if (inet_pton(AF_INET, host_text.c_str(), &v4.sin_addr) != 1) return std::nullopt;
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port);
    std::memcpy(&origin.address, &v4, sizeof v4);
    origin.address_length = sizeof v4;
  }
  origin.scheme_and_authority = std::string(key);
  // libcurl's Host header: the authority as written, without a default port.
  const std::string_view bracketed =
      authority.front() == '[' ? authority.substr(0, authority.find(']') + 1) : host;
  origin.host_header = std::string(bracketed);
  if (port != 80) origin.host_header += ":" + std::to_string(port);
  return origin;
}

std::string_view RequestTarget(std::string_view url) {
  const std::string_view key = OriginKey(url);
  std::string_view rest = url.substr(key.size());
  rest = rest.substr(0, rest.find('#'));
  if (!Visible(rest)) return {};
  if (rest.empty()) return "/";
  // A query without a path: libcurl sends "/?query"; rare enough to leave to it.
  if (rest.front() != '/') return {};
  return rest;
}

}  // namespace teeharness::engine::http1
