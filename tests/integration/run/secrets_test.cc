// An API key given through the scenario's environment variable appears in no output: stdout,
// stderr, the JSON report, JUnit, /metrics, the Pushgateway payload, error messages, any process
// command line. The target is a real mock that requires the key, behind a server that echoes the
// request (Authorization header included) back as signed text, so the key does reach the
// harness's evidence and must be redacted there.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "tests/support/files.h"
#include "tests/support/hostile_server.h"
#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/processes.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

constexpr const char* kKeyVariable = "TEEHARNESS_SECRETS_TEST_KEY";
constexpr const char* kKey = "sk-live-TEEHARNESS-CANARY-7f3a9c21e5";

// Every process's command line, NULs shown as spaces: pid -> text.
std::map<std::string, std::string> CommandLines() {
  std::map<std::string, std::string> lines;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string pid = entry.path().filename();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream file(entry.path() / "cmdline", std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    std::string line = text.str();
    for (char& c : line) c = c == '\0' ? ' ' : c;
    lines[pid] = line;
  }
  return lines;
}

// Searches each artifact for the key; names the ones that hold it.
void ExpectNoKeyIn(const std::map<std::string, std::string>& artifacts) {
  for (const auto& [name, text] : artifacts) {
    EXPECT_EQ(text.find(kKey), std::string::npos) << "the API key leaked into " << name;
  }
}

class Secrets : public ::testing::Test {
 protected:
  // The mock (and any child) reads the key from the inherited environment, as the harness does.
  void SetUp() override { setenv(kKeyVariable, kKey, 1); }
  void TearDown() override { unsetenv(kKeyVariable); }
};

std::string Scenario(const std::string& target) {
  return std::string(R"({
  "name": "secrets",
  "target": { )") +
         target + R"( "dialect": "phala", "api_key_env": ")" + kKeyVariable + R"(" },
  "mock": { "api_key_env": ")" +
         kKeyVariable + R"(" },
  "request": { "messages": [{"role": "user", "content": "hi"}], "max_tokens": 4 },
  "phases": [
    { "name": "chat", "flow": "verified_chat", "iterations": 4 },
    { "name": "negative", "flow": "negative" },
    { "name": "load", "flow": "verified_chat", "max_in_flight": 20,
      "arrival_rate": { "from": 20, "to": 20, "over": "3s" } }
  ]
})";
}

struct Artifacts {
  int exit_code = -1;
  std::map<std::string, std::string> texts;  // name -> content
  std::string report;
};

// Runs the scenario with every output switched on; reads the command lines of every process
// while the run is under way and the final /metrics while it lingers.
Artifacts RunWithEveryOutput(const std::string& scenario_text, const std::string& pushgateway) {
  testing::TempDir dir;
  const std::string scenario = dir.Write("scenario.json", scenario_text);
  const std::string report = dir.path() + "/report.json", junit = dir.path() + "/junit.xml";
  const std::string out = dir.path() + "/run.out", err = dir.path() + "/run.err";
  const pid_t run = testing::SpawnProcess(
      {testing::TeeharnessBinary(), "run", scenario, "--report-json", report, "--junit", junit,
       "--metrics-listen", "127.0.0.1:0", "--linger", "5m", "--pushgateway", pushgateway},
      err, out);
  Artifacts artifacts;
  int metrics_port = 0;
  EXPECT_TRUE(testing::WaitFor([&] { return (metrics_port = testing::MetricsPortFrom(err)) > 0; },
                               std::chrono::seconds(20)));
  // The load phase lasts 3 s: command lines are read while requests carry the key.
  std::string command_lines;
  for (const auto& [pid, line] : CommandLines()) command_lines += pid + ": " + line + "\n";
  EXPECT_NE(command_lines.find(std::to_string(run) + ": " + testing::TeeharnessBinary() + " run"),
            std::string::npos)
      << command_lines;
  artifacts.texts["command lines"] = command_lines;
  EXPECT_TRUE(
      testing::WaitFor([&] { return std::ifstream(report).good(); }, std::chrono::seconds(60)));
  const std::string metrics =
      testing::HttpRequest("GET", "http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics")
          .body;
  EXPECT_NE(metrics.find("teeharness_checks_total{"), std::string::npos);
  artifacts.texts["/metrics"] = metrics;
  artifacts.exit_code = testing::StopProcess(run);
  const std::string pushed = testing::HttpRequest("GET", pushgateway + "/metrics").body;
  EXPECT_NE(pushed.find("scenario=\"secrets\""), std::string::npos);  // the push happened
  artifacts.texts["Pushgateway payload"] = pushed;
  artifacts.report = testing::ReadFileOrFail(report);
  artifacts.texts["JSON report"] = artifacts.report;
  artifacts.texts["JUnit"] = testing::ReadFileOrFail(junit);
  artifacts.texts["stdout"] = testing::ReadFileOrFail(out);
  artifacts.texts["stderr"] = testing::ReadFileOrFail(err);
  return artifacts;
}

