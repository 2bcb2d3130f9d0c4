#include "harness/attestation/policy/quote_policy.h"

#include <charconv>

#include "harness/attestation/policy/tcb_status.h"
#include "harness/crypto/hex.h"

namespace teeharness::attestation {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    parts.push_back(Trim(s.substr(start, at == std::string_view::npos ? at : at - start)));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

// One list of statuses: tcb_status.h's, relaunch statuses included.
bool IsTcbStatus(std::string_view s) { return IsKnownTcbStatus(s); }

std::string TcbStatusList() { return KnownTcbStatusList(); }

Result<bool> ParseBool(std::string_view key, std::string_view value) {
  if (value == "true") return true;
  if (value == "false") return false;
  return MakeError("policy ", key, ": expected true or false, got '", value, "'");
}

Result<crypto::Bytes> ParseHexOfSize(std::string_view key, std::string_view value, size_t size) {
  Result<crypto::Bytes> bytes = crypto::DecodeHex(value);
  if (!bytes.ok()) return MakeError("policy ", key, ": ", bytes.error());
  if (bytes->size() != size) {
    return MakeError("policy ", key, ": expected ", size, " bytes (", 2 * size,
                     " hex digits), got ", bytes->size());
  }
  return bytes;
}

}  // namespace

const std::map<std::string, size_t>& PinFields() {
  static const std::map<std::string, size_t> fields = {
      {"fmspc", 6},           {"qe_vendor_id", 16}, {"mrtd", 48},
      {"rtmr0", 48},          {"rtmr1", 48},        {"rtmr2", 48},
      {"rtmr3", 48},          {"mr_seam", 48},      {"mr_signer_seam", 48},
      {"seam_attributes", 8}, {"td_attributes", 8}, {"xfam", 8},
      {"mr_config_id", 48},   {"mr_owner", 48},     {"mr_owner_config", 48},
      {"report_data", 64}};
  return fields;
}

Result<bool> ApplyPolicyValue(std::string_view key, std::string_view value, QuotePolicy& policy) {
  value = Trim(value);
  if (key == "tcb_status") {
    std::vector<std::string> statuses;
    for (std::string_view s : Split(value, ',')) {
      if (!IsTcbStatus(s)) {
        return MakeError("policy tcb_status: unknown status '", s, "' (one of ", TcbStatusList(),
                         ")");
      }
      statuses.emplace_back(s);
    }
    policy.accepted_tcb_statuses = std::move(statuses);
    return true;
  }
  if (key == "allow_debug" || key == "allow_sept_ve" || key == "allow_service_td") {
    Result<bool> b = ParseBool(key, value);
    if (!b.ok()) return b;
    (key == "allow_debug"     ? policy.allow_debug
     : key == "allow_sept_ve" ? policy.allow_sept_ve
                              : policy.allow_service_td) = *b;
    return true;
  }
  if (key == "min_tee_tcb_svn") {
    Result<crypto::Bytes> svn = ParseHexOfSize(key, value, 16);
    if (!svn.ok()) return Error{svn.error()};
    policy.min_tee_tcb_svn = *svn;
    return true;
  }
  if (key == "min_tcb_evaluation_data_number") {
    int n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size() || n < 0) {
      return MakeError("policy ", key, ": expected a non-negative integer, got '", value, "'");
    }
    policy.min_tcb_evaluation_data_number = n;
    return true;
  }
  const auto field = PinFields().find(std::string(key));
  if (field == PinFields().end()) {
    return MakeError("policy: unknown key '", key,
                     "' (tcb_status, allow_debug, allow_sept_ve, allow_service_td, "
                     "min_tee_tcb_svn, min_tcb_evaluation_data_number, or a pin such as mrtd)");
  }
  std::vector<crypto::Bytes> values;
  for (std::string_view v : Split(value, ',')) {
    Result<crypto::Bytes> bytes = ParseHexOfSize(key, v, field->second);
    if (!bytes.ok()) return Error{bytes.error()};
    values.push_back(*bytes);
  }
  if (values.size() > 1 && key != "mr_seam") {
    return MakeError("policy ", key, ": only mr_seam takes several values");
  }
  policy.pins[field->first] = std::move(values);
  return true;
}

Result<bool> ApplyPolicySetting(std::string_view settings, QuotePolicy& policy) {
  for (std::string_view setting : Split(settings, ';')) {
    if (setting.empty()) continue;
    const size_t eq = setting.find('=');
    if (eq == std::string_view::npos) {
      return MakeError("policy setting '", setting, "' is not KEY=VALUE");
    }
    Result<bool> applied =
        ApplyPolicyValue(Trim(setting.substr(0, eq)), setting.substr(eq + 1), policy);
    if (!applied.ok()) return applied;
  }
  return true;
}

}  // namespace teeharness::attestation
