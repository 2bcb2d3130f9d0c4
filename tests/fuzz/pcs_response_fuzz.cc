// PCS v4 responses over arbitrary bytes: the raw-member scanner (also on text that is not JSON at
// all, which it must survive in bounds), signed envelopes, issuer-chain headers and CRL bodies.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "harness/attestation/collateral/pcs_response.h"

namespace pcs = teeharness::attestation::pcs;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto raw = pcs::RawMemberText(text, "tcbInfo");
  // What the scanner returns is a slice of the input, never beyond it.
  if (raw.ok() && (raw->data() < text.data() || raw->data() + raw->size() > text.data() + size)) {
    std::abort();
  }
  const auto envelope = pcs::ParseSignedJson(text, "enclaveIdentity", "QE identity");
  if (envelope.ok() && envelope->signature.size() != 64) std::abort();
  (void)pcs::DecodeIssuerChainHeader(text, "TCB-Info-Issuer-Chain");
  (void)pcs::DecodeCrlBody(text, "PCK CRL");
  return 0;
}
