#pragma once

#include <cstdint>
#include <string>

namespace teeharness::reports {

// What `--requests-out` came to, for the JSON report and the terminal. Plain value type.
struct RequestLogSummary {
  std::string path;
  uint64_t lines = 0;    // written to the file
  uint64_t dropped = 0;  // not written: the writer's queue was full (or the log already finished)
  bool write_failed = false;  // the file could not be written (disk full...): lines were lost
};

}  // namespace teeharness::reports
