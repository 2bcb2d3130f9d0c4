// NVIDIA RIM handling over arbitrary bytes (a RIM is the user's file, but it comes from a
// download): the safe XML parse, the SWID tag reader, and the enveloped XMLDSig verification
// (canonicalization, digest, ECDSA, the KeyInfo chain against a root), as LoadRim runs them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/attestation/gpu/rim/rim_store.h"
#include "harness/attestation/gpu/rim/swid_tag.h"
#include "harness/attestation/gpu/rim/xml_document.h"
#include "harness/attestation/gpu/rim/xmldsig.h"
#include "harness/attestation/pki/trust_roots.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness::attestation;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const std::vector<pki::Certificate> roots = {pki::NvidiaDeviceIdentityCa()};
  teeharness::Result<gpu::rim::XmlDocument> doc = gpu::rim::XmlDocument::Parse(text, "fuzz");
  if (!doc.ok()) return 0;
  (void)gpu::rim::ParseSwidTag(*doc);
  (void)gpu::rim::VerifyEnvelopedSignature(*doc, roots, 1735689600);
  (void)gpu::rim::LoadRim(text, "fuzz", roots, 1735689600);
  return 0;
}
