#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

#include "harness/attestation/gpu/gpu_verifier.h"

namespace teeharness::attestation::gpu {

// Writes `{index, nonce, driver, vbios, checks:[{id, result, reason}]}` for one GPU (the
// elements of the JSON report's `gpus` array). Thread-safe (pure).
void WriteGpuJson(rapidjson::Writer<rapidjson::StringBuffer>& w, const GpuVerification& gpu);

// The stable `teeharness attest gpu --json` object: {verdict, checks:[...], gpus:[one GPU]}.
std::string GpuVerificationJson(const GpuVerification& gpu);

}  // namespace teeharness::attestation::gpu
