// TDX quote parsing and verification over arbitrary bytes (every offset the parser reads comes
// from the server, and so does the PCK chain inside): header, body, signature section, the PEM
// chain and its SGX extension, without collateral.
#include <cstddef>
#include <cstdint>

#include "harness/attestation/quote/tdx_quote.h"
#include "harness/attestation/verify/quote_verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness::attestation;
  const teeharness::crypto::ByteSpan bytes(data, size);
  const teeharness::Result<TdxQuote> quote = ParseTdxQuote(bytes);
  if (quote.ok()) (void)ParseQuoteSignature(bytes, *quote);
  QuoteVerifyOptions options;
  options.at = 1752919234;
  (void)VerifyQuote(bytes, options);
  return 0;
}
