#pragma once

#include <span>
#include <string_view>

namespace teeharness::checks {

// Dialect applicability as a bit set, so the catalog stays a constexpr table.
enum DialectMask : unsigned {
  kPhalaDialect = 1u << 0,
  kNearDialect = 1u << 1,
  kIonetDialect = 1u << 2,
  kAllDialects = kPhalaDialect | kNearDialect | kIonetDialect,
};

// One conformance check: a stable id (DESIGN.md), its one-line rule, what it is about, and the
// dialects it applies to. Immutable, thread-safe.
struct CheckInfo {
  std::string_view id;
  std::string_view group;  // nonce, attestation, signature, address, errors
  std::string_view rule;
  unsigned dialects;
};

// The whole catalog, in presentation order.
std::span<const CheckInfo> Catalog();

// nullptr for an unknown id.
const CheckInfo* FindCheck(std::string_view id);

}  // namespace teeharness::checks
