#include "harness/engine/http1/request_writer.h"

#include <charconv>

namespace teeharness::engine::http1 {
namespace {

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// The name of a "Name: value" or "Name;" line (empty when it has neither separator).
std::string_view NameOf(std::string_view line) {
  const size_t end = line.find_first_of(":;");
  return end == std::string_view::npos ? std::string_view() : line.substr(0, end);
}

bool Names(const protocol::HttpCall& call, std::string_view name) {
  for (const std::string& line : call.headers) {
    if (SameName(NameOf(line), name)) return true;
  }
  return false;
}

// Appends one header line of the call as libcurl would send it (or nothing).
void AppendCallHeader(std::string_view line, std::string* out) {
  const size_t end = line.find_first_of(":;");
  if (end == std::string_view::npos) return;  // libcurl drops a line with neither
  std::string_view value = line.substr(end + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  if (line[end] == ';') {
    // "Name;" sends the header with no value; "Name; x" is not that form and is dropped.
    if (!value.empty()) return;
    out->append(line.substr(0, end)).append(":\r\n");
    return;
  }
  if (value.empty()) return;  // "Name:" only suppresses a header libcurl would add
  out->append(line.substr(0, end)).append(": ").append(value).append("\r\n");
}

}  // namespace

bool SendsBody(const protocol::HttpCall& call) { return call.method == "POST"; }

void WriteRequestHead(const protocol::HttpCall& call, std::string_view host_header,
                      std::string_view request_target, std::string* out) {
  out->clear();
  out->append(call.method).append(" ").append(request_target).append(" HTTP/1.1\r\n");
  // A Host of the call's own takes the place of libcurl's (first), not its place among the rest.
  const std::string* custom_host = nullptr;
  for (const std::string& line : call.headers) {
    if (custom_host == nullptr && SameName(NameOf(line), "host")) custom_host = &line;
  }
  if (custom_host == nullptr) {
    out->append("Host: ").append(host_header).append("\r\n");
  } else {
    AppendCallHeader(*custom_host, out);
  }
  if (!Names(call, "accept")) out->append("Accept: */*\r\n");
  for (const std::string& line : call.headers) {
    if (&line != custom_host) AppendCallHeader(line, out);
  }
  if (SendsBody(call)) {
    if (!Names(call, "content-length")) {
      char digits[24];
      const auto [end, error] = std::to_chars(digits, digits + sizeof digits, call.body.size());
      out->append("Content-Length: ").append(digits, end).append("\r\n");
    }
    if (!Names(call, "content-type")) {
      out->append("Content-Type: application/x-www-form-urlencoded\r\n");
    }
  }
  out->append("\r\n");
}

}  // namespace teeharness::engine::http1
