#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/attestation/dstack/event_log.h"
#include "harness/attestation/verify/check_result.h"

namespace teeharness::attestation::dstack {

using Rtmrs = std::array<crypto::Hash48, 4>;

// The digest dstack logs for a runtime (IMR 3) event: SHA-384(event_type as 4 bytes
// little-endian ‖ ":" ‖ event ‖ ":" ‖ payload). Thread-safe.
crypto::Hash48 RuntimeEventDigest(const Event& event);

// Replays the log: each RTMR starts as 48 zero bytes and extends as SHA-384(RTMR ‖ digest), in
// log order. Thread-safe (pure).
Rtmrs ReplayEventLog(const std::vector<Event>& events);

// EVENTLOG-REPLAY: every IMR-3 runtime event's digest is recomputed from its name and payload
// and equals the logged digest, and the replayed RTMR0-3 equal `quote_rtmrs` (from a quote whose
// signature the caller verifies, which is what authenticates the log). The failure names the
// first event or register that differs. Thread-safe.
CheckResult CheckEventLogReplay(const std::vector<Event>& events, const Rtmrs& quote_rtmrs);

}  // namespace teeharness::attestation::dstack
