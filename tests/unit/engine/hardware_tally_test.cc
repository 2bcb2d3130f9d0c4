#include "harness/engine/hardware/hardware_tally.h"

#include <gtest/gtest.h>

#include <string>

namespace teeharness::engine {
namespace {

attestation::ReportHardware Report(const std::string& driver, const std::string& app_id,
                                   int gpus = 2) {
  attestation::ReportHardware r;
  r.gpus.emplace();
  for (int i = 0; i < gpus; ++i) {
    attestation::gpu::GpuVerification gpu;
    gpu.index = static_cast<size_t>(i);
    gpu.nonce = std::string(64, 'a');
    gpu.driver = driver;
    gpu.vbios = "96.00.9F.00.01";
    gpu.checks = {{"GPU-SIG", attestation::CheckState::kPass, ""}};
    r.gpus->gpus.push_back(gpu);
  }
  r.dstack.emplace();
  r.dstack->checks = {{"EVENTLOG-REPLAY", attestation::CheckState::kPass, ""}};
  r.dstack->evidence.app_id = app_id;
  r.dstack->evidence.key_provider = "kms";
  return r;
}

TEST(HardwareTally, CountsEachFirmwareAndAppIdentityWithHowOftenItWasSeen) {
  HardwareTally tally;
  tally.Count(Report("550.90.07", "app-1"));
  tally.Count(Report("550.90.07", "app-1"));
  tally.Count(Report("555.42.02", "app-2", 1));
  reports::AttestationSummary s;
  tally.AddTo(s);
  EXPECT_EQ(s.gpu_reports, 3u);
  ASSERT_EQ(s.gpu_firmware.size(), 2u);
  EXPECT_EQ(s.gpu_firmware[0].driver, "550.90.07");
  EXPECT_EQ(s.gpu_firmware[0].evidences, 4u);
  EXPECT_EQ(s.gpu_firmware[1].evidences, 1u);
  ASSERT_EQ(s.dstack.size(), 2u);
  EXPECT_EQ(s.dstack[0].app_id, "app-1");
  EXPECT_EQ(s.dstack[0].reports, 2u);
  EXPECT_EQ(s.dstack_verdicts.at("valid"), 3u);
  // Merging two summaries (a run that restarted the mock) adds the counts of the same values.
  reports::AttestationSummary total = s;
  reports::MergeAttestationSummary(s, total);
  EXPECT_EQ(total.gpu_firmware[0].evidences, 8u);
  EXPECT_EQ(total.dstack[1].reports, 2u);
  EXPECT_EQ(total.gpu_reports, 6u);
}

// A server that sends another app id in every report cannot grow the summary without bound.
TEST(HardwareTally, DistinctValuesAreBounded) {
  HardwareTally tally;
  for (int i = 0; i < 200; ++i) tally.Count(Report("d" + std::to_string(i), std::to_string(i), 1));
  reports::AttestationSummary s;
  tally.AddTo(s);
  EXPECT_LE(s.gpu_firmware.size(), 65u);
  EXPECT_LE(s.dstack.size(), 65u);
  uint64_t reports = 0;
  for (const auto& d : s.dstack) reports += d.reports;
  EXPECT_EQ(reports, 200u);  // nothing is lost: the excess is counted under the overflow entry
}

}  // namespace
}  // namespace teeharness::engine
