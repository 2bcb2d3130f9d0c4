#pragma once

#include <string>
#include <vector>

#include "harness/checks/outcome.h"

namespace teeharness::checks {

// One re-fetch of a completed chat's signature, `age_seconds` after its response ended.
struct RetentionProbe {
  double age_seconds = 0;
  long status = 0;             // 200 served; 404 gone; anything else is reported as is
  bool error_shape_ok = true;  // for 404s: the dialect's error body
};

// The probes of one chat, in time order, and what was promised.
struct RetentionObservation {
  std::string chat_id;
  double retention_seconds = 300;
  double tolerance_seconds = 1;  // clock and scheduling slack on each side of the boundary
  std::vector<RetentionProbe> probes;
};

// The measured window: the last age at which the signature was served and the first at which it
// was gone (404). Either is negative when never observed.
struct RetentionWindow {
  double last_served = -1;
  double first_gone = -1;
};
RetentionWindow MeasureRetention(const RetentionObservation& observation);

// SIG-RETAIN (every probe younger than retention - tolerance got 200) and SIG-EXPIRE (every probe
// older than retention + tolerance got a 404 in the error shape). Thread-safe (pure).
std::vector<Outcome> CheckRetention(const RetentionObservation& observation);

}  // namespace teeharness::checks
