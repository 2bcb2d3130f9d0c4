#pragma once

#include <sys/epoll.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <vector>

namespace teeharness::engine {

// The readiness half of a worker loop: an epoll set of the sockets libcurl asks to be watched,
// plus an eventfd that wakes the wait from other threads. Replaces curl_multi_poll, which rebuilt
// and polled the whole connection set on every turn; epoll only reports the sockets that are ready.
// libcurl stops watching a kept-alive connection after each transfer and watches it again for the
// next one: a socket it stops watching stays in the set (no epoll_ctl), and is only taken out if it
// reports readiness while unwatched (the server closed the idle connection, say). Watching it again
// is one EPOLL_CTL_MOD, which also proves the set still holds that very socket (a closed
// descriptor leaves the set by itself; its number reused by a new socket is added afresh).
// Thread-safety: Wake() may be called from any thread; everything else only on the loop thread.
class SocketPoller {
 public:
  struct Ready {
    int fd;
    bool in;
    bool out;
    bool error;
  };

  SocketPoller();
  ~SocketPoller();
  SocketPoller(const SocketPoller&) = delete;
  SocketPoller& operator=(const SocketPoller&) = delete;

  // False when the epoll set or the eventfd could not be created (descriptor limit).
  bool ok() const { return epoll_fd_ >= 0 && wake_fd_ >= 0; }
  // Watches `fd` for reading and/or writing, replacing what it was watched for.
  void Watch(int fd, bool in, bool out);
  // Stops reporting `fd` (it may stay in the set until it reports readiness or is closed).
  void Unwatch(int fd);
  // Makes the current or next Wait return at once.
  void Wake();
  // Waits up to `timeout` (0: just looks; nanosecond resolution, so that a timer due in 300 us
  // is slept to, not spun for) and calls on_ready(const Ready&) for each ready socket. A wake-up
  // is consumed here and reported as nothing. Returns how many sockets were ready.
  template <typename OnReady>
  int Wait(std::chrono::nanoseconds timeout, OnReady&& on_ready) {
    const int count = WaitRaw(timeout);
    int sockets = 0;
    for (int i = 0; i < count; ++i) {
      const epoll_event& event = events_[static_cast<size_t>(i)];
      if (event.data.fd == wake_fd_) {
        DrainWake();
        continue;
      }
      if (!Watched(event.data.fd)) {
        Forget(event.data.fd);  // ready while unwatched: level-triggered, it would fire again
        continue;
      }
      ++sockets;
      on_ready(Ready{event.data.fd, (event.events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) != 0,
                     (event.events & EPOLLOUT) != 0, (event.events & EPOLLERR) != 0});
    }
    return sockets;
  }

 private:
  // What the set holds for a descriptor (indexed by descriptor number).
  struct Entry {
    bool in_set = false;   // added (it may have left since, closed)
    bool watched = false;  // the caller wants its readiness
  };

  int WaitRaw(std::chrono::nanoseconds timeout);
  void DrainWake();
  bool Watched(int fd) const {
    return fd >= 0 && static_cast<size_t>(fd) < entries_.size() && entries_[fd].watched;
  }
  void Forget(int fd);
  Entry& EntryFor(int fd);

  bool no_pwait2_ = false;  // the kernel lacks epoll_pwait2 (ENOSYS)
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::array<epoll_event, 256> events_{};
  std::vector<Entry> entries_;
};

}  // namespace teeharness::engine
