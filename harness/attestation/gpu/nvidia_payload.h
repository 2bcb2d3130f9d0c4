#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::gpu {

// One GPU's entry of `evidence_list`, decoded from base64. Value type.
struct GpuEvidenceEntry {
  std::string arch;
  std::string certificate_pem;  // the PEM chain, leaf first
  crypto::Bytes evidence;       // SPDM bytes (hex text already decoded)
  std::string problem;          // non-empty when this entry could not be decoded
};

// `nvidia_payload`: {arch, evidence_list:[{arch, certificate, evidence}], nonce}. Value type.
struct NvidiaPayload {
  std::string arch;
  std::string nonce;  // as the server wrote it (hex text)
  std::vector<GpuEvidenceEntry> gpus;
};

// Parses the payload's JSON text (phala and near ship it as a string field; io.net as the `gpu`
// object, serialised). An Error when it is not a JSON object or `evidence_list` is not an array;
// a bad entry is kept with its `problem` so that the other GPUs are still verified. Never throws.
// Thread-safe.
Result<NvidiaPayload> ParseNvidiaPayload(std::string_view json_text);

}  // namespace teeharness::attestation::gpu
