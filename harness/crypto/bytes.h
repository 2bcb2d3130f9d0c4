#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace teeharness::crypto {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;
using Hash32 = std::array<uint8_t, 32>;

// Views text as bytes without copying (UTF-8 text is signed and hashed as its raw bytes).
inline ByteSpan AsBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace teeharness::crypto
