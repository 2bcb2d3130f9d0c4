#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string_view>

#include "harness/base/result.h"

namespace teeharness::protocol {

// No protocol document nests deeper than a handful of levels; a server that sends more is hostile
// or broken, and RapidJSON's recursive parser would overflow the stack on a few megabytes of "[".
inline constexpr size_t kMaxJsonDepth = 128;

// Parses untrusted JSON (any value) into `document`: rejects nesting beyond kMaxJsonDepth before
// RapidJSON sees it, then parses iteratively (no recursion). Errors read "<reason> at offset N".
// Thread-safe.
Result<bool> ParseUntrustedJson(std::string_view text, rapidjson::Document& document);

// As ParseUntrustedJson, and the value must be an object. Errors read
// "<what> is not JSON (<reason> at offset N)" or "<what> is not a JSON object".
Result<bool> ParseJsonObject(std::string_view body, std::string_view what,
                             rapidjson::Document& document);

}  // namespace teeharness::protocol
