// The Intel SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1) over arbitrary DER: the
// certificate comes inside the quote, from the server, before its chain is known to be good.
#include <cstddef>
#include <cstdint>

#include "harness/attestation/pki/sgx_extensions.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)teeharness::attestation::pki::ParsePckExtensions(teeharness::crypto::ByteSpan(data, size));
  return 0;
}
