// Opens N keep-alive connections to HOST:PORT, sends one small request on each (so the server has
// parsed and answered it and now holds an idle keep-alive session), prints "ready N" and waits for
// SIGTERM. Used by mock_throughput.sh to measure the server's RSS with 10,000 idle connections.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: idle_connections HOST PORT COUNT\n");
    return 2;
  }
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[2])));
  inet_pton(AF_INET, argv[1], &addr.sin_addr);
  const int count = std::atoi(argv[3]);
  const std::string request = "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n";
  std::vector<int> fds;
  for (int i = 0; i < count; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      std::fprintf(stderr, "connection %d failed\n", i);
      return 1;
    }
    if (write(fd, request.data(), request.size()) < 0) return 1;
    fds.push_back(fd);
  }
  char buffer[4096];
  for (int fd : fds) {
    if (read(fd, buffer, sizeof(buffer)) <= 0) return 1;  // the answer: the session is now idle
  }
  std::printf("ready %d\n", count);
  std::fflush(stdout);
  pause();
  return 0;
}
