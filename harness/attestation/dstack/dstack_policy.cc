#include "harness/attestation/dstack/dstack_policy.h"

#include <algorithm>

namespace teeharness::attestation::dstack {
namespace {

std::string Normalised(std::string hex) {
  if (hex.rfind("0x", 0) == 0 || hex.rfind("0X", 0) == 0) hex.erase(0, 2);
  std::transform(hex.begin(), hex.end(), hex.begin(), [](char c) { return std::tolower(c); });
  return hex;
}

std::optional<std::string> Compare(const char* name, const std::optional<std::string>& pin,
                                   const std::string& got) {
  if (!pin || Normalised(*pin) == Normalised(got)) return std::nullopt;
  return std::string(name) + " is '" + got + "'; expect.dstack pins " + *pin;
}

}  // namespace

std::optional<std::string> PinMismatch(const DstackPins& pins, const DstackEvidence& evidence) {
  if (auto m = Compare("compose_hash", pins.compose_hash, evidence.compose_hash)) return m;
  if (auto m = Compare("os_image_hash", pins.os_image_hash, evidence.os_image_hash)) return m;
  if (auto m = Compare("app_id", pins.app_id, evidence.app_id)) return m;
  if (auto m = Compare("key_provider", pins.key_provider, evidence.key_provider)) return m;
  return std::nullopt;
}

}  // namespace teeharness::attestation::dstack
