#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace teeharness::mocks {

// The dstack side of the mock's reports: an app-compose.json, the event log a dstack guest
// running it writes (one boot event per RTMR0-2, then RTMR3's runtime events: app id, compose
// hash, instance id, key provider "none"), and the RTMRs and mr_config_id (v1: 0x01 ‖
// compose_hash) its quotes carry, so that EVENTLOG-REPLAY and COMPOSE-HASH pass. Immutable;
// thread-safe.
struct MockWorkload {
  std::string app_compose;
  std::string compose_hash;  // hex
  std::string app_id;        // hex, 20 bytes
  std::string instance_id;   // hex, 20 bytes (random per process, as a fresh CVM's)
  std::array<std::array<uint8_t, 48>, 4> rtmr{};
  std::array<uint8_t, 48> mr_config_id{};

  // The event log as a JSON array; `mismatch` (fault event_log_mismatch) changes the digest of an
  // RTMR0 event, so the log no longer replays to the quote's RTMR0 while every RTMR3 event still
  // checks.
  std::string EventLogJson(bool mismatch) const;
  // The report's `info` object text: app_id, instance_id, key_provider_info and tcb_info
  // {app_compose, compose_hash, mrtd-free measurements}. `compose_mismatch` ships another
  // app_compose than the one measured (fault compose_mismatch).
  std::string InfoJson(bool compose_mismatch) const;
};

const MockWorkload& ProcessMockWorkload();

}  // namespace teeharness::mocks
