#include "harness/attestation/policy/tcb_status.h"

#include <array>

namespace teeharness::attestation {
namespace {

constexpr std::array<TcbStatus, 9> kAll = {
    TcbStatus::kUpToDate,
    TcbStatus::kSWHardeningNeeded,
    TcbStatus::kConfigurationNeeded,
    TcbStatus::kConfigurationAndSWHardeningNeeded,
    TcbStatus::kTDRelaunchAdvised,
    TcbStatus::kTDRelaunchAdvisedConfigurationNeeded,
    TcbStatus::kOutOfDate,
    TcbStatus::kOutOfDateConfigurationNeeded,
    TcbStatus::kRevoked,
};

// Folding shared by Intel's two convergence functions (module and QE): only an OutOfDate or
// Revoked second status changes the platform's.
TcbStatus Degrade(TcbStatus platform, TcbStatus other) {
  if (other == TcbStatus::kOutOfDate) {
    if (platform == TcbStatus::kUpToDate || platform == TcbStatus::kSWHardeningNeeded) {
      return TcbStatus::kOutOfDate;
    }
    if (platform == TcbStatus::kConfigurationNeeded ||
        platform == TcbStatus::kConfigurationAndSWHardeningNeeded) {
      return TcbStatus::kOutOfDateConfigurationNeeded;
    }
  }
  if (other == TcbStatus::kRevoked) return TcbStatus::kRevoked;
  return platform;
}

}  // namespace

std::span<const TcbStatus> AllTcbStatuses() { return kAll; }

std::string_view TcbStatusName(TcbStatus status) {
  switch (status) {
    case TcbStatus::kUpToDate:
      return "UpToDate";
    case TcbStatus::kSWHardeningNeeded:
      return "SWHardeningNeeded";
    case TcbStatus::kConfigurationNeeded:
      return "ConfigurationNeeded";
    case TcbStatus::kConfigurationAndSWHardeningNeeded:
      return "ConfigurationAndSWHardeningNeeded";
    case TcbStatus::kTDRelaunchAdvised:
      return "TDRelaunchAdvised";
    case TcbStatus::kTDRelaunchAdvisedConfigurationNeeded:
      return "TDRelaunchAdvisedConfigurationNeeded";
    case TcbStatus::kOutOfDate:
      return "OutOfDate";
    case TcbStatus::kOutOfDateConfigurationNeeded:
      return "OutOfDateConfigurationNeeded";
    case TcbStatus::kRevoked:
      return "Revoked";
  }
  return "Unknown";
}

Result<TcbStatus> ParseTcbStatus(std::string_view text) {
  for (TcbStatus s : kAll) {
    if (TcbStatusName(s) == text) return s;
  }
  // Untrusted text: quote at most a bounded prefix of it.
  const std::string_view shown = text.substr(0, 64);
  return MakeError("unknown TCB status '", shown, text.size() > shown.size() ? "...'" : "'",
                   " (one of ", KnownTcbStatusList(), ")");
}

bool IsKnownTcbStatus(std::string_view text) { return ParseTcbStatus(text).ok(); }

std::string KnownTcbStatusList() {
  std::string list;
  for (TcbStatus s : kAll) {
    if (!list.empty()) list += ", ";
    list += TcbStatusName(s);
  }
  return list;
}

bool IsCollateralTcbStatus(TcbStatus status) {
  return status != TcbStatus::kTDRelaunchAdvised &&
         status != TcbStatus::kTDRelaunchAdvisedConfigurationNeeded;
}

bool IsValidModuleTcbStatus(TcbStatus status) {
  return status == TcbStatus::kUpToDate || status == TcbStatus::kOutOfDate ||
         status == TcbStatus::kRevoked;
}

TcbStatus ConvergeWithModuleStatus(TcbStatus platform, TcbStatus module) {
  return Degrade(platform, module);
}

TcbStatus ConvergeWithQeStatus(TcbStatus platform, TcbStatus qe) { return Degrade(platform, qe); }

TcbStatus WorseTcbStatus(TcbStatus a, TcbStatus b) {
  return static_cast<int>(b) > static_cast<int>(a) ? b : a;
}

}  // namespace teeharness::attestation
