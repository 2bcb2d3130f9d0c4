#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

#include "harness/base/result.h"
#include "harness/workload/distribution.h"

namespace teeharness::workload {

// Reading distributions (the sampling is distribution.h). All functions are thread-safe (pure, or
// reading one file).

// A scenario's distribution object: {"dist": "constant", "value": N}, {"dist": "uniform", "min",
// "max"}, {"dist": "normal", "mean", "sd", optional "min" (default 1), "max"}, or {"dist":
// "histogram", "file": PATH} (PATH relative to `base_dir`, the scenario's folder; read by
// LoadHistogramFile). Errors start with the field: "sd: must be a non-negative number".
Result<Distribution> ParseDistributionJson(const rapidjson::Value& value,
                                           const std::string& base_dir);

// A command-line distribution (the mock's flags): "16" or "constant:16", "uniform:50:200",
// "normal:200:50" or "normal:200:50:MIN:MAX", "histogram:FILE". With `durations` each number is a
// duration ("50ms", "normal:50ms:10ms") and values are seconds.
Result<Distribution> ParseDistributionText(std::string_view text, bool durations);

// A histogram file: one bucket per line, "VALUE WEIGHT" or "VALUE,WEIGHT" (a missing weight is 1);
// blank lines and lines starting with '#' are skipped; at most kMaxHistogramBytes. Errors read
// "FILE:LINE: message".
inline constexpr size_t kMaxHistogramBytes = 1 << 20;
Result<Distribution> LoadHistogramFile(const std::string& path);

}  // namespace teeharness::workload
