#pragma once

#include <optional>
#include <string>

namespace teeharness::mocks {

// Query parameter `name` of "a=1&b=2" (no percent-decoding: the mock's parameters are hex,
// algorithm names and FMSPCs). Thread-safe (pure).
std::optional<std::string> QueryParam(const std::string& query, const std::string& name);

}  // namespace teeharness::mocks
