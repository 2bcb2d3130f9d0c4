#include "harness/checks/retention_checks.h"

#include <cstdio>

namespace teeharness::checks {
namespace {

std::string Seconds(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.2fs", value);
  return buffer;
}

}  // namespace

RetentionWindow MeasureRetention(const RetentionObservation& o) {
  RetentionWindow window;
  for (const RetentionProbe& probe : o.probes) {
    if (probe.status == 200) window.last_served = probe.age_seconds;
    if (probe.status == 404 && window.first_gone < 0) window.first_gone = probe.age_seconds;
  }
  return window;
}

std::vector<Outcome> CheckRetention(const RetentionObservation& o) {
  const double keep_until = o.retention_seconds - o.tolerance_seconds;
  const double gone_after = o.retention_seconds + o.tolerance_seconds;
  std::string retain_problem;
  std::string expire_problem;
  bool saw_late_probe = false;
  for (const RetentionProbe& p : o.probes) {
    if (p.age_seconds < keep_until && p.status != 200 && retain_problem.empty()) {
      retain_problem = "HTTP " + std::to_string(p.status) + " at " + Seconds(p.age_seconds);
    }
    if (p.age_seconds > gone_after) {
      saw_late_probe = true;
      if (expire_problem.empty() && p.status != 404) {
        expire_problem = "HTTP " + std::to_string(p.status) + " at " + Seconds(p.age_seconds);
      } else if (expire_problem.empty() && !p.error_shape_ok) {
        expire_problem = "404 without the error body at " + Seconds(p.age_seconds);
      }
    }
  }
  const std::string window = " (retention " + Seconds(o.retention_seconds) + ")";
  std::vector<Outcome> outcomes;
  outcomes.push_back(
      retain_problem.empty()
          ? Outcome::Pass("SIG-RETAIN")
          : Outcome::Fail("SIG-RETAIN", "chat " + o.chat_id + ": " + retain_problem + window));
  if (saw_late_probe) {
    outcomes.push_back(
        expire_problem.empty()
            ? Outcome::Pass("SIG-EXPIRE")
            : Outcome::Fail("SIG-EXPIRE", "chat " + o.chat_id + ": " + expire_problem + window));
  }
  return outcomes;
}

}  // namespace teeharness::checks
