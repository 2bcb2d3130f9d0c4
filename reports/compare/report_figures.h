#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"

namespace teeharness::reports::compare {

// The schema versions of the JSON report (reports/json_report.h) that compare reads. Every field it
// reads is one of version 1's; a later version that keeps them is added here (the integration test
// compares two fresh reports, so a bump that is not added fails it).
inline constexpr int kReadableSchemaVersions[] = {1, 2};

// One figure of a phase, named as the rules name it ("rate", "p95(chat_seconds)"). Plain value.
struct Figure {
  std::string name;
  double value = 0;
  bool shown = true;  // in the table (every figure is readable by rules: p90, mean, max too)
};

struct CheckCounts {
  uint64_t passed = 0, failed = 0, skipped = 0;
};

// What `teeharness compare` reads of one phase: its key figures in table order (rate, latency per
// op, errors, checks, then tokens/s and goodput when the report has them). Plain value.
struct PhaseFigures {
  std::string name;
  std::string kind;
  std::vector<Figure> figures;
  const Figure* Find(std::string_view name) const;
};

// What compare reads of one JSON report: its phases, then one row per sweep (kind "sweep", figure
// `capacity`). Plain value type.
struct ReportFigures {
  std::string source;  // the path, for messages
  int schema_version = 0;
  std::string scenario;
  std::string started_at;
  int exit_code = 0;
  std::vector<PhaseFigures> phases;
  std::map<std::string, CheckCounts> checks;  // summed over phases, by id
  const PhaseFigures* FindPhase(std::string_view name) const;
};

// Reads a `--report-json` document. An Error names `source` and says why it is unusable: not JSON,
// not a teeharness report, a schema_version this build does not read, a field of the wrong type.
// Figures that are null (undefined, e.g. a percentile of nothing) are left out. Thread-safe (pure).
Result<ReportFigures> ParseReportFigures(std::string_view text, const std::string& source);

// ParseReportFigures of a file's contents (an Error when it cannot be read).
Result<ReportFigures> ReadReportFigures(const std::string& path);

}  // namespace teeharness::reports::compare
