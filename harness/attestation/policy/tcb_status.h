#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "harness/base/result.h"

namespace teeharness::attestation {

// The TCB statuses Intel's TCB info and identities use, worst last, plus the two that Intel's QVL
// computes for a TD report 1.5 whose module a TD relaunch would bring up to date
// (TDRelaunchCheck.cpp): they never appear in collateral. Apart from those two, the order is
// dcap-qvl's severity order (tcb_info.rs: TcbStatus::severity), which is also how bad each status
// is in Intel's QVL (TcbStatus.h, VALID_TCB_INFO_STATUSES); a relaunch-advised TD is better off
// than an OutOfDate one (only the dcap-qvl rule orders statuses, and it never yields those two).
enum class TcbStatus {
  kUpToDate,
  kSWHardeningNeeded,
  kConfigurationNeeded,
  kConfigurationAndSWHardeningNeeded,
  kTDRelaunchAdvised,
  kTDRelaunchAdvisedConfigurationNeeded,
  kOutOfDate,
  kOutOfDateConfigurationNeeded,
  kRevoked,
};

// Every status, best first. Thread-safe (constant data), as are all functions below (pure).
std::span<const TcbStatus> AllTcbStatuses();

// Intel's spelling ("UpToDate", "SWHardeningNeeded", ...).
std::string_view TcbStatusName(TcbStatus status);

// Exact, case-sensitive: collateral is signed text, and Intel's QVL rejects unknown spellings
// (STATUS_TCB_UNRECOGNIZED_STATUS) rather than guessing. The error lists the known names.
Result<TcbStatus> ParseTcbStatus(std::string_view text);
bool IsKnownTcbStatus(std::string_view text);

// "UpToDate, SWHardeningNeeded, ..., Revoked" for error messages and --help.
std::string KnownTcbStatusList();

// False for the two relaunch statuses, which a verifier computes and collateral never lists
// (Intel's QVL: not in VALID_TCB_INFO_STATUSES, so a TCB info or identity level carrying one is
// rejected).
bool IsCollateralTcbStatus(TcbStatus status);

// The statuses a TDX module identity level may carry (Intel's QVL: VALID_MODULE_TCB_STATUSES).
bool IsValidModuleTcbStatus(TcbStatus status);

// Intel's QVL, TdxModuleCheck.cpp convergeTcbStatusWithTdxModuleStatus: a module that is OutOfDate
// makes an UpToDate or SWHardeningNeeded platform OutOfDate and a ConfigurationNeeded or
// ConfigurationAndSWHardeningNeeded platform OutOfDateConfigurationNeeded; a Revoked module makes
// the result Revoked; otherwise the platform's status stands.
TcbStatus ConvergeWithModuleStatus(TcbStatus platform, TcbStatus module);

// Intel's QVL, TcbLevelCheck.cpp convergeTcbStatusWithQeTcbStatus: the same folding for the QE
// identity's status (OutOfDate degrades as above, Revoked wins). Offered for the verifier; the
// TCB matcher itself does not see the QE.
TcbStatus ConvergeWithQeStatus(TcbStatus platform, TcbStatus qe);

// dcap-qvl's TcbStatusWithAdvisory::merge: the worse of the two by severity. Differs from Intel's
// convergence for ConfigurationNeeded + OutOfDate (dcap-qvl: OutOfDate; Intel:
// OutOfDateConfigurationNeeded).
TcbStatus WorseTcbStatus(TcbStatus a, TcbStatus b);

}  // namespace teeharness::attestation
