#pragma once

#include <string>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"
#include "mocks/pki/gpu_pki.h"

namespace teeharness::mocks::pki {

// One Resource of a RIM's Payload. Value type (as RimDocument and MockRims).
struct RimEntry {
  int index = 0;  // NVIDIA's 0-based index (SPDM block index - 1)
  bool active = true;
  std::vector<crypto::Bytes> values;  // SHA-384 alternatives (48 bytes each)
};

// A RIM to write: NVIDIA's SWID tag shape (SoftwareIdentity, Entity, Meta with the TCG RIM
// attributes, Payload of Resource type="Measurement" with xmlenc#sha384 Hash0..N attributes).
struct RimDocument {
  std::string tag_id;
  std::string colloquial_version;  // the driver ("550.90.07") or VBIOS ("96.00.9F.00.01") version
  std::string product = "GH100";
  std::vector<RimEntry> entries;
  // The prefix the SWID elements are written with ("ns0" as NVIDIA's tool writes; "" puts them
  // in the default namespace), so tests can vary the namespace form.
  std::string swid_prefix = "ns0";
};

// Writes `rim` and signs it as NVIDIA's RIMs are: an enveloped XMLDSig signature (Reference
// URI="", enveloped-signature + C14N 1.1 transforms, SHA-384 digest; SignedInfo canonicalized
// with C14N 1.1 and signed ECDSA-SHA384 as raw r||s by the PKI's RIM leaf; KeyInfo/X509Data with
// the leaf and the RIM CA). Canonicalization is harness/attestation/gpu/rim's, i.e. libxml2's.
// Thread-safe.
Result<std::string> WriteSignedRim(const RimDocument& rim, const MockGpuPki& pki);

// The mock's two RIMs, whose active measurements are its GPUs' blocks (MockMeasurementValue):
// the driver RIM activates blocks 5..8 (indexes 4..7) and the VBIOS RIM blocks 1..4 (0..3), each
// listing the other's indexes inactive, as NVIDIA's do. Served at /mock/pki/rims/driver.swidtag
// and /mock/pki/rims/vbios.swidtag. Thread-safe.
struct MockRims {
  std::string driver;
  std::string vbios;
};
Result<MockRims> BuildMockRims(const MockGpuPki& pki);

// The mock process's RIMs, signed by ProcessMockGpuPki() on first use (thread-safe static
// initialisation). Aborts with a message if they cannot be written.
const MockRims& ProcessMockRims();

}  // namespace teeharness::mocks::pki
