#include "tests/support/processes.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <fstream>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"

extern char** environ;

namespace teeharness::testing {

pid_t SpawnProcess(std::vector<std::string> args, const std::string& stderr_path,
                   const std::string& stdout_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int StopProcess(pid_t pid) {
  if (pid <= 0) return -1;
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int WaitProcess(pid_t pid, std::chrono::seconds timeout) {
  if (pid <= 0) return -1;
  int status = 0;
  const bool exited = WaitFor([&] { return waitpid(pid, &status, WNOHANG) == pid; }, timeout);
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -2;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t length = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  close(fd);
  return ntohs(addr.sin_port);
}

int MetricsPortFrom(const std::string& stderr_path) {
  std::ifstream in(stderr_path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  constexpr std::string_view kPrefix = "metrics on http://127.0.0.1:";
  const size_t at = text.find(kPrefix);
  return at == std::string::npos ? 0 : std::atoi(text.c_str() + at + kPrefix.size());
}

PromResult QueryPrometheus(int port, const std::string& promql) {
  std::string encoded;
  for (char c : promql) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      encoded += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", static_cast<unsigned char>(c));
      encoded += hex;
    }
  }
  const HttpReply reply = HttpRequest(
      "GET", "http://127.0.0.1:" + std::to_string(port) + "/api/v1/query?query=" + encoded);
  rapidjson::Document doc;
  doc.Parse(reply.body.c_str());
  PromResult result;
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("data") || !doc["data"].IsObject() ||
      !doc["data"]["result"].IsArray()) {
    return result;
  }
  const auto& series = doc["data"]["result"];
  result.series = static_cast<int>(series.Size());
  if (!series.Empty()) result.value = std::stod(series[0]["value"][1].GetString());
  return result;
}

pid_t StartPrometheus(const std::string& dir, int port, const std::vector<int>& target_ports) {
  std::string targets;
  for (int target : target_ports) {
    targets +=
        (targets.empty() ? "'" : ", '") + std::string("127.0.0.1:") + std::to_string(target) + "'";
  }
  std::ofstream(dir + "/prometheus.yml")
      << "global: { scrape_interval: 1s }\nscrape_configs:\n"
      << "  - job_name: teeharness\n"
      << "    static_configs: [ { targets: [" << targets << "] } ]\n";
  return SpawnProcess({"/usr/bin/prometheus", "--config.file=" + dir + "/prometheus.yml",
                       "--storage.tsdb.path=" + dir + "/tsdb",
                       "--web.listen-address=127.0.0.1:" + std::to_string(port)},
                      dir + "/prometheus.err");
}

}  // namespace teeharness::testing
