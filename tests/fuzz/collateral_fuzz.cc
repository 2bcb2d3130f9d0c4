// Collateral from a PCS or a file: dcap-qvl's QuoteCollateralV3 JSON, TCB info and QE identity,
// each over arbitrary text (a collateral service is a server like any other).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/attestation/collateral/collateral.h"
#include "harness/attestation/collateral/qe_identity.h"
#include "harness/attestation/collateral/tcb_info.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)teeharness::attestation::ParseCollateralJson(text);
  (void)teeharness::attestation::ParseTcbInfo(text);
  (void)teeharness::attestation::ParseQeIdentity(text);
  return 0;
}
