#include "harness/attestation/gpu/rim/rim_match.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/attestation/gpu/gpu_policy.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation_rim/rim_test_support.h"

namespace teeharness::attestation::gpu::rim {
namespace {

using testing::RimFixture;
using testing::SmallRim;

// Blocks 1..4 holding SmallRim's values (block i+1 = 0x10+i repeated).
std::vector<MeasurementBlock> Blocks() {
  std::vector<MeasurementBlock> blocks;
  for (int i = 0; i < 4; ++i) {
    blocks.push_back({static_cast<uint8_t>(i + 1), 1, 1, crypto::Bytes(48, 0x10 + i)});
  }
  return blocks;
}

SwidTag Tag(const std::string& version, std::vector<int> active) {
  RimFixture f;
  return f.Load(f.Sign(SmallRim(version, std::move(active))))->tag;
}

TEST(RimMatch, EveryActiveMeasurementMatches) {
  const RimMatch m =
      MatchMeasurements(Blocks(), Tag("550.90.07", {2, 3}), Tag("96.00.9F.00.01", {0, 1}));
  EXPECT_TRUE(m.ok());
  EXPECT_EQ(m.matched, 4u);
}

TEST(RimMatch, InactiveEntriesAreNotCompared) {
  std::vector<MeasurementBlock> blocks = Blocks();
  blocks[3].value[0] ^= 1;  // index 3 is inactive in both
  const RimMatch m =
      MatchMeasurements(blocks, Tag("550.90.07", {2}), Tag("96.00.9F.00.01", {0, 1}));
  EXPECT_TRUE(m.ok());
  EXPECT_EQ(m.matched, 3u);
}

TEST(RimMatch, AMismatchNamesTheIndexTheAlternativesAndTheValueFound) {
  std::vector<MeasurementBlock> blocks = Blocks();
  blocks[2].value[0] ^= 1;
  const RimMatch m =
      MatchMeasurements(blocks, Tag("550.90.07", {2, 3}), Tag("96.00.9F.00.01", {0, 1}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.mismatched, 1u);
  ASSERT_EQ(m.failures.size(), 1u);
  const std::string text = m.failures[0].Describe();
  EXPECT_EQ(text, "index 2 (driver): found " + crypto::EncodeHex(blocks[2].value) + ", expected " +
                      crypto::EncodeHex(crypto::Bytes(48, 0x12)));
}

TEST(RimMatch, AMissingBlockOrAWrongSizeFails) {
  std::vector<MeasurementBlock> blocks = Blocks();
  blocks.erase(blocks.begin() + 1);  // block 2 = index 1
  RimMatch m = MatchMeasurements(blocks, Tag("550.90.07", {2, 3}), Tag("96.00.9F.00.01", {0, 1}));
  EXPECT_EQ(m.missing, 1u);
  EXPECT_NE(m.failures.at(0).Describe().find("index 1 (VBIOS): no measurement block 2"),
            std::string::npos);
  blocks = Blocks();
  blocks[0].value.push_back(0);
  m = MatchMeasurements(blocks, Tag("550.90.07", {2, 3}), Tag("96.00.9F.00.01", {0, 1}));
  EXPECT_EQ(m.mismatched, 1u);
}

TEST(RimMatch, AnIndexActiveInBothRimsIsAConflict) {
  const RimMatch m =
      MatchMeasurements(Blocks(), Tag("550.90.07", {1, 2}), Tag("96.00.9F.00.01", {0, 1}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.conflicts, std::vector<int>{1});
}

TEST(RimMatch, AnyAlternativeIsAccepted) {
  RimFixture f;
  mocks::pki::RimDocument doc = SmallRim("550.90.07", {2, 3});
  doc.entries[2].values.insert(doc.entries[2].values.begin(), crypto::Bytes(48, 0xee));
  const SwidTag driver = f.Load(f.Sign(doc))->tag;
  EXPECT_TRUE(MatchMeasurements(Blocks(), driver, Tag("96.00.9F.00.01", {0, 1})).ok());
}

class RimStoreTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("rim_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  RimFixture f_;
};

TEST_F(RimStoreTest, SelectsTheDriverAndVbiosRimsByVersion) {
  Write("driver_550.swidtag", f_.Sign(SmallRim("550.90.07", {2, 3})));
  Write("driver_545.swidtag", f_.Sign(SmallRim("545.00", {2, 3})));
  Write("1010_0200_882_96009F0001.swidtag", f_.Sign(SmallRim("96.00.9F.00.01", {0, 1})));
  Write("notes.txt", "ignored");
  Result<RimStore> store = RimStore::LoadDirectory(dir_.string(), f_.roots, testing::kAt);
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(store->rims().size(), 3u);
  EXPECT_EQ((*store->FindDriver("550.90.07"))->file, "driver_550.swidtag");
  EXPECT_EQ((*store->FindDriver("545.00"))->file, "driver_545.swidtag");
  EXPECT_EQ((*store->FindVbios("96.00.9f.00.01", {}))->file, "1010_0200_882_96009F0001.swidtag");
  Result<const LoadedRim*> none = store->FindDriver("560.35.03");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().find("no driver RIM for driver 560.35.03: 3 RIM(s) in " + dir_.string() +
                              ", 2 driver (545.00, 550.90.07)"),
            std::string::npos)
      << none.error();
  EXPECT_FALSE(store->FindVbios("96.00.5E.00.01", {}).ok());
}

TEST_F(RimStoreTest, SeveralVbiosRimsOfAVersionAreNarrowedByNvidiasFileId) {
  mocks::pki::RimDocument a = SmallRim("96.00.9F.00.01", {0});
  a.tag_id = "a";
  mocks::pki::RimDocument b = SmallRim("96.00.9F.00.01", {1});
  b.tag_id = "b";
  Write("1010_0200_882_96009F0001_PROD.swidtag", f_.Sign(a));
  Write("1010_0205_862_96009F0001_PROD.swidtag", f_.Sign(b));
  Result<RimStore> store = RimStore::LoadDirectory(dir_.string(), f_.roots, testing::kAt);
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_FALSE(store->FindVbios("96.00.9F.00.01", {}).ok());
  Result<const LoadedRim*> picked = store->FindVbios("96.00.9F.00.01", {"1010", "0205", "862"});
  ASSERT_TRUE(picked.ok()) << picked.error();
  EXPECT_EQ((*picked)->tag.tag_id, "b");
}

TEST_F(RimStoreTest, ARimThatFailsToVerifyNamesTheFile) {
  Write("good.swidtag", f_.Sign(SmallRim("550.90.07", {2})));
  RimFixture other;
  Write("foreign.swidtag", other.Sign(SmallRim("545.00", {2})));
  Result<RimStore> store = RimStore::LoadDirectory(dir_.string(), f_.roots, testing::kAt);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find("foreign.swidtag: signing chain"), std::string::npos)
      << store.error();
  EXPECT_FALSE(RimStore::LoadDirectory("/nonexistent/rims", f_.roots, testing::kAt).ok());
}

// GPU-MEASURE over the mock's own evidence and RIMs, and its fault.
TEST(GpuMeasure, TheMocksEvidenceMatchesTheMocksRimsAndItsFaultFails) {
  RimFixture f;
  Result<mocks::pki::MockRims> rims = mocks::pki::BuildMockRims(f.pki);
  ASSERT_TRUE(rims.ok()) << rims.error();
  GpuPolicy policy;
  policy.rim_dir = "mock";
  policy.rims = std::make_shared<RimStore>(
      "mock", std::vector<LoadedRim>{*f.Load(rims->driver), *f.Load(rims->vbios)});
  const crypto::Bytes nonce(32, 7);
  for (bool wrong : {false, true}) {
    mocks::GpuFaults faults;
    faults.wrong_measurement = wrong;
    const mocks::MockGpuEvidence e = mocks::BuildGpuEvidence(f.pki, 0, nonce, faults);
    Result<SpdmEvidence> spdm = ParseSpdmEvidence(e.evidence);
    ASSERT_TRUE(spdm.ok());
    GpuRimSummary summary;
    const CheckResult c = CheckGpuMeasurements(policy, *spdm, &summary);
    EXPECT_EQ(c.state, wrong ? CheckState::kFail : CheckState::kPass) << c.reason;
    EXPECT_TRUE(summary.compared);
    EXPECT_EQ(summary.driver_version, "550.90.07");
    EXPECT_EQ(summary.vbios_version, "96.00.9F.00.01");
    EXPECT_EQ(summary.matched, wrong ? 7u : 8u);
    if (wrong) {
      EXPECT_NE(c.reason.find("1 of 8 active measurements differ"), std::string::npos) << c.reason;
      EXPECT_NE(c.reason.find("index 2 (VBIOS): found"), std::string::npos) << c.reason;
    }
  }
  // No RIM for the evidence's driver: fails naming the version and the folder's holdings.
  GpuPolicy vbios_only;
  vbios_only.rims =
      std::make_shared<RimStore>("rims/", std::vector<LoadedRim>{*f.Load(rims->vbios)});
  Result<SpdmEvidence> spdm =
      ParseSpdmEvidence(mocks::BuildGpuEvidence(f.pki, 0, nonce, {}).evidence);
  const CheckResult c = CheckGpuMeasurements(vbios_only, *spdm);
  EXPECT_EQ(c.state, CheckState::kFail);
  EXPECT_NE(c.reason.find("no driver RIM for driver 550.90.07: 1 RIM(s) in rims/, 0 driver"),
            std::string::npos)
      << c.reason;
  EXPECT_EQ(CheckGpuMeasurements(GpuPolicy{}, *spdm).state, CheckState::kSkip);
}

}  // namespace
}  // namespace teeharness::attestation::gpu::rim
