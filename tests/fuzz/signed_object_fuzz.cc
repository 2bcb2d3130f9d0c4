// A certificate or CRL from a server (the PCK chain inside a quote, the collateral's CRLs and
// issuer chains, a GPU's chain) over arbitrary DER: parsed as a certificate (its EC key read
// straight from the SubjectPublicKeyInfo) and its signature checked by our own signed-object code
// against Intel's root and against itself, before anything about it is known to be good.
#include <cstddef>
#include <cstdint>

#include "harness/attestation/pki/certificate.h"
#include "harness/attestation/pki/signed_object.h"
#include "harness/attestation/pki/trust_roots.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace pki = teeharness::attestation::pki;
  const teeharness::crypto::ByteSpan der(data, size);
  (void)pki::IssuerSignatureVerifies(der, pki::IntelSgxRootCa());
  if (auto cert = pki::Certificate::FromDer(der); cert.ok()) {
    (void)pki::IssuerSignatureVerifies(der, *cert);
    (void)pki::IssuerSignatureVerifies(pki::IntelSgxRootCa().der(), *cert);
  }
  return 0;
}
