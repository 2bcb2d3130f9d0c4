#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/attestation/gpu/rim/xml_document.h"
#include "harness/base/result.h"
#include "harness/crypto/bytes.h"

namespace teeharness::attestation::gpu::rim {

// One golden measurement of a RIM (a SWID Payload/Resource of type "Measurement"). `index` is
// NVIDIA's 0-based measurement index: it names SPDM measurement block index + 1.
struct GoldenMeasurement {
  int index = 0;
  std::string name;
  bool active = false;
  size_t size = 0;                    // bytes of each value
  std::vector<crypto::Bytes> values;  // Hash0..Hash(alternatives-1)
};

// A Reference Integrity Manifest as NVIDIA publishes it: an ISO/IEC 19770-2:2015 SWID tag.
// Value type (not thread-safe to mutate; safe to share const).
struct SwidTag {
  std::string tag_id;
  std::string name;                // SoftwareIdentity/@name, e.g. "GH100"
  std::string version;             // SoftwareIdentity/@version
  std::string colloquial_version;  // Meta/@colloquialVersion: the driver or VBIOS version
  std::string product;             // Meta/@product
  // Every Meta attribute by local name (PlatformModel, FirmwareManufacturer, ...).
  std::map<std::string, std::string> meta;
  std::string hash_algorithm;  // "sha384" (the namespace of the Hash attributes), or sha256/512
  std::vector<GoldenMeasurement> measurements;  // document order; indexes unique
};

// Reads the SWID tag of `doc`: root SoftwareIdentity in the 2015 schema's namespace, one Meta
// with a colloquialVersion, one Payload whose Resource children each have index, active
// ("True"/"False"), alternatives >= 1 and Hash0.. in one hash namespace (xmlenc#sha384 as NVIDIA
// writes, or sha256/sha512), values of `size` bytes in hex. Duplicate indexes and a payload with
// no measurement are errors (as nvtrust). Each error names the file, line and attribute.
// Thread-safe.
Result<SwidTag> ParseSwidTag(const XmlDocument& doc);

}  // namespace teeharness::attestation::gpu::rim
