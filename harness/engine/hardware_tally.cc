#include "harness/engine/hardware_tally.h"

#include <utility>

namespace teeharness::engine {
namespace {

// Counts `key`; once `max_distinct` keys are held, a new one is counted under `overflow` instead.
template <typename Key>
void Bump(std::map<Key, uint64_t>& counts, Key key, size_t max_distinct, const Key& overflow) {
  if (counts.count(key) == 0 && counts.size() >= max_distinct) key = overflow;
  ++counts[std::move(key)];
}

}  // namespace

void HardwareTally::Count(const attestation::ReportHardware& hardware) {
  std::lock_guard lock(mutex_);
  if (hardware.gpus) {
    ++gpu_reports_;
    ++gpu_verdicts_[std::string(attestation::VerdictName(hardware.gpus->verdict()))];
    for (const attestation::gpu::GpuVerification& gpu : hardware.gpus->gpus) {
      if (gpu.nonce.empty()) continue;  // did not parse: no firmware to speak of
      Bump(firmware_, FirmwareKey{gpu.driver, gpu.vbios}, kMaxDistinct,
           FirmwareKey{kOverflow, kOverflow});
    }
  }
  if (hardware.dstack) {
    ++dstack_verdicts_[std::string(attestation::VerdictName(hardware.dstack->verdict()))];
    const attestation::dstack::DstackEvidence& e = hardware.dstack->evidence;
    Bump(identities_,
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
