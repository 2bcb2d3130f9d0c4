// NVIDIA's own signed RIMs (nvtrust's no-GPU samples) and RIM root. They may not be committed
// here; the test reads them from ../shared/vectors/attestation/gpu/rim (relative to the repo) or
// from $TEEHARNESS_NVIDIA_RIM_DIR, and skips, saying so, when they are absent.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/attestation/gpu/rim/rim_match.h"
#include "harness/attestation/gpu/rim/rim_store.h"
#include "harness/attestation/gpu/spdm_evidence.h"
#include "harness/attestation/pki/certificate.h"
#include "tests/unit/attestation_gpu/gpu_vectors.h"

namespace teeharness::attestation::gpu::rim {
namespace {

constexpr const char* kDriverFile = "Driver_RIM_test_no_gpu.swidtag";
constexpr const char* kVbiosFile = "1010_0200_882_96005E0001_test_no_gpu.swidtag";
constexpr const char* kRootFile = "verifier_RIM_root.pem";
// Inside every certificate's validity (the signing leaf: 2023-06-27 .. 2025-06-26).
constexpr int64_t kAt = 1717200000;  // 2024-06-01T00:00:00Z

std::string RimDir() {
  if (const char* env = std::getenv("TEEHARNESS_NVIDIA_RIM_DIR"); env && *env) return env;
  return std::filesystem::path(std::string(TEEHARNESS_SOURCE_DIR) +
                               "/../shared/vectors/attestation/gpu/rim")
      .lexically_normal()
      .string();
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class RealNvidiaRims : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = RimDir();
    for (const char* file : {kDriverFile, kVbiosFile, kRootFile}) {
      if (!std::filesystem::exists(dir_ + "/" + file)) {
        GTEST_SKIP() << "NVIDIA's sample RIMs are not present: " << dir_ << "/" << file
                     << " is missing (copy nvtrust's samples/" << kDriverFile << ", samples/"
                     << kVbiosFile << " and certs/" << kRootFile
                     << " there, or point TEEHARNESS_NVIDIA_RIM_DIR at a folder holding them)";
      }
    }
    Result<pki::Certificate> root = pki::Certificate::FromPem(Read(dir_ + "/" + kRootFile));
    ASSERT_TRUE(root.ok()) << root.error();
    roots_.push_back(*root);
  }
  Result<LoadedRim> Load(const char* file, int64_t at = kAt) const {
    return LoadRim(Read(dir_ + "/" + file), file, roots_, at);
  }

  std::string dir_;
  std::vector<pki::Certificate> roots_;
};

TEST_F(RealNvidiaRims, BothSignaturesVerifyToNvidiasRimRoot) {
  Result<LoadedRim> driver = Load(kDriverFile);
  ASSERT_TRUE(driver.ok()) << driver.error();
  EXPECT_EQ(driver->kind, RimKind::kDriver);
  EXPECT_EQ(driver->tag.colloquial_version, "545.00");
  EXPECT_EQ(driver->tag.meta.at("PlatformModel"), "GH100");
  EXPECT_EQ(driver->tag.meta.at("FirmwareManufacturer"), "NVIDIA Corporation");
  EXPECT_EQ(driver->signature.signature, "ecdsa-sha384");
  EXPECT_EQ(driver->signature.digest, "sha384");
  EXPECT_NE(driver->signature.root.find("NVIDIA CoRIM signing Root CA"), std::string::npos)
      << driver->signature.root;
  Result<LoadedRim> vbios = Load(kVbiosFile);
  ASSERT_TRUE(vbios.ok()) << vbios.error();
  EXPECT_EQ(vbios->kind, RimKind::kVbios);
  EXPECT_EQ(vbios->tag.colloquial_version, "96.00.5E.00.01");
  EXPECT_EQ(vbios->tag.measurements.size(), 64u);  // 12 of them active
}

TEST_F(RealNvidiaRims, OneEditedByteOrAnExpiredSignerIsRejected) {
  std::string text = Read(dir_ + "/" + kDriverFile);
  const std::string active = "index=\"7\" active=\"True\"";
  const size_t at = text.find(active);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, active.size(), "index=\"7\" active=\"False\"");
  Result<LoadedRim> edited = LoadRim(text, kDriverFile, roots_, kAt);
  ASSERT_FALSE(edited.ok());
  EXPECT_NE(edited.error().find("DigestValue"), std::string::npos) << edited.error();
  // The signing leaf expired on 2025-06-26.
  Result<LoadedRim> late = Load(kDriverFile, 1767225600);  // 2026-01-01
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.error().find("signing chain"), std::string::npos) << late.error();
}

