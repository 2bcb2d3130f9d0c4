#pragma once

#include <string>
#include <vector>

#include "harness/attestation/gpu/rim/rim_store.h"
#include "harness/attestation/pki/certificate.h"
#include "mocks/gpu_evidence.h"
#include "mocks/pki/gpu_pki.h"
#include "mocks/pki/rim_writer.h"

namespace teeharness::attestation::gpu::rim::testing {

inline constexpr int64_t kAt = 1735689600;  // 2025-01-01, inside the mock PKI's 2020..2049

// A mock PKI with its RIM root, and RIMs the test signs through the mock's writer.
struct RimFixture {
  mocks::pki::MockGpuPki pki = *mocks::pki::MockGpuPki::Create();
  std::vector<pki::Certificate> roots = {*pki::Certificate::FromPem(pki.RimRootPem())};

  std::string Sign(const mocks::pki::RimDocument& doc) const {
    return *mocks::pki::WriteSignedRim(doc, pki);
  }
  Result<LoadedRim> Load(const std::string& text, int64_t at = kAt) const {
    return LoadRim(text, "test.swidtag", roots, at);
  }
};

// A small RIM: indexes 0..3, `active` of them active, values SHA-384-sized and distinct.
inline mocks::pki::RimDocument SmallRim(const std::string& version, std::vector<int> active) {
  mocks::pki::RimDocument doc;
  doc.tag_id = "tag-" + version;
  doc.colloquial_version = version;
  for (int i = 0; i < 4; ++i) {
    const bool on = std::find(active.begin(), active.end(), i) != active.end();
    doc.entries.push_back({i, on, {crypto::Bytes(48, static_cast<uint8_t>(0x10 + i))}});
  }
  return doc;
}

}  // namespace teeharness::attestation::gpu::rim::testing
