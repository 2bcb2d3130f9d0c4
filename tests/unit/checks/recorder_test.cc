#include "harness/checks/recorder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "harness/base/secrets.h"
#include "harness/checks/evidence_text.h"

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

namespace teeharness::checks {
namespace {

TEST(PrintableEvidence, KeepsUtf8AndEscapesEverythingElse) {
  EXPECT_EQ(PrintableEvidence("caf\xC3\xA9 \xE2\x82\xAC ok"), "caf\xC3\xA9 \xE2\x82\xAC ok");
  EXPECT_EQ(PrintableEvidence(std::string_view("a\0b\x01\n\t\x7F", 7)),
            "a\\u0000b\\u0001\\n\\t\\u007F");
  EXPECT_EQ(PrintableEvidence("bad \xFF\xC3 end"), "bad \\xFF\\xC3 end");
  EXPECT_EQ(PrintableEvidence("\xC0\xAF"), "\\xC0\\xAF");                    // overlong "/"
  EXPECT_EQ(PrintableEvidence("\xED\xA0\x80"), "\\xED\\xA0\\x80");           // a UTF-16 surrogate
  EXPECT_EQ(PrintableEvidence("\xF4\x90\x80\x80"), "\\xF4\\x90\\x80\\x80");  // past U+10FFFF
  EXPECT_EQ(PrintableEvidence(std::string(5000, 'x'), 10), "xxxxxxxxxx...");
  // Cut at a character boundary, never inside one.
  EXPECT_EQ(PrintableEvidence("\xE2\x82\xAC\xE2\x82\xAC", 4), "\xE2\x82\xAC...");
}

TEST(Recorder, StoresPrintableBoundedEvidence) {
  Recorder recorder(5);
  recorder.Record(
      "p", Outcome::Fail("SIG-FORMAT", std::string("sig \xFF\0", 6) + std::string(10 << 20, 'a')));
  const auto tallies = recorder.PhaseTallies("p");
  ASSERT_EQ(tallies.size(), 1u);
  const std::string& evidence = tallies[0].second.evidence.at(0);
  EXPECT_EQ(evidence.substr(0, 16), "sig \\xFF\\u0000aa");
  EXPECT_LE(evidence.size(), kMaxEvidenceBytes + 3);
}

TEST(Recorder, RedactsRegisteredSecretsEvenWhereTheCutWouldHalveThem) {
  const std::string key = "sk-recorder-test-0123456789";
  RegisterSecret(key);
  Recorder recorder(5);
  recorder.Record("p", Outcome::Fail("SIG-TEXT", "echo: Bearer " + key + " and " + key));
  // The key straddles the 1 KB cut: a prefix must not survive it.
  recorder.Record("p", Outcome::Fail("SIG-TEXT", std::string(kMaxEvidenceBytes - 10, 'x') + key));
  const auto tallies = recorder.PhaseTallies("p");
  ASSERT_EQ(tallies.size(), 1u);
  const auto& evidence = tallies[0].second.evidence;
  ASSERT_EQ(evidence.size(), 2u);
  EXPECT_EQ(evidence[0], "echo: Bearer [redacted] and [redacted]");
  EXPECT_EQ(evidence[1].find("sk-rec"), std::string::npos) << evidence[1];
  EXPECT_EQ(RedactSecrets("no secret here"), "no secret here");
}

TEST(Recorder, ASkipIsNeitherAPassNorAFailure) {
  Recorder recorder;
  recorder.Record("a", {Outcome::Skip("QUOTE-TCB", "no collateral"),
                        Outcome::Skip("QUOTE-TCB", "other"), Outcome::Pass("QUOTE-SIG")});
  const auto a = recorder.PhaseTallies("a");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].second.skipped, 2u);
  EXPECT_EQ(a[0].second.passed, 0u);
  EXPECT_EQ(a[0].second.failed, 0u);
  EXPECT_EQ(a[0].second.skip_reason, "no collateral");
  EXPECT_TRUE(a[0].second.evidence.empty());
  EXPECT_EQ(recorder.TotalFailures(), 0u);
  EXPECT_EQ(Outcome::Skip("X", "r").result(), "skip");
  EXPECT_EQ(Outcome::Pass("X").result(), "pass");
  EXPECT_EQ(Outcome::Fail("X", "e").result(), "fail");
}

}  // namespace
}  // namespace teeharness::checks
