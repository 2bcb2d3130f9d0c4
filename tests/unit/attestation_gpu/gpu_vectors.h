#pragma once

#include <string>
#include <vector>

#include "harness/crypto/base64.h"
#include "harness/crypto/bytes.h"
#include "harness/crypto/hex.h"
#include "tests/unit/attestation/vectors.h"

namespace teeharness::attestation::gpu::testing {

// The real H100 evidence of tests/vectors/attestation/gpu (nvtrust's no-GPU sample) and its chain.
inline constexpr const char* kVectorNonce =
    "931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb";
inline constexpr int64_t kGpuAt = 1735689600;  // 2025-01-01T00:00:00Z, inside every validity

inline std::string EvidenceHexText() {
  return attestation::testing::ReadVector("gpu/nvtrust-h100.evidence.hex");
}

inline crypto::Bytes EvidenceBytes() {
  std::string text = EvidenceHexText();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return *crypto::DecodeHex(text);
}

inline std::string ChainPem() {
  return attestation::testing::ReadVector("gpu/nvtrust-h100.certchain.pem");
}

inline crypto::Bytes VectorNonce() { return *crypto::DecodeHex(kVectorNonce); }

// The PEM blocks of `pem`, in order.
inline std::vector<std::string> PemBlocks(const std::string& pem) {
  std::vector<std::string> blocks;
  constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  size_t at = 0;
  while (true) {
    const size_t begin = pem.find("-----BEGIN CERTIFICATE-----", at);
    if (begin == std::string::npos) break;
    const size_t end = pem.find(kEnd, begin);
    if (end == std::string::npos) break;
    blocks.push_back(pem.substr(begin, end + kEnd.size() - begin) + "\n");
    at = end + kEnd.size();
  }
  return blocks;
}

// PEM text of one DER certificate (64-character lines).
inline std::string ToPem(crypto::ByteSpan der) {
  const std::string b64 = crypto::EncodeBase64(der);
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  return pem + "-----END CERTIFICATE-----\n";
}

// An nvidia_payload JSON text holding `count` copies of the real evidence.
inline std::string PayloadJson(size_t count, bool hex_text_evidence = false,
                               const std::string& nonce = kVectorNonce) {
  const std::string cert = crypto::EncodeBase64(crypto::AsBytes(ChainPem()));
  const std::string evidence = hex_text_evidence
                                   ? crypto::EncodeBase64(crypto::AsBytes(EvidenceHexText()))
                                   : crypto::EncodeBase64(EvidenceBytes());
  std::string list;
  for (size_t i = 0; i < count; ++i) {
    list += (i ? "," : "") + std::string("{\"arch\":\"HOPPER\",\"certificate\":\"") + cert +
            "\",\"evidence\":\"" + evidence + "\"}";
  }
  return "{\"arch\":\"HOPPER\",\"evidence_list\":[" + list + "],\"nonce\":\"" + nonce + "\"}";
}

}  // namespace teeharness::attestation::gpu::testing