// The H100 evidence we ship (nvtrust's newer sample) is of driver 550.90.07 / VBIOS
// 96.00.9F.00.01, not the 545.00 / 96.00.5E.00.01 these no-GPU RIMs describe: selection by
// version finds none, and a forced comparison shows which golden values it does and does not
// meet (the index mapping: RIM index i is SPDM block i + 1).
TEST_F(RealNvidiaRims, TheShippedEvidenceIsOfOtherVersionsAndIsComparedIndexByIndex) {
  Result<LoadedRim> driver = Load(kDriverFile);
  Result<LoadedRim> vbios = Load(kVbiosFile);
  ASSERT_TRUE(driver.ok() && vbios.ok());
  Result<SpdmEvidence> spdm = ParseSpdmEvidence(testing::EvidenceBytes());
  ASSERT_TRUE(spdm.ok()) << spdm.error();
  const RimStore store("nvtrust samples", {*driver, *vbios});
  Result<const LoadedRim*> by_version = store.FindDriver(spdm->opaque.DriverVersion());
  ASSERT_FALSE(by_version.ok());
  EXPECT_NE(by_version.error().find("no driver RIM for driver 550.90.07"), std::string::npos)
      << by_version.error();
  EXPECT_NE(by_version.error().find("545.00"), std::string::npos) << by_version.error();
  const RimMatch match = MatchMeasurements(spdm->blocks, driver->tag, vbios->tag);
  EXPECT_TRUE(match.conflicts.empty());
  EXPECT_EQ(match.missing, 0u);
  EXPECT_EQ(match.matched, 13u);
  EXPECT_EQ(match.mismatched, 20u);
}

// nvtrust's older no-GPU sample report (attestationReport.txt, driver 545.00) is the evidence
// these RIMs were made for: when it is present too, every active golden measurement must match.
TEST_F(RealNvidiaRims, TheMatchingSampleReportMeetsEveryActiveMeasurement) {
  const std::string path = dir_ + "/attestationReport.txt";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << path << " is absent (nvtrust's initial samples/attestationReport.txt)";
  }
  std::string hex = Read(path);
  while (!hex.empty() && std::isspace(static_cast<unsigned char>(hex.back()))) hex.pop_back();
  Result<crypto::Bytes> bytes = crypto::DecodeHex(hex);
  ASSERT_TRUE(bytes.ok()) << bytes.error();
  Result<SpdmEvidence> spdm = ParseSpdmEvidence(*bytes);
  ASSERT_TRUE(spdm.ok()) << spdm.error();
  Result<LoadedRim> driver = Load(kDriverFile);
  Result<LoadedRim> vbios = Load(kVbiosFile);
  ASSERT_TRUE(driver.ok() && vbios.ok());
  const RimMatch match = MatchMeasurements(spdm->blocks, driver->tag, vbios->tag);
  EXPECT_TRUE(match.ok()) << (match.failures.empty() ? "" : match.failures[0].Describe());
  EXPECT_EQ(match.matched, 33u);
  const RimStore store("nvtrust samples", {*driver, *vbios});
  EXPECT_TRUE(store.FindDriver(spdm->opaque.DriverVersion()).ok()) << spdm->opaque.DriverVersion();
}

}  // namespace
}  // namespace teeharness::attestation::gpu::rim
