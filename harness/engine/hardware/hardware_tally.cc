#include "harness/engine/hardware/hardware_tally.h"

#include <utility>

#include "harness/engine/bounded_counts.h"

namespace teeharness::engine {
void HardwareTally::Count(const attestation::ReportHardware& hardware) {
  std::lock_guard lock(mutex_);
  if (hardware.gpus) {
    ++gpu_reports_;
    ++gpu_verdicts_[std::string(attestation::VerdictName(hardware.gpus->verdict()))];
    for (const attestation::gpu::GpuVerification& gpu : hardware.gpus->gpus) {
      if (gpu.nonce.empty()) continue;  // did not parse: no firmware to speak of
      CountBounded(firmware_, FirmwareKey{gpu.driver, gpu.vbios}, kMaxDistinct,
                   FirmwareKey{kOverflow, kOverflow});
    }
  }
  if (hardware.dstack) {
    ++dstack_verdicts_[std::string(attestation::VerdictName(hardware.dstack->verdict()))];
    const attestation::dstack::DstackEvidence& e = hardware.dstack->evidence;
    CountBounded(
        identities_,
        IdentityKey{e.app_id, e.instance_id, e.compose_hash, e.os_image_hash, e.key_provider},
        kMaxDistinct, IdentityKey{kOverflow, kOverflow, kOverflow, kOverflow, kOverflow});
  }
}

void HardwareTally::AddTo(reports::AttestationSummary& summary) const {
  std::lock_guard lock(mutex_);
  summary.gpu_reports = gpu_reports_;
  summary.gpu_verdicts = gpu_verdicts_;
  summary.dstack_verdicts = dstack_verdicts_;
  summary.gpu_firmware.clear();
  for (const auto& [key, count] : firmware_) {
    summary.gpu_firmware.push_back({std::get<0>(key), std::get<1>(key), count});
  }
  summary.dstack.clear();
  for (const auto& [key, count] : identities_) {
    const auto& [app, instance, compose, os_image, provider] = key;
    summary.dstack.push_back({app, instance, compose, os_image, provider, count});
  }
}

}  // namespace teeharness::engine
