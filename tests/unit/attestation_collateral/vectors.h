#pragma once

#include <array>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/policy/qe_identity_match.h"
#include "harness/attestation/policy/tcb_level.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::collateral_testing {

inline std::string ReadVector(const std::string& name) {
  std::ifstream in(std::string(TEEHARNESS_VECTORS_DIR) + "/attestation/tdx/" + name,
                   std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline constexpr char kV4Collateral[] = "dcap-qvl-v4.collateral.json";
inline constexpr char kV5Collateral[] = "dcap-qvl-v5-nomatch.collateral.json";
inline constexpr char kV4Quote[] = "dcap-qvl-v4.quote";
inline constexpr char kV5Quote[] = "dcap-qvl-v5-nomatch.quote";

// Extracted by hand (2026-12-02) from the vectors, so that these tests need no X.509 code:
//  * SGX TCB components and PCESVN: the PCK certificate is the first PEM in the quote's
//    certification data; `openssl asn1parse -strparse` on its extension 1.2.840.113741.1.13.1
//    gives the sub-OIDs .2.1 .. .2.16 (components) and .2.17 (PCESVN). The CPUSVN (.2.18) repeats
//    the components: v4 03030202040100050000000000000000, v5 03030202040100030000000000000000.
//  * TEE_TCB_SVN: the first 16 bytes of the TD report body (quote offset 48 in v4; v5 has a
//    6-byte body descriptor first, body type 3, size 648, so offset 54). MRSIGNERSEAM (body+64)
//    and SEAMATTRIBUTES (body+112) are all zero in both.
//  * The QE report: after the body, u32 signature data length, 64-byte signature, 64-byte
//    attestation key, u16 certification type 6 and u32 size, then the 384-byte report (v4 offset
//    770, v5 offset 840).
inline constexpr size_t kV4BodyOffset = 48;
inline constexpr size_t kV5BodyOffset = 54;
inline constexpr size_t kV4QeReportOffset = 770;
inline constexpr size_t kV5QeReportOffset = 840;

inline TcbInputs V4Inputs() {
  TcbInputs in;
  in.sgx_components = {3, 3, 2, 2, 4, 1, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0};
  in.pce_svn = 11;
  in.tee_tcb_svn = {6, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  in.mr_signer_seam.assign(48, 0);
  in.seam_attributes.assign(8, 0);
  return in;
}

inline TcbInputs V5Inputs() {
  TcbInputs in;
  in.sgx_components = {3, 3, 2, 2, 4, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0};
  in.pce_svn = 13;
  in.tee_tcb_svn = {7, 1, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  in.mr_signer_seam.assign(48, 0);
  in.seam_attributes.assign(8, 0);
  return in;
}

// The TD_QE's report fields, the same in both quotes except ISVSVN (v4 6, v5 7).
inline QeReportFields QeFields(uint16_t isvsvn) {
  QeReportFields f;
  f.miscselect = 0;
  f.attributes = {0x15, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0, 0, 0, 0, 0, 0, 0};
  f.mrsigner = {0xdc, 0x9e, 0x2a, 0x7c, 0x6f, 0x94, 0x8f, 0x17, 0x47, 0x4e, 0x34,
                0xa7, 0xfc, 0x43, 0xed, 0x03, 0x0f, 0x7c, 0x15, 0x63, 0xf1, 0xba,
                0xbd, 0xdf, 0x63, 0x40, 0xc8, 0x2e, 0x0e, 0x54, 0xa8, 0xc5};
  f.isvprodid = 2;
  f.isvsvn = isvsvn;
  return f;
}

inline Collateral LoadCollateral(const char* name) {
  Result<Collateral> c = ParseCollateralJson(ReadVector(name));
  return c.ok() ? std::move(c).value() : Collateral{};
}

// Replaces the first occurrence of `from` in `text` (test inputs are built by editing real ones).
inline std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace teeharness::attestation::collateral_testing
