#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation {

// Intel's signed identity of the Quoting Enclave (TD_QE, version 2). Value type.
struct QeIdentity {
  std::string id;
  int version = 0;
  int64_t issue_date = 0, next_update = 0;
  int tcb_evaluation_data_number = 0;
  uint32_t miscselect = 0, miscselect_mask = 0;
  crypto::Bytes attributes, attributes_mask;  // 16 each
  crypto::Bytes mrsigner;                     // 32
  uint16_t isvprodid = 0;
  struct Level {
    uint16_t isvsvn = 0;
    std::string tcb_date, status;
    std::vector<std::string> advisory_ids;
  };
  std::vector<Level> levels;  // highest first
};

// Parses the enclaveIdentity object's text (also the wrapped {"enclaveIdentity":...} form).
// Errors name the field path. Thread-safe (pure).
Result<QeIdentity> ParseQeIdentity(std::string_view json);

}  // namespace teeharness::attestation
