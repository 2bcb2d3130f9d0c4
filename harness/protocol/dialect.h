#pragma once

#include <string_view>

#include "harness/base/result.h"

namespace teeharness::protocol {

// The wire dialects of PROTOCOLS.md.
enum class Dialect { kPhala, kNear, kIonet };

// "phala", "near" or "ionet". Thread-safe (pure).
Result<Dialect> ParseDialect(std::string_view name);
std::string_view DialectName(Dialect dialect);

}  // namespace teeharness::protocol
