#include "harness/checks/recorder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace teeharness::checks {
namespace {

class CountingSink : public OutcomeSink {
 public:
  void OnOutcome(std::string_view, const Outcome& outcome) override {
    (outcome.passed ? passed : failed).fetch_add(1);
  }
  std::atomic<int> passed{0};
  std::atomic<int> failed{0};
};

TEST(Recorder, TalliesPerPhaseWithBoundedEvidenceInFirstSeenOrder) {
  CountingSink sink;
  Recorder recorder(2, &sink);
  recorder.Record("a", Outcome::Pass("SIG-TEXT"));
  recorder.Record("a", {Outcome::Fail("NONCE-ECHO", "e1"), Outcome::Fail("NONCE-ECHO", "e2"),
                        Outcome::Fail("NONCE-ECHO", "e3")});
  recorder.Record("b", Outcome::Pass("SIG-TEXT"));
  const auto a = recorder.PhaseTallies("a");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].first, "SIG-TEXT");
  EXPECT_EQ(a[1].first, "NONCE-ECHO");
  EXPECT_EQ(a[1].second.failed, 3u);
  EXPECT_EQ(a[1].second.evidence, (std::vector<std::string>{"e1", "e2"}));
  EXPECT_EQ(recorder.PhaseTallies("b").size(), 1u);
  EXPECT_TRUE(recorder.PhaseTallies("missing").empty());
  EXPECT_EQ(recorder.TotalFailures(), 3u);
  EXPECT_EQ(sink.passed.load(), 2);
  EXPECT_EQ(sink.failed.load(), 3);
}

TEST(Recorder, ConcurrentWorkersLoseNothing) {
  Recorder recorder;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&recorder] {
      for (int i = 0; i < 5000; ++i) {
        recorder.Record("p",
                        i % 10 == 0 ? Outcome::Fail("SIG-TEXT", "x") : Outcome::Pass("SIG-TEXT"));
      }
    });
  }
  for (auto& worker : workers) worker.join();
  const auto tallies = recorder.PhaseTallies("p");
  ASSERT_EQ(tallies.size(), 1u);
  EXPECT_EQ(tallies[0].second.passed + tallies[0].second.failed, 20000u);
  EXPECT_EQ(tallies[0].second.failed, 2000u);
}

}  // namespace
}  // namespace teeharness::checks
