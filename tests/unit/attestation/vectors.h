#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "harness/crypto/bytes.h"

namespace teeharness::attestation::testing {

// The real Intel-signed vectors copied from ../shared/vectors/attestation (see its README).
inline std::string ReadVector(const std::string& relative) {
  std::ifstream in(std::string(TEEHARNESS_VECTORS_DIR) + "/attestation/" + relative,
                   std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline crypto::Bytes ReadVectorBytes(const std::string& relative) {
  const std::string text = ReadVector(relative);
  return crypto::Bytes(text.begin(), text.end());
}

constexpr int64_t kV4At = 1752919234;  // 2025-07-19T10:00:34Z
constexpr int64_t kV5At = 1774003274;  // 2026-03-20T10:41:14Z

}  // namespace teeharness::attestation::testing
