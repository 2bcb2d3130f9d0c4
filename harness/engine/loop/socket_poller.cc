#include "harness/engine/loop/socket_poller.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <thread>

namespace teeharness::engine {

SocketPoller::SocketPoller()
    : epoll_fd_(epoll_create1(EPOLL_CLOEXEC)), wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
  if (!ok()) return;
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = wake_fd_;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &event);
}

SocketPoller::~SocketPoller() {
  if (wake_fd_ >= 0) close(wake_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
}

SocketPoller::Entry& SocketPoller::EntryFor(int fd) {
  if (static_cast<size_t>(fd) >= entries_.size()) entries_.resize(static_cast<size_t>(fd) + 64);
  return entries_[static_cast<size_t>(fd)];
}

void SocketPoller::Watch(int fd, bool in, bool out) {
  if (fd < 0) return;
  Entry& entry = EntryFor(fd);
  epoll_event event{};
  event.events = (in ? EPOLLIN : 0u) | (out ? EPOLLOUT : 0u);
  event.data.fd = fd;
  entry.watched = true;
  // MOD first when it was added: ENOENT when the descriptor was closed (it left the set) and its
  // number now names a new socket; EEXIST when a socket is in the set that we did not know of.
  if (entry.in_set && epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) == 0) return;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0 && errno == EEXIST) {
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
  }
  entry.in_set = true;
}

void SocketPoller::Unwatch(int fd) {
  if (fd >= 0 && static_cast<size_t>(fd) < entries_.size()) entries_[fd].watched = false;
}

void SocketPoller::Forget(int fd) {
  // ENOENT/EBADF when the descriptor was closed first: it already left the set.
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  if (fd >= 0 && static_cast<size_t>(fd) < entries_.size()) entries_[fd] = Entry{};
}

void SocketPoller::Wake() {
  const uint64_t one = 1;
  // EAGAIN only when the counter is saturated: a wake-up is pending anyway.
  [[maybe_unused]] const ssize_t written = write(wake_fd_, &one, sizeof one);
}

void SocketPoller::DrainWake() {
  uint64_t count = 0;
  [[maybe_unused]] const ssize_t read_bytes = read(wake_fd_, &count, sizeof count);
}

int SocketPoller::WaitRaw(std::chrono::nanoseconds timeout) {
  if (epoll_fd_ < 0) {
    std::this_thread::sleep_for(timeout);  // no set (descriptor limit): the loop only runs timers
    return 0;
  }
  const int max_events = static_cast<int>(events_.size());
  const int64_t ns = std::max<int64_t>(timeout.count(), 0);
  int count = -1;
  if (!no_pwait2_) {
    const timespec wait{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    count = epoll_pwait2(epoll_fd_, events_.data(), max_events, &wait, nullptr);
    // Linux before 5.11 (or a sandbox that filters it) has no epoll_pwait2: millisecond waits
    // from then on, sub-millisecond ones spun through as before it existed.
    if (count < 0 && errno == ENOSYS) no_pwait2_ = true;
  }
  if (no_pwait2_) count = epoll_wait(epoll_fd_, events_.data(), max_events, ns / 1000000);
  return count < 0 ? 0 : count;  // EINTR: the loop recomputes its timeout and waits again
}

}  // namespace teeharness::engine
