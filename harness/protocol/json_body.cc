#include "harness/protocol/json_body.h"

#include <rapidjson/error/en.h>

namespace teeharness::protocol {

Result<bool> ParseJsonObject(std::string_view body, std::string_view what,
                             rapidjson::Document& document) {
  document.Parse(body.data(), body.size());
  if (document.HasParseError()) {
    return MakeError(what, " is not JSON (", rapidjson::GetParseError_En(document.GetParseError()),
                     " at offset ", document.GetErrorOffset(), ")");
  }
  if (!document.IsObject()) return MakeError(what, " is not a JSON object");
  return true;
}

}  // namespace teeharness::protocol
