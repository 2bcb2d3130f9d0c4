// Pushing to Debian's real prometheus-pushgateway on loopback: the final push carries the run's
// totals under job="teeharness" and the scenario/instance grouping labels; an unreachable gateway
// is counted and reported but never fails the run.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <thread>

#include "tests/support/mock_server.h"
#include "tests/support/paths.h"
#include "tests/support/processes.h"
#include "tests/support/run_report.h"
#include "tests/support/subprocess.h"

extern char** environ;

namespace teeharness {
namespace {

TEST(Pushgateway, FinalPushCarriesTheRunAndFailuresAreNotFatal) {
  const int port = testing::FreePort();
  std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(port);
  std::vector<char*> argv = {const_cast<char*>("/usr/bin/prometheus-pushgateway"), listen.data(),
                             nullptr};
  pid_t gateway = -1;
  ASSERT_EQ(posix_spawn(&gateway, argv[0], nullptr, nullptr, argv.data(), environ), 0);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  for (int i = 0; i < 200 && testing::HttpRequest("GET", base + "/-/ready").status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  std::vector<std::string> args = {testing::TeeharnessBinary(),
                                   "run",
                                   testing::SourceDir() + "/scenarios/conformance-phala.json",
                                   "--quiet",
                                   "--pushgateway",
                                   base};
  for (const std::string& arg : testing::CorrectnessOverrides()) args.push_back(arg);
  const auto run = testing::RunProcess(args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const std::string pushed = testing::HttpRequest("GET", base + "/metrics").body;
  EXPECT_NE(pushed.find("teeharness_checks_total{"), std::string::npos);
  EXPECT_NE(pushed.find("job=\"teeharness\""), std::string::npos);
  EXPECT_NE(pushed.find("scenario=\"conformance-phala\""), std::string::npos);
  EXPECT_NE(pushed.find("op=\"chat\""), std::string::npos);
  EXPECT_NE(pushed.find("teeharness_pushgateway_failures_total{"), std::string::npos);
  kill(gateway, SIGTERM);
  waitpid(gateway, nullptr, 0);

  // The gateway is gone now: the run still passes, and says the push failed.
  args = {testing::TeeharnessBinary(),
          "run",
          testing::SourceDir() + "/scenarios/smoke.json",
          "--quiet",
          "--pushgateway",
          base};
  for (const std::string& arg : testing::CorrectnessOverrides()) args.push_back(arg);
  const auto unreachable = testing::RunProcess(args);
  EXPECT_EQ(unreachable.exit_code, 0) << unreachable.err;
  EXPECT_NE(unreachable.err.find("pushes to the Pushgateway failed"), std::string::npos)
      << unreachable.err;
}

}  // namespace
}  // namespace teeharness
