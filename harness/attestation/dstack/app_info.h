#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/attestation/dstack/event_log.h"
#include "harness/base/result.h"

namespace teeharness::attestation::dstack {

// dstack's `tcb_info` (PROTOCOLS.md "dstack"): what the guest says it measured. Untrusted until
// the event log replays to the quote's RTMRs. Value type.
struct TcbInfo {
  std::string mrtd, rtmr0, rtmr1, rtmr2, rtmr3;  // hex as given (may be empty)
  std::string os_image_hash;
  std::string compose_hash;
  std::string device_id;
  std::optional<std::string> app_compose;  // the exact text of app-compose.json
  std::optional<std::string> mr_config;    // the MrConfigV3 document, when the guest ships it
  std::vector<Event> event_log;
  bool has_event_log = false;
};

// dstack's app `info`: app_id, instance_id, key_provider_info, tcb_info. Value type.
struct AppInfo {
  std::string app_id;
  std::string instance_id;
  std::string key_provider_info;  // JSON text {"name":"kms","id":"<hex>"}
  std::optional<TcbInfo> tcb_info;
};

// Parses `tcb_info` as an object's JSON text or as a JSON string holding it (both occur).
// Errors name the field. Never throws. Thread-safe.
Result<TcbInfo> ParseTcbInfo(std::string_view json_text);
Result<TcbInfo> ParseTcbInfoValue(const rapidjson::Value& value);

// Parses a report's `info` object text (its `tcb_info` an object or a JSON string).
Result<AppInfo> ParseAppInfo(std::string_view json_text);

}  // namespace teeharness::attestation::dstack
