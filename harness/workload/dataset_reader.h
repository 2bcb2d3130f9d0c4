#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <string>

#include "harness/base/result.h"
#include "harness/workload/source_spec.h"

namespace teeharness::workload {

// One line of a dataset file as read: where it starts and how long it is (without the newline).
// 16 bytes: a large dataset keeps one per prompt.
struct DatasetLine {
  uint64_t offset = 0;
  uint32_t number = 0;  // 1-based, as editors count (saturates at 2^32 - 1, for messages only)
  uint32_t length = 0;
};

// The longest line a dataset may have (a prompt of a few million tokens).
inline constexpr uint32_t kMaxDatasetLine = 16u << 20;

// Streams `path` in fixed-size blocks (memory stays bounded by the longest line, whatever the file
// size), parses every non-blank line as `format` (ParseDatasetLine) and calls `on_line` with it.
// The first bad line ends the scan: "PATH:LINE: FIELD: message". A file with no prompt is an
// error too. Thread-safe (reads its own file handle).
Result<uint64_t> ReadDataset(
    const std::string& path, DatasetSpec::Format format,
    const std::function<void(const DatasetLine&, rapidjson::Document&)>& on_line);

}  // namespace teeharness::workload
