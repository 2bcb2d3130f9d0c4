#include "harness/attestation/gpu/rim/rim_match.h"

#include <algorithm>
#include <map>

#include "harness/crypto/hex.h"

namespace teeharness::attestation::gpu::rim {
namespace {

struct Golden {
  const GoldenMeasurement* measurement;
  const char* source;
};

}  // namespace

std::string MeasurementFailure::Describe() const {
  std::string out = "index " + std::to_string(index) + " (" + source + "): ";
  out += missing ? "no measurement block " + std::to_string(index + 1)
                 : "found " + crypto::EncodeHex(found);
  out += ", expected ";
  if (expected.size() > 1) out += "one of ";
  for (size_t i = 0; i < expected.size(); ++i) {
    out += (i ? ", " : "") + crypto::EncodeHex(expected[i]);
  }
  return out;
}

RimMatch MatchMeasurements(const std::vector<MeasurementBlock>& blocks, const SwidTag& driver,
                           const SwidTag& vbios) {
  RimMatch out;
  std::map<int, Golden> golden;
  for (const GoldenMeasurement& m : driver.measurements) {
    if (m.active) golden[m.index] = {&m, "driver"};
  }
  for (const GoldenMeasurement& m : vbios.measurements) {
    if (!m.active) continue;
    if (golden.contains(m.index)) {
      out.conflicts.push_back(m.index);
      continue;
    }
    golden[m.index] = {&m, "VBIOS"};
  }
  std::map<int, const MeasurementBlock*> by_index;
  for (const MeasurementBlock& b : blocks) by_index.emplace(b.index, &b);
  for (const auto& [index, g] : golden) {
    MeasurementFailure failure;
    failure.index = index;
    failure.source = g.source;
    failure.expected = g.measurement->values;
    const auto it = by_index.find(index + 1);
    if (it == by_index.end()) {
      failure.missing = true;
      ++out.missing;
      out.failures.push_back(std::move(failure));
      continue;
    }
    const crypto::Bytes& value = it->second->value;
    const bool met = value.size() == g.measurement->size &&
                     std::find(g.measurement->values.begin(), g.measurement->values.end(), value) !=
                         g.measurement->values.end();
    if (met) {
      ++out.matched;
      continue;
    }
    failure.found = value;
    ++out.mismatched;
    out.failures.push_back(std::move(failure));
  }
  return out;
}

}  // namespace teeharness::attestation::gpu::rim
