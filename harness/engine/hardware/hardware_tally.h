#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "harness/attestation/verify/report_hardware.h"
#include "reports/run_result.h"

namespace teeharness::engine {

// What the run's reports showed of their GPUs and dstack apps: verdicts, firmware versions and
// app identities, each with how often it was seen. Bounded by the distinct values, which are few
// (one per firmware build or app deployment). Thread-safe (internal mutex).
class HardwareTally {
 public:
  void Count(const attestation::ReportHardware& hardware);

  // Fills the GPU and dstack parts of `summary`.
  void AddTo(reports::AttestationSummary& summary) const;

 private:
  using FirmwareKey = std::tuple<std::string, std::string>;
  using IdentityKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;
  // Past this many distinct values a server that varies them per report is not worth tracking
  // further: the reports with yet other values are counted under kOverflow in every field.
  static constexpr size_t kMaxDistinct = 64;
  static constexpr const char* kOverflow = "(more distinct values than reported)";

  mutable std::mutex mutex_;
  uint64_t gpu_reports_ = 0;                         // by mutex_
  std::map<std::string, uint64_t> gpu_verdicts_;     // by mutex_
  std::map<std::string, uint64_t> dstack_verdicts_;  // by mutex_
  std::map<FirmwareKey, uint64_t> firmware_;         // by mutex_
  std::map<IdentityKey, uint64_t> identities_;       // by mutex_
};

}  // namespace teeharness::engine
