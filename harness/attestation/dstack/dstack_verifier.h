#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/attestation/dstack/app_info.h"
#include "harness/attestation/dstack/dstack_evidence.h"
#include "harness/attestation/dstack/dstack_policy.h"
#include "harness/attestation/dstack/event_log.h"
#include "harness/attestation/dstack/replay.h"
#include "harness/attestation/quote/tdx_quote.h"
#include "harness/attestation/verify/check_result.h"

namespace teeharness::attestation::dstack {

// What a report's dstack part is made of. The event log is the report's top-level `event_log`
// when present, else `tcb_info.event_log`; app_compose comes from tcb_info.
struct DstackInput {
  std::optional<std::vector<Event>> event_log;  // nullopt: the report has none
  std::string event_log_problem;                // non-empty: it was there but did not parse
  std::optional<AppInfo> info;
  std::string info_problem;
};

// Builds the input from the raw report fields (each may be empty when absent): `event_log_json`
// a JSON array or string, `info_json` the `info` object's text. Never throws. Thread-safe.
DstackInput MakeDstackInput(std::string_view event_log_json, std::string_view info_json);

struct DstackVerification {
  std::vector<CheckResult> checks;  // EVENTLOG-REPLAY, COMPOSE-HASH
  DstackEvidence evidence;
  std::string mr_config;  // the binding's reason

  Verdict verdict() const { return VerdictOf(checks); }
};

// EVENTLOG-REPLAY against the quote's RTMRs, and COMPOSE-HASH: sha256(app_compose) equals the
// RTMR3 compose-hash event's payload, mr_config_id binds it (skipped with the reason when it is
// all zero or not recomputable), and every `pins` field holds. `td` is the TD report body of a
// quote the caller verified (QUOTE-SIG), or null when the quote could not be parsed (both
// checks are then skipped). Thread-safe (pure); the run can call it per report.
DstackVerification VerifyDstack(const DstackInput& input, const TdReportBody* td,
                                const DstackPins& pins);

}  // namespace teeharness::attestation::dstack
