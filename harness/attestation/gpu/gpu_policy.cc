#include "harness/attestation/gpu/gpu_policy.h"

#include "harness/attestation/gpu/rim/rim_match.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation::gpu {

CheckResult CheckGpuCount(size_t count, const GpuPolicy& policy) {
  if (!policy.expected_count) {
    return {"GPU-COUNT", CheckState::kSkip, "no expected GPU count given (expect.gpus)"};
  }
  const std::string got = std::to_string(count) + " GPU evidence" + (count == 1 ? "" : "s");
  if (count != *policy.expected_count) {
    return {"GPU-COUNT", CheckState::kFail,
            got + "; expected " + std::to_string(*policy.expected_count)};
  }
  return {"GPU-COUNT", CheckState::kPass, got + ", as expected"};
}

namespace {

CheckResult Measure(CheckState state, std::string reason) {
  return {"GPU-MEASURE", state, std::move(reason)};
}

std::string MatchFailures(const rim::RimMatch& match) {
  std::string out;
  for (int index : match.conflicts) {
    out += (out.empty() ? "" : "; ") + std::string("index ") + std::to_string(index) +
           " is active in both the driver and the VBIOS RIM";
  }
  constexpr size_t kShown = 3;
  for (size_t i = 0; i < match.failures.size() && i < kShown; ++i) {
    out += (out.empty() ? "" : "; ") + match.failures[i].Describe();
  }
  if (match.failures.size() > kShown) {
    out += "; and " + std::to_string(match.failures.size() - kShown) + " more";
  }
  return out;
}

}  // namespace

CheckResult CheckGpuMeasurements(const GpuPolicy& policy, const SpdmEvidence& spdm,
                                 GpuRimSummary* summary) {
  if (!policy.rims) {
    return Measure(CheckState::kSkip,
                   policy.rim_dir.empty()
                       ? "no reference integrity manifests given (expect.gpu_rims, --rims): "
                         "measurements not compared"
                       : "the RIMs of " + policy.rim_dir + " were not loaded: not compared");
  }
  const rim::RimStore& store = *policy.rims;
  Result<const rim::LoadedRim*> driver = store.FindDriver(spdm.opaque.DriverVersion());
  if (!driver.ok()) return Measure(CheckState::kFail, driver.error());
  Result<const rim::LoadedRim*> vbios =
      store.FindVbios(spdm.opaque.VbiosVersion(), rim::VbiosIdentityOf(spdm.opaque));
  if (!vbios.ok()) return Measure(CheckState::kFail, vbios.error());
  const rim::RimMatch match = rim::MatchMeasurements(spdm.blocks, (*driver)->tag, (*vbios)->tag);
  if (summary != nullptr) {
    *summary = {(*driver)->file,
                (*driver)->tag.tag_id,
                (*driver)->tag.colloquial_version,
                (*vbios)->file,
                (*vbios)->tag.tag_id,
                (*vbios)->tag.colloquial_version,
                match.matched,
                match.mismatched,
                match.missing,
                true};
  }
  const std::string rims = "driver RIM " + (*driver)->tag.colloquial_version + " (" +
                           (*driver)->file + "), VBIOS RIM " + (*vbios)->tag.colloquial_version +
                           " (" + (*vbios)->file + ")";
  if (!match.ok()) {
    return Measure(CheckState::kFail,
                   std::to_string(match.mismatched + match.missing) + " of " +
                       std::to_string(match.matched + match.mismatched + match.missing) +
                       " active measurements differ from " + rims + ": " + MatchFailures(match));
  }
  return Measure(CheckState::kPass,
                 std::to_string(match.matched) + " active measurements equal " + rims +
                     "; RIM signatures verified at load, their OCSP not checked: offline");
}

Result<crypto::Bytes> ExpectedGpuNonce(protocol::Dialect dialect, std::string_view sent_nonce_hex) {
  std::string hex(sent_nonce_hex);
  if (dialect == protocol::Dialect::kIonet && hex.size() < 64) hex.append(64 - hex.size(), '0');
  return crypto::DecodeHexExact(hex, 32);
}

}  // namespace teeharness::attestation::gpu
