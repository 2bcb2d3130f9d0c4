#include "harness/engine/loop/socket_poller.h"

#include <gtest/gtest.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <thread>
#include <vector>

namespace teeharness::engine {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;
using std::chrono::milliseconds;

std::vector<SocketPoller::Ready> WaitFor(SocketPoller& poller, Clock::duration timeout) {
  std::vector<SocketPoller::Ready> ready;
  poller.Wait(timeout, [&](const SocketPoller::Ready& r) { ready.push_back(r); });
  return ready;
}

class SocketPair {
 public:
  SocketPair() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds_), 0); }
  ~SocketPair() {
    close(fds_[0]);
    close(fds_[1]);
  }
  int a() const { return fds_[0]; }
  int b() const { return fds_[1]; }

 private:
  int fds_[2] = {-1, -1};
};

TEST(SocketPoller, ReportsWatchedSocketsOnly) {
  SocketPoller poller;
  ASSERT_TRUE(poller.ok());
  SocketPair pair;
  poller.Watch(pair.a(), /*in=*/true, /*out=*/false);
  EXPECT_TRUE(WaitFor(poller, Clock::duration::zero()).empty());
  ASSERT_EQ(write(pair.b(), "x", 1), 1);
  std::vector<SocketPoller::Ready> ready = WaitFor(poller, milliseconds(1000));
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].fd, pair.a());
  EXPECT_TRUE(ready[0].in);
  EXPECT_FALSE(ready[0].out);
  // Unwatched, its readiness is not reported (and, level-triggered, not again and again).
  poller.Unwatch(pair.a());
  EXPECT_TRUE(WaitFor(poller, Clock::duration::zero()).empty());
  EXPECT_TRUE(WaitFor(poller, Clock::duration::zero()).empty());
  // Watched again (now for writing too), it is reported again.
  poller.Watch(pair.a(), true, true);
  ready = WaitFor(poller, milliseconds(1000));
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_TRUE(ready[0].in && ready[0].out);
}

TEST(SocketPoller, ANumberReusedByANewSocketIsWatched) {
  SocketPoller poller;
  auto pair = std::make_unique<SocketPair>();
  const int fd = pair->a();
  poller.Watch(fd, true, false);
  poller.Unwatch(fd);
  pair.reset();       // closed while still in the set: it leaves the set by itself
  SocketPair reused;  // the lowest free numbers: very likely the same descriptor
  poller.Watch(reused.a(), true, false);
  ASSERT_EQ(write(reused.b(), "y", 1), 1);
  const std::vector<SocketPoller::Ready> ready = WaitFor(poller, milliseconds(1000));
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].fd, reused.a());
}

TEST(SocketPoller, WakeFromAnotherThreadEndsTheWait) {
  SocketPoller poller;
  const auto start = Clock::now();
  std::thread waker([&] {
    std::this_thread::sleep_for(milliseconds(20));
    poller.Wake();
  });
  EXPECT_TRUE(WaitFor(poller, std::chrono::seconds(10)).empty());
  waker.join();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(5));
  // The wake-up was consumed: the next wait times out.
  const auto again = Clock::now();
  WaitFor(poller, milliseconds(20));
  EXPECT_GE(Clock::now() - again, milliseconds(20));
}

TEST(SocketPoller, SleepsSubMillisecondTimeouts) {
  SocketPoller poller;
  const auto start = Clock::now();
  WaitFor(poller, microseconds(300));
  EXPECT_GE(Clock::now() - start, microseconds(300));
}

// epoll_pwait2 refused with ENOSYS (as on Linux before 5.11), on this thread only.
bool RefuseEpollPwait2OnThisThread() {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_epoll_pwait2, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog program{static_cast<unsigned short>(std::size(filter)), filter};
  return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0;
}

TEST(SocketPoller, WorksWithoutEpollPwait2) {
  std::thread older_kernel([] {
    ASSERT_TRUE(RefuseEpollPwait2OnThisThread());
    SocketPoller poller;
    SocketPair pair;
    poller.Watch(pair.a(), true, false);
    // A timeout still waits (a millisecond one, not a spin to a busy loop)...
    const auto start = Clock::now();
    EXPECT_TRUE(WaitFor(poller, milliseconds(20)).empty());
    EXPECT_GE(Clock::now() - start, milliseconds(20));
    // ...and readiness is still reported.
    ASSERT_EQ(write(pair.b(), "z", 1), 1);
    EXPECT_EQ(WaitFor(poller, milliseconds(1000)).size(), 1u);
  });
  older_kernel.join();
}

}  // namespace
}  // namespace teeharness::engine
