#include "harness/attestation/dstack/replay.h"

#include "harness/crypto/hex.h"

namespace teeharness::attestation::dstack {

crypto::Hash48 RuntimeEventDigest(const Event& event) {
  const uint8_t type[4] = {
      static_cast<uint8_t>(event.event_type), static_cast<uint8_t>(event.event_type >> 8),
      static_cast<uint8_t>(event.event_type >> 16), static_cast<uint8_t>(event.event_type >> 24)};
  const uint8_t colon[1] = {':'};
  return crypto::Sha384({type, colon, crypto::AsBytes(event.event), colon, event.payload});
}

Rtmrs ReplayEventLog(const std::vector<Event>& events) {
  Rtmrs rtmrs{};
  for (const Event& e : events) {
    if (e.imr > 3) continue;  // the parser refuses these; kept safe for direct callers
    rtmrs[e.imr] = crypto::Sha384({rtmrs[e.imr], e.digest});
  }
  return rtmrs;
}

CheckResult CheckEventLogReplay(const std::vector<Event>& events, const Rtmrs& quote_rtmrs) {
  size_t runtime_events = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    if (e.imr != 3) continue;
    ++runtime_events;
    const crypto::Hash48 expected = RuntimeEventDigest(e);
    if (expected != e.digest) {
      return {"EVENTLOG-REPLAY", CheckState::kFail,
              "event_log[" + std::to_string(i) + "] '" + e.event + "' digest " +
                  crypto::EncodeHex(e.digest) + " is not SHA-384 of its type, name and payload " +
                  crypto::EncodeHex(expected)};
    }
  }
  const Rtmrs replayed = ReplayEventLog(events);
  for (size_t r = 0; r < 4; ++r) {
    if (replayed[r] != quote_rtmrs[r]) {
      return {"EVENTLOG-REPLAY", CheckState::kFail,
              "replayed RTMR" + std::to_string(r) + " " + crypto::EncodeHex(replayed[r]) +
                  " is not the quote's " + crypto::EncodeHex(quote_rtmrs[r])};
    }
  }
  return {"EVENTLOG-REPLAY", CheckState::kPass,
          std::to_string(events.size()) + " events (" + std::to_string(runtime_events) +
              " runtime digests recomputed) replay to the quote's RTMR0-3"};
}

}  // namespace teeharness::attestation::dstack
