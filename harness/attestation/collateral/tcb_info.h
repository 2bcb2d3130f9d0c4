#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation {

// One TCB level of Intel's TCB info (TDX, version 3).
struct TcbLevel {
  std::array<uint8_t, 16> sgx_components{};
  uint16_t pce_svn = 0;
  std::array<uint8_t, 16> tdx_components{};
  std::string tcb_date;
  std::string status;
  std::vector<std::string> advisory_ids;
};

// A TDX module identity (tdxModuleIdentities[]): the module of one major version and its levels.
struct TdxModuleIdentity {
  std::string id;                 // "TDX_" + two hex digits of the major version, e.g. "TDX_03"
  crypto::Bytes mrsigner;         // 48
  crypto::Bytes attributes;       // 8
  crypto::Bytes attributes_mask;  // 8
  struct Level {
    uint8_t isvsvn = 0;
    std::string tcb_date, status;
    std::vector<std::string> advisory_ids;
  };
  std::vector<Level> levels;
};

struct TdxModule {
  crypto::Bytes mrsigner, attributes, attributes_mask;
};

// Intel's TCB info for one FMSPC. Value type.
struct TcbInfo {
  std::string id;  // "TDX"
  int version = 0;
  int64_t issue_date = 0, next_update = 0;
  crypto::Bytes fmspc, pce_id;
  int tcb_type = 0;
  int tcb_evaluation_data_number = 0;
  TdxModule tdx_module;
  std::vector<TdxModuleIdentity> tdx_module_identities;
  std::vector<TcbLevel> levels;  // highest first, as Intel orders them
};

// Parses the tcbInfo object's text (also the wrapped {"tcbInfo":{...},"signature":"..."} form).
// Errors name the field path. Thread-safe (pure).
Result<TcbInfo> ParseTcbInfo(std::string_view tcb_info_json);

}  // namespace teeharness::attestation
