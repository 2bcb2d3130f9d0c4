// TDX quote parsing over arbitrary bytes (every offset the parser reads comes from the server).
#include <cstddef>
#include <cstdint>

#include "harness/attestation/quote/tdx_quote.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)teeharness::attestation::ParseTdxQuote(teeharness::crypto::ByteSpan(data, size));
  return 0;
}
