#include "harness/protocol/json_body.h"

#include <rapidjson/error/en.h>

#include "harness/base/json_depth.h"

namespace teeharness::protocol {
Result<bool> ParseUntrustedJson(std::string_view text, rapidjson::Document& document) {
  if (const std::optional<size_t> at = JsonTooDeepAt(text, kMaxJsonDepth)) {
    return MakeError("nested deeper than ", kMaxJsonDepth, " levels at offset ", *at);
  }
  document.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (document.HasParseError()) {
    return MakeError(rapidjson::GetParseError_En(document.GetParseError()), " at offset ",
                     document.GetErrorOffset());
  }
  return true;
}

Result<bool> ParseJsonObject(std::string_view body, std::string_view what,
                             rapidjson::Document& document) {
  if (Result<bool> parsed = ParseUntrustedJson(body, document); !parsed.ok()) {
    return MakeError(what, " is not JSON (", parsed.error(), ")");
  }
  if (!document.IsObject()) return MakeError(what, " is not a JSON object");
  return true;
}

}  // namespace teeharness::protocol
