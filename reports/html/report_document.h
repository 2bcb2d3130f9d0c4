#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/base/result.h"
#include "reports/run_result.h"

namespace teeharness::reports::html {

// A saved JSON report (README "JSON report") as the HTML page reads it: every field optional, a
// field of the wrong type is treated as missing, and what the reader does not know is kept as
// text (`other`) rather than dropped, so a report from a newer or older teeharness renders what
// it has. Value types, not thread-safe.

struct LatencyRow {
  std::string name;  // op, ttft, itl, ...
  std::optional<double> count, mean, p50, p90, p95, p99, max;
};

struct CheckRow {
  std::string id;
  uint64_t passed = 0, failed = 0, skipped = 0;
  std::string skip_reason;
  std::vector<std::string> evidence;
};

struct AccountingView {
  bool present = false;
  uint64_t arrivals = 0, succeeded = 0, dropped = 0;
  int64_t unaccounted = 0;
  std::map<std::string, uint64_t> failed;
};

struct PhaseView {
  std::string name, kind;
  std::optional<double> duration_seconds, requests, iterations, rate, target_rate, dropped, retries;
  bool interrupted = false, aborted = false;
  AccountingView accounting;
  std::vector<LatencyRow> latency;
  std::map<std::string, uint64_t> errors;
  std::vector<CheckRow> checks;
  std::optional<double> timeline_step_seconds;
  std::vector<TimelineSample> timeline;
  std::vector<std::pair<std::string, std::string>> other;  // unknown members, as compact text
};

struct ThresholdRow {
  std::string metric, expression;
  std::optional<double> observed;
  bool has_data = true;
  std::optional<bool> passed;
};

struct SightingRow {
  std::string address, phase;
  std::optional<double> epoch, at_seconds;
};

// One step of a sweep (JSON `sweeps[].steps[]`).
struct SweepStepRow {
  std::string phase;
  std::optional<double> offered, achieved_rate, goodput, verified_goodput, ttft_p95,
      output_tokens_per_second;
  bool met_slo = false, stopped = false;
};

struct SweepView {
  std::string name, over;  // over: rate | concurrency
  std::vector<SweepStepRow> steps;
  std::optional<double> capacity_offered;  // none: no capacity found
  std::string capacity_note;
};

struct ReportDocument {
  std::optional<int64_t> schema_version;
  std::string tool_version, libcurl_version;
  std::string scenario_name, scenario_sha256;
  std::string target_url, dialect, model;
  std::optional<bool> builtin_mock;
  std::string started_at;
  std::optional<double> duration_seconds;
  bool interrupted = false, aborted = false;
  std::vector<std::pair<std::string, std::string>> abort;  // the abort object's members, as text
  std::optional<int64_t> exit_code;
  std::vector<PhaseView> phases;
  std::vector<CheckRow> checks;
  std::vector<ThresholdRow> thresholds;
  std::vector<std::pair<std::string, std::string>> attestation;  // members, as text
  std::vector<SightingRow> signing_addresses;
  std::optional<double> signing_address_changes;
  std::vector<SweepView> sweeps;
  std::vector<std::pair<std::string, std::string>> other;  // unknown top-level members
};

// Reads `json`. An error (one line naming what is wrong) only when it is not JSON, not an object,
// or has none of a report's members (schema_version, phases, checks); anything else renders.
// Nesting deeper than a report's is refused (stack safety on hostile input). Thread-safe (pure).
Result<ReportDocument> ReadReportDocument(std::string_view json);

}  // namespace teeharness::reports::html
