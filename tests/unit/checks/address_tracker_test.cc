#include "harness/checks/address_tracker.h"

#include <gtest/gtest.h>

namespace teeharness::checks {
namespace {

constexpr const char* kA = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
constexpr const char* kALower = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
constexpr const char* kB = "0x50f9b35e94dfa4805a8c69c50ba13841a06c1216";

bool AllPassed(const std::vector<Outcome>& outcomes) {
  for (const Outcome& o : outcomes) {
    if (!o.passed) return false;
  }
  return true;
}

TEST(AddressTracker, StableAddressInAnyCasePasses) {
  AddressTracker tracker({});
  EXPECT_TRUE(AllPassed(tracker.OnAttested(kA)));
  EXPECT_TRUE(AllPassed(tracker.OnAttested(kALower)));
  EXPECT_EQ(tracker.changes(), 0u);
  EXPECT_TRUE(tracker.OnSigned(kA, "c1").empty());  // before any restart nothing to attribute
}

TEST(AddressTracker, AlternatingAddressesAreReportedAsReplicas) {
  AddressTracker tracker({});
  tracker.OnAttested(kA);
  const auto outcomes = tracker.OnAttested(kB);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_FALSE(outcomes[0].passed);
  EXPECT_EQ(outcomes[0].id, "ADDR-STABLE");
  EXPECT_NE(outcomes[0].evidence.find("replicas"), std::string::npos);
  EXPECT_NE(outcomes[0].evidence.find(kB), std::string::npos);
  tracker.OnAttested(kA);
  EXPECT_EQ(tracker.changes(), 2u);
  EXPECT_EQ(tracker.epoch_addresses().size(), 2u);
}

TEST(AddressTracker, EphemeralRestartNewAddressReattested) {
  AddressTracker tracker({});
  tracker.OnAttested(kA);
  tracker.OnRestart();
  // A signature before re-attestation cannot be attributed.
  auto early = tracker.OnSigned(kB, "c0");
  ASSERT_EQ(early.size(), 1u);
  EXPECT_FALSE(early[0].passed);
  EXPECT_TRUE(AllPassed(tracker.OnAttested(kB)));
  EXPECT_EQ(tracker.changes(), 1u);
  EXPECT_TRUE(AllPassed(tracker.OnSigned(kB, "c1")));
  auto stale = tracker.OnSigned(kA, "c2");  // signed by the pre-restart key
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_FALSE(stale[0].passed);
  EXPECT_NE(stale[0].evidence.find("c2"), std::string::npos);
}

TEST(AddressTracker, StableAcrossRestartsFailsWhenAddressChanges) {
  AddressTracker tracker({AddressExpectation::Kind::kStableAcrossRestarts, ""});
  tracker.OnAttested(kA);
  tracker.OnRestart();
  const auto outcomes = tracker.OnAttested(kB);
  bool restart_failed = false;
  for (const Outcome& o : outcomes) restart_failed |= o.id == "ADDR-RESTART" && !o.passed;
  EXPECT_TRUE(restart_failed);
  AddressTracker same({AddressExpectation::Kind::kStableAcrossRestarts, ""});
  same.OnAttested(kA);
  same.OnRestart();
  EXPECT_TRUE(AllPassed(same.OnAttested(kALower)));
}

TEST(AddressTracker, PinnedAddress) {
  AddressTracker tracker({AddressExpectation::Kind::kPinned, kALower});
  EXPECT_TRUE(AllPassed(tracker.OnAttested(kA)));
  const auto outcomes = tracker.OnAttested(kB);
  EXPECT_FALSE(AllPassed(outcomes));
  EXPECT_NE(outcomes[0].evidence.find("pinned"), std::string::npos);
}

}  // namespace
}  // namespace teeharness::checks
