#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation {

// One entry of sgxtcbcomponents / tdxtcbcomponents. category and type are descriptive only
// ("OS/VMM", "SEAMLDR ACM"); they appear in error messages, never in decisions.
struct TcbComponent {
  uint8_t svn = 0;
  std::string category, type;
};

// One TCB level of Intel's TCB info. Value type (not thread-safe to mutate; safe to share const).
struct TcbLevel {
  std::array<uint8_t, 16> sgx_components{};
  uint16_t pce_svn = 0;
  std::array<uint8_t, 16> tdx_components{};
  bool has_tdx = false;  // tdxtcbcomponents present (TDX TCB info)
  std::string tcb_date;  // RFC 3339, checked at parse time
  std::string status;    // a known TCB status name (checked at parse time)
  std::vector<std::string> advisory_ids;
  // The same components with their descriptions, for messages ("SEAMLDR ACM"). Version 2 TCB
  // info has no descriptions: those stay empty.
  std::array<TcbComponent, 16> sgx_component_info{};
  std::array<TcbComponent, 16> tdx_component_info{};
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
  std::vector<Level> levels;  // highest isvsvn first, as Intel orders them
};

struct TdxModule {
  crypto::Bytes mrsigner;         // 48
  crypto::Bytes attributes;       // 8
  crypto::Bytes attributes_mask;  // 8
};

// Intel's TCB info for one FMSPC. Value type.
struct TcbInfo {
  std::string id;   // "TDX" or "SGX"
  int version = 0;  // 3 (TDX or SGX) or 2 (SGX)
  int64_t issue_date = 0, next_update = 0;
  crypto::Bytes fmspc, pce_id;  // 6 and 2 bytes
  int tcb_type = 0;
  int tcb_evaluation_data_number = 0;
  TdxModule tdx_module;                                  // TDX only
  std::vector<TdxModuleIdentity> tdx_module_identities;  // TDX only; may be absent (empty)
  std::vector<TcbLevel> levels;  // in the file's order (Intel writes them highest first)
};

// Parses the tcbInfo object's text (also the wrapped {"tcbInfo":{...},"signature":"..."} form).
// Accepts id "TDX" version 3 and id "SGX" versions 2 and 3, so that a verifier handed SGX
// collateral for a TDX quote can say exactly what it got; anything else is an error naming the id
// and version. Every error names the field path ("tcbInfo.tcbLevels[1].tcb.pcesvn is missing").
// The text is untrusted (it comes from a server): never throws or asserts. Thread-safe (pure).
Result<TcbInfo> ParseTcbInfo(std::string_view tcb_info_json);

}  // namespace teeharness::attestation
