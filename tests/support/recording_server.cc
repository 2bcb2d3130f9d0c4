#include "tests/support/recording_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "tests/support/loopback.h"

namespace teeharness::testing {

RecordingServer::RecordingServer(std::chrono::milliseconds delay, bool answer)
    : delay_(delay), answer_(answer) {
  listen_fd_ = ListenLoopback(512, &port_);
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

RecordingServer::~RecordingServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
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

std::string RecordingServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<RecordingServer::Request> RecordingServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool RecordingServer::WaitForRequests(size_t count, std::chrono::seconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

void RecordingServer::AcceptLoop() {
  while (!stopping_) {
    const int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    if (stopping_) {
      close(fd);
      break;
    }
    ++connections_;
    client_fds_.push_back(fd);
    threads_.emplace_back([this, fd] { Serve(fd); });
  }
}

// Reads requests (head, then Content-Length bytes of body) until the client goes away.
void RecordingServer::Serve(int fd) {
  std::string buffer;
  char chunk[16384];
  while (!stopping_) {
    size_t head_end;
    while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    Request request{buffer.substr(0, head_end), ""};
    size_t content_length = 0;
    for (const char* name : {"\r\nContent-Length:", "\r\ncontent-length:"}) {
      if (const size_t at = request.head.find(name); at != std::string::npos) {
        content_length = std::strtoul(request.head.c_str() + at + std::strlen(name), nullptr, 10);
      }
    }
    while (buffer.size() < head_end + 4 + content_length) {
      const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) return;
      buffer.append(chunk, static_cast<size_t>(n));
    }
    request.body = buffer.substr(head_end + 4, content_length);
    buffer.erase(0, head_end + 4 + content_length);
    {
      std::unique_lock lock(mutex_);
      requests_.push_back(std::move(request));
      changed_.notify_all();
      // The delay (or, not answering, the rest of the run) is waited out on the condition, so
      // that the destructor cuts it short.
      if (!answer_) {
        changed_.wait(lock, [this] { return stopping_.load(); });
        return;
      }
      if (changed_.wait_for(lock, delay_, [this] { return stopping_.load(); })) return;
    }
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    if (send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(reply.size())) {
      return;
    }
  }
}

}  // namespace teeharness::testing
