#include "harness/attestation/dstack/dstack_verifier.h"

#include "harness/attestation/dstack/mr_config.h"
#include "harness/crypto/hex.h"
#include "harness/crypto/sha256.h"

namespace teeharness::attestation::dstack {
namespace {

CheckResult Compose(CheckState state, std::string reason) {
  return {"COMPOSE-HASH", state, std::move(reason)};
}

CheckResult CheckCompose(const DstackInput& input, const TdReportBody& td,
                         const DstackVerification& v, const DstackPins& pins,
                         std::string& binding_reason) {
  const std::vector<Event>& events = *input.event_log;
  const crypto::Bytes* event_hash = RuntimeEventPayload(events, "compose-hash");
  if (event_hash == nullptr) {
    return Compose(CheckState::kFail, "the event log has no RTMR3 compose-hash event");
  }
  const TcbInfo* tcb = input.info && input.info->tcb_info ? &*input.info->tcb_info : nullptr;
  if (tcb == nullptr || !tcb->app_compose) {
    return Compose(CheckState::kSkip, "no tcb_info.app_compose: the compose hash " +
                                          crypto::EncodeHex(*event_hash) + " was not recomputed");
  }
  const std::string computed = crypto::Sha256::HashHex(*tcb->app_compose);
  if (computed != crypto::EncodeHex(*event_hash)) {
    return Compose(CheckState::kFail, "sha256(app_compose) " + computed +
                                          " is not the compose-hash event's " +
                                          crypto::EncodeHex(*event_hash));
  }
  const MrConfigBinding binding =
      EvaluateMrConfig(td.mr_config_id, v.evidence, tcb ? tcb->mr_config : std::nullopt);
  binding_reason = binding.reason;
  if (binding.checked && !binding.matches) return Compose(CheckState::kFail, binding.reason);
  if (std::optional<std::string> pin = PinMismatch(pins, v.evidence)) {
    return Compose(CheckState::kFail, *pin);
  }
  return Compose(CheckState::kPass, "sha256(app_compose) " + computed +
                                        " is the compose-hash event's; " + binding.reason +
                                        (pins.empty() ? "" : "; expect.dstack pins hold"));
}

}  // namespace

DstackInput MakeDstackInput(std::string_view event_log_json, std::string_view info_json) {
  DstackInput input;
  if (!info_json.empty()) {
    Result<AppInfo> info = ParseAppInfo(info_json);
    if (info.ok()) {
      input.info = std::move(info).value();
    } else {
      input.info_problem = info.error();
    }
  }
  if (!event_log_json.empty()) {
    Result<std::vector<Event>> events = ParseEventLog(event_log_json);
    if (events.ok()) {
      input.event_log = std::move(events).value();
    } else {
      input.event_log_problem = events.error();
    }
  } else if (input.info && input.info->tcb_info && input.info->tcb_info->has_event_log) {
    input.event_log = input.info->tcb_info->event_log;
  }
  return input;
}

DstackVerification VerifyDstack(const DstackInput& input, const TdReportBody* td,
                                const DstackPins& pins) {
  DstackVerification v;
  v.evidence = ExtractDstackEvidence(input.event_log ? *input.event_log : std::vector<Event>{},
                                     input.info ? &*input.info : nullptr);
  std::string why_not;
  if (!input.event_log_problem.empty()) {
    v.checks.push_back({"EVENTLOG-REPLAY", CheckState::kFail, input.event_log_problem});
    v.checks.push_back(Compose(CheckState::kSkip, "the event log could not be parsed"));
    return v;
  }
  if (!input.event_log) why_not = "the report has no event_log";
  if (td == nullptr) why_not = "the quote could not be parsed";
  if (!why_not.empty()) {
    v.checks.push_back({"EVENTLOG-REPLAY", CheckState::kSkip, why_not});
    v.checks.push_back(Compose(CheckState::kSkip, why_not));
    return v;
  }
  v.checks.push_back(CheckEventLogReplay(*input.event_log, td->rtmr));
  if (!input.info_problem.empty()) {
    v.checks.push_back(Compose(CheckState::kFail, input.info_problem));
    return v;
  }
  v.checks.push_back(CheckCompose(input, *td, v, pins, v.mr_config));
  return v;
}

}  // namespace teeharness::attestation::dstack
