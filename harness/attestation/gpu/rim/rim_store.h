#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/attestation/gpu/opaque_data.h"
#include "harness/attestation/gpu/rim/swid_tag.h"
#include "harness/attestation/gpu/rim/xmldsig.h"
#include "harness/attestation/pki/certificate.h"
#include "harness/base/result.h"

namespace teeharness::attestation::gpu::rim {

// A driver RIM names a driver version ("550.90.07"); a VBIOS RIM a VBIOS version in NVIDIA's
// five-byte form ("96.00.9F.00.01"). Told apart by that form, as the RIMs carry no other marker.
enum class RimKind { kDriver, kVbios };
const char* RimKindName(RimKind kind);

// One RIM whose signature and chain verified. Value type.
struct LoadedRim {
  std::string file;  // the file name it was read from (used in messages and to pick a VBIOS RIM)
  RimKind kind = RimKind::kDriver;
  SwidTag tag;
  SignatureVerdict signature;
};

// Parses `text` as a SWID tag and verifies its enveloped signature to one of `roots` at `at`. The
// error names `name` and why. Thread-safe.
Result<LoadedRim> LoadRim(std::string_view text, std::string_view name,
                          const std::vector<pki::Certificate>& roots, int64_t at);

// What NVIDIA names a GPU's VBIOS RIM by (nvtrust: NV_GPU_VBIOS_<project>_<project SKU>_<chip
// SKU>_<version without dots>), from the evidence's opaque data; empty parts when absent. Value
// type.
struct VbiosIdentity {
  std::string project, project_sku, chip_sku;
  std::string FileId(std::string_view vbios_version) const;  // "" without project fields
};
VbiosIdentity VbiosIdentityOf(const OpaqueData& opaque);

// The RIMs of a run or a command, loaded and verified once at start. Immutable after
// construction; thread-safe to share as const.
class RimStore {
 public:
  RimStore() = default;
  RimStore(std::string source, std::vector<LoadedRim> rims)
      : source_(std::move(source)), rims_(std::move(rims)) {}

  // Every *.swidtag and *.xml file of `dir` (not recursive, hidden files skipped), each parsed
  // and verified; the first that fails is the error, naming the file. An empty folder loads
  // (GPU-MEASURE then fails, naming the folder).
  static Result<RimStore> LoadDirectory(const std::string& dir,
                                        const std::vector<pki::Certificate>& roots, int64_t at);

  const std::string& source() const { return source_; }
  const std::vector<LoadedRim>& rims() const { return rims_; }

  // The driver RIM whose colloquialVersion equals `version` (case-insensitive). An Error saying
  // which version was wanted and what the store holds when none (or several different) match.
  Result<const LoadedRim*> FindDriver(std::string_view version) const;
  // The VBIOS RIM of `version`; several candidates are narrowed by NVIDIA's file id of `id`.
  Result<const LoadedRim*> FindVbios(std::string_view version, const VbiosIdentity& id) const;

 private:
  std::vector<const LoadedRim*> Candidates(RimKind kind, std::string_view version) const;
  std::string Holdings(RimKind kind) const;

  std::string source_;
  std::vector<LoadedRim> rims_;
};

}  // namespace teeharness::attestation::gpu::rim