// Debian's prometheus-pushgateway on loopback, stopped with the test.
class Pushgateway {
 public:
  Pushgateway() : port_(testing::FreePort()) {
    pid_ = testing::SpawnProcess({"/usr/bin/prometheus-pushgateway",
                                  "--web.listen-address=127.0.0.1:" + std::to_string(port_)},
                                 dir_.path() + "/pushgateway.err");
    ready_ = testing::WaitFor(
        [&] { return testing::HttpRequest("GET", url() + "/-/ready").status == 200; },
        std::chrono::seconds(20));
  }
  ~Pushgateway() { testing::StopProcess(pid_); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  bool ready() const { return ready_; }

 private:
  testing::TempDir dir_;
  int port_;
  pid_t pid_ = -1;
  bool ready_ = false;
};

TEST_F(Secrets, KeyEchoedByTheServerIsRedactedEverywhere) {
  testing::MockServer mock({"--dialect", "phala", "--api-key-env", kKeyVariable});
  ASSERT_TRUE(mock.started());
  // Attestations and chats reach the mock (which checks the key); signature fetches are answered
  // with the request head as signed text.
  testing::HostileServer echo("echo_request", "/v1/signature/", mock.url(""));
  Pushgateway gateway;
  ASSERT_TRUE(gateway.ready());
  const Artifacts run =
      RunWithEveryOutput(Scenario("\"base_url\": \"" + echo.base_url() + "\","), gateway.url());
  EXPECT_EQ(run.exit_code, 1) << run.texts.at("stderr");  // SIG-TEXT fails on the echoed text
  EXPECT_GT(echo.attacks(), 0);
  // The key did reach the evidence, and was replaced there: the test can fail.
  EXPECT_NE(run.report.find("Authorization: Bearer [redacted]"), std::string::npos) << run.report;
  EXPECT_NE(run.texts.at("stdout").find("[redacted]"), std::string::npos);
  // The mock accepted the key: attestation and chat got through.
  EXPECT_NE(run.report.find("\"ATTEST-SCHEMA\""), std::string::npos);
  EXPECT_EQ(run.report.find("\"http_401\""), std::string::npos) << run.report;
  ExpectNoKeyIn(run.texts);
}

TEST_F(Secrets, BuiltInMockRequiringTheKeyLeaksItNowhere) {
  Pushgateway gateway;
  ASSERT_TRUE(gateway.ready());
  const Artifacts run = RunWithEveryOutput(Scenario(""), gateway.url());
  EXPECT_EQ(run.exit_code, 0) << run.texts.at("stderr") << run.report;
  // The negative flow's probe without the key got the mock's 401: the key was required.
  EXPECT_NE(run.report.find("\"ERR-SHAPE\""), std::string::npos);
  ExpectNoKeyIn(run.texts);
}

TEST_F(Secrets, MissingVariableIsNamedWithoutAnyValue) {
  testing::TempDir dir;
  const std::string scenario =
      dir.Write("scenario.json", Scenario("\"base_url\": \"http://127.0.0.1:9\","));
  unsetenv(kKeyVariable);
  const auto missing = testing::RunProcess({testing::TeeharnessBinary(), "run", scenario});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find(kKeyVariable), std::string::npos) << missing.err;
  // A key given on the command line instead (a --set of a field that does not exist) is refused
  // without being repeated.
  const auto on_command_line = testing::RunProcess({testing::TeeharnessBinary(), "run", scenario,
                                                    "--set", std::string("target.api_key=") + kKey},
                                                   {{kKeyVariable, kKey}});
  EXPECT_EQ(on_command_line.exit_code, 2);
  ExpectNoKeyIn({{"stdout", on_command_line.out}, {"stderr", on_command_line.err}});
}

}  // namespace
}  // namespace teeharness
