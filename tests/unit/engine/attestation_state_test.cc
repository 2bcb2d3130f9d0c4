#include <gtest/gtest.h>

#include "harness/engine/run_state.h"

namespace teeharness::engine {
namespace {

const std::string kGateway(64, 'e');
const std::string kModelA = "0x1111111111111111111111111111111111111111";
const std::string kModelB = "0x2222222222222222222222222222222222222222";

bool Passed(const std::vector<checks::Outcome>& outcomes) {
  for (const checks::Outcome& o : outcomes) {
    if (!o.passed) return false;
  }
  return true;
}

// NEAR 2026: the tracked identity is the model attestation the chats bind to, recorded when a
// provider_tee signature verifies against it, and kept while later responses still list it.
TEST(AttestationState, Near2026RecordsTheModelAttestationTheChatsBindTo) {
  AttestationState state({});
  EXPECT_TRUE(Passed(state.OnAttestedNear(kGateway, {kModelA, kModelB})));
  AttestationState::Identity id = state.Current();
  EXPECT_EQ(id.address, kModelA);  // until a signature says otherwise: the first
  EXPECT_EQ(id.gateway_address, kGateway);
  EXPECT_EQ(id.model_addresses, (std::vector<std::string>{kModelA, kModelB}));
  state.BindModel(kModelB);
  EXPECT_EQ(state.Current().address, kModelB);
  state.BindModel(kGateway);  // not a model attestation: ignored
  EXPECT_EQ(state.Current().address, kModelB);
  // The next response lists the models in another order: the bound one stays.
  state.OnAttestedNear(kGateway, {kModelA, kModelB});
  EXPECT_EQ(state.Current().address, kModelB);
  // A flat report clears the 2026 identity.
  state.OnAttested(kModelA, "");
  EXPECT_TRUE(state.Current().gateway_address.empty());
  EXPECT_TRUE(state.Current().model_addresses.empty());
}

TEST(AttestationState, GatewayOnlyResponsesTrackTheGateway) {
  AttestationState state({});
  state.OnAttestedNear(kGateway, {});
  EXPECT_EQ(state.Current().address, kGateway);
  state.OnRestart();
  EXPECT_TRUE(state.Current().address.empty());
  EXPECT_TRUE(state.Current().gateway_address.empty());
}

TEST(AttestationState, FreshnessIsKeptPerAttestationOfAResponse) {
  AttestationState state({});
  state.SetPrevious(0, "fp-gateway", "n1", "gateway_attestation");
  state.SetPrevious(0, "fp-model", "n1", "model_attestations[0]");
  EXPECT_EQ(state.Previous(0, "gateway_attestation").first, "fp-gateway");
  EXPECT_EQ(state.Previous(0, "model_attestations[0]").first, "fp-model");
  EXPECT_TRUE(state.Previous(0).first.empty());
  EXPECT_TRUE(state.Previous(1, "gateway_attestation").first.empty());
}

// The reports' list of signing addresses: the first, then one entry per change (and the address
// again after a restart), never one per report; bounded however often a target flaps.
TEST(AttestationState, SightingsRecordEachChangeOnceAndStayBounded) {
  AttestationState state({});
  state.OnAttested(kModelA, "");
  state.OnAttested(kModelA, "");
  state.OnAttested("0x2222222222222222222222222222222222222222", "");
  state.OnRestart();
  state.OnAttested(kModelB, "");
  std::vector<AttestationState::Sighting> sightings = state.Sightings();
  ASSERT_EQ(sightings.size(), 3u);
  EXPECT_EQ(sightings[0].address, kModelA);
  EXPECT_EQ(sightings[0].epoch, 0);
  EXPECT_EQ(sightings[1].address, kModelB);
  EXPECT_EQ(sightings[2].address, kModelB);  // again, after the restart
  EXPECT_EQ(sightings[2].epoch, 1);
  EXPECT_LE(sightings[0].at, sightings[2].at);
  for (int i = 0; i < 1000; ++i) state.OnAttested(i % 2 ? kModelA : kModelB, "");
  EXPECT_EQ(state.Sightings().size(), AttestationState::kMaxSightings);
  EXPECT_GE(state.address_changes(), 1000u);
}

}  // namespace
}  // namespace teeharness::engine
