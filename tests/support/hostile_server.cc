#include "tests/support/hostile_server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "tests/support/loopback.h"

namespace teeharness::testing {
namespace {

constexpr const char* kNonUtf8Report =
    "{\"signing_address\":\"0x\xff\xfe\xfd\",\"signing_algo\":\"ecdsa\","
    "\"request_nonce\":\"\xc3\x28\",\"intel_quote\":\"zz\x80\","
    "\"nvidia_payload\":\"\xed\xa0\x80\"}";

constexpr const char* kHugeNumbersReport =
    "{\"signing_address\":123456789012345678901234567890123456789012345678901234567890,"
    "\"signing_algo\":1e308,\"request_nonce\":-1e308,\"intel_quote\":18446744073709551616,"
    "\"nvidia_payload\":-9223372036854775809}";

std::string Response(const std::string& status, const std::string& headers,
                     const std::string& body) {
  return "HTTP/1.1 " + status + "\r\n" + headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

size_t Collect(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

// `text` as the inside of a JSON string.
std::string JsonEscaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

HostileServer::HostileServer(std::string mode, std::string path_prefix, std::string upstream)
    : mode_(std::move(mode)), prefix_(std::move(path_prefix)), upstream_(std::move(upstream)) {
  listen_fd_ = ListenLoopback(128, &port_);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

HostileServer::~HostileServer() {
  stopping_ = true;
  wake_.notify_all();
  shutdown(listen_fd_, SHUT_RDWR);
  close(listen_fd_);
  acceptor_.join();
  {
    std::lock_guard lock(mutex_);
    for (int fd : client_fds_) shutdown(fd, SHUT_RDWR);  // unblocks reads and writes
  }
  for (std::thread& thread : threads_) thread.join();
  for (int fd : client_fds_) close(fd);
}

std::string HostileServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void HostileServer::AcceptLoop() {
  while (!stopping_) {
    const int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    if (stopping_) {
      close(fd);
      break;
    }
    client_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

bool HostileServer::Send(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return !stopping_;
}

bool HostileServer::Pause(int milliseconds) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, std::chrono::milliseconds(milliseconds),
                         [this] { return stopping_.load(); });
}

// Reads requests (headers, then Content-Length bytes of body) until the client goes away.
void HostileServer::Serve(int fd) {
  std::string buffer;
  char chunk[16384];
  while (!stopping_) {
    size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    const std::string head = buffer.substr(0, header_end);
    size_t content_length = 0;
    for (const char* name : {"Content-Length:", "content-length:"}) {
      if (const size_t at = head.find(name); at != std::string::npos) {
        content_length = std::strtoul(head.c_str() + at + std::strlen(name), nullptr, 10);
      }
    }
    while (buffer.size() < header_end + 4 + content_length) {
      const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    const std::string body = buffer.substr(header_end + 4, content_length);
    buffer.erase(0, header_end + 4 + content_length);
    const size_t space = head.find(' ');
    const std::string method = head.substr(0, space);
    const std::string target = head.substr(space + 1, head.find(' ', space + 1) - space - 1);
    if (target.rfind(prefix_, 0) == 0) {
      ++attacks_;
      Attack(fd, head);
      shutdown(fd, SHUT_RDWR);  // every attack ends the connection (closed by the destructor)
      return;
    }
    if (!Relay(fd, head, method, target, body)) return;
  }
}

bool HostileServer::Relay(int fd, const std::string& head, const std::string& method,
                          const std::string& target, const std::string& body) {
  CURL* easy = curl_easy_init();
  std::string response_body, response_headers;
  curl_easy_setopt(easy, CURLOPT_URL, (upstream_ + target).c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &response_body);
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  // The client's credentials go on to the upstream (a mock that may require them).
  for (const char* name : {"\r\nAuthorization:", "\r\nauthorization:"}) {
    if (const size_t at = head.find(name); at != std::string::npos) {
      headers = curl_slist_append(headers,
                                  head.substr(at + 2, head.find("\r\n", at + 2) - at - 2).c_str());
    }
  }
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  if (method == "POST") {
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  const CURLcode code = curl_easy_perform(easy);
  long status = 502;
  char* content_type = nullptr;
  if (code == CURLE_OK) {
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type);
  }
  const std::string type = content_type ? content_type : "application/json";
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  return Send(fd, Response(std::to_string(status) + " Relayed", "Content-Type: " + type + "\r\n",
                           response_body));
}

void HostileServer::Attack(int fd, const std::string& head) {
  const std::string json = "Content-Type: application/json\r\n";
  if (mode_ == "endless_headers") {
    if (!Send(fd, "HTTP/1.1 200 OK\r\n" + json)) return;
    const std::string line = "X-Filler: " + std::string(200, 'h') + "\r\n";
    std::string block;
    for (int i = 0; i < 64; ++i) block += line;
    while (Send(fd, block)) {
    }
  } else if (mode_ == "huge_body") {
    if (!Send(fd, "HTTP/1.1 200 OK\r\n" + json + "Connection: close\r\n\r\n")) return;
    const std::string block(1 << 20, ' ');
    for (int i = 0; i < 1024 && Send(fd, block); ++i) {
    }
  } else if (mode_ == "huge_declared") {
    if (!Send(fd, "HTTP/1.1 200 OK\r\n" + json + "Content-Length: 1073741824\r\n\r\n")) return;
    const std::string block(1 << 20, ' ');
    for (int i = 0; i < 1024 && Send(fd, block); ++i) {
    }
  } else if (mode_ == "endless_stream") {
    if (!Send(fd,
              "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
              "Transfer-Encoding: chunked\r\n\r\n"))
      return;
    const std::string event =
        "data: {\"id\":\"chatcmpl-endless\",\"choices\":[{\"delta\":{\"content\":\"more \"}}]}\n\n";
    char size[16];
    std::snprintf(size, sizeof(size), "%zx\r\n", event.size());
    while (Send(fd, size + event + "\r\n") && Pause(20)) {
    }
  } else if (mode_ == "dribble") {
    if (!Send(fd, "HTTP/1.1 200 OK\r\n" + json + "Content-Length: 1000\r\n\r\n")) return;
    while (Send(fd, "{") && Pause(1000)) {
    }
  } else if (mode_ == "invalid_utf8") {
    Send(fd, Response("200 OK", json, kNonUtf8Report));
  } else if (mode_ == "deep_json") {
    Send(fd, Response("200 OK", json, "{\"signing_address\":" + std::string(100000, '[')));
  } else if (mode_ == "huge_numbers") {
    Send(fd, Response("200 OK", json, kHugeNumbersReport));
  } else if (mode_ == "nul_bytes") {
    static constexpr char kWithNuls[] =
        "{\"signing_address\":\"0x\0\0\",\"signing_algo\":\"ecdsa\0\","
        "\"request_nonce\":\"\0\",\"intel_quote\":\"00\"}";
    Send(fd, Response("200 OK", json, std::string(kWithNuls, sizeof(kWithNuls) - 1)));
  } else if (mode_ == "huge_signature") {
    const std::string body = "{\"text\":\"a:b\",\"signature\":\"0x" + std::string(10 << 20, 'a') +
                             "\",\"signing_address\":\"0x" + std::string(40, '1') +
                             "\",\"signing_algo\":\"ecdsa\"}";
    Send(fd, Response("200 OK", json, body));
  } else if (mode_ == "lying_length") {
    if (Send(fd, "HTTP/1.1 200 OK\r\n" + json + "Content-Length: 100000\r\n\r\n{\"id\":")) {
      while (Pause(100)) {
      }
    }
  } else if (mode_ == "short_length") {
    Send(fd, "HTTP/1.1 200 OK\r\n" + json + "Content-Length: 10\r\n\r\n{\"signing_address\":\"0x" +
                 std::string(40, '1') + "\"}");
  } else if (mode_ == "echo_request") {
    const std::string body = "{\"text\":\"" + JsonEscaped(head) + "\",\"signature\":\"0x" +
                             std::string(130, '1') + "\",\"signing_address\":\"0x" +
                             std::string(40, '1') + "\",\"signing_algo\":\"ecdsa\"}";
    Send(fd, Response("200 OK", json + "X-Echo: " + JsonEscaped(head) + "\r\n", body));
  } else if (mode_ == "garbage") {
    std::string bytes(4096, '\0');
    uint32_t state = 0x9e3779b9;  // xorshift: the same bytes every time
    for (char& c : bytes) {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      c = static_cast<char>(state & 0xff);
    }
    Send(fd, bytes);
  } else if (mode_ == "silent") {
    while (Pause(100)) {
    }
  } else if (mode_ == "close_mid_body") {
    Send(fd,
         "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 1000\r\n\r\n"
         "data: {\"id\":\"chatcmpl-cut\",\"choices\":[{\"delta\":{\"con");
  }
}

}  // namespace teeharness::testing
