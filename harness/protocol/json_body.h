#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "harness/base/result.h"

namespace teeharness::protocol {

// Parses an untrusted response body that must be a JSON object into `document`. Errors read
// "<what> is not JSON (<reason> at offset N)" or "<what> is not a JSON object". Thread-safe.
Result<bool> ParseJsonObject(std::string_view body, std::string_view what,
                             rapidjson::Document& document);

}  // namespace teeharness::protocol
