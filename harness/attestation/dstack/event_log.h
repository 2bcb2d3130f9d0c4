#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"
#include "harness/crypto/sha384.h"

namespace teeharness::attestation::dstack {

// dstack's runtime event type (IMR 3 events the guest extends itself).
inline constexpr uint32_t kRuntimeEventType = 0x08000001;

// One event of a dstack (TDX CCEL + runtime) event log. Value type.
struct Event {
  uint32_t imr = 0;  // 0..3: RTMR index
  uint32_t event_type = 0;
  crypto::Hash48 digest{};
  std::string event;      // name of a runtime event ("compose-hash"); may be empty otherwise
  crypto::Bytes payload;  // event_payload, hex-decoded
};

// Parses an event log: a JSON array of {imr, event_type, digest, event, event_payload}, or a JSON
// string holding that array's text (phala and near ship both). Every error names the event index
// and field ("event_log[3].digest is 40 hex digits; expected 96"). Never throws. Thread-safe.
Result<std::vector<Event>> ParseEventLog(std::string_view json_text);
// The same from an already parsed JSON value (array or string).
Result<std::vector<Event>> ParseEventLogValue(const rapidjson::Value& value);

// The payload of the first IMR-3 runtime event named `name`, or nullptr.
const crypto::Bytes* RuntimeEventPayload(const std::vector<Event>& events, std::string_view name);

}  // namespace teeharness::attestation::dstack
