#include "harness/engine/loop/descriptor_limit.h"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace teeharness::engine {

PeakConnections PeakConnectionsOf(const scenario::Scenario& scenario) {
  PeakConnections peak;
  for (const scenario::PhaseSpec& phase : scenario.phases) {
    const uint64_t connections = phase.open() ? phase.max_in_flight : phase.concurrency;
    if (connections > peak.connections) {
      peak.connections = connections;
      peak.source = "phase '" + phase.name + "' (" +
                    (phase.open() ? "max_in_flight " : "concurrency ") +
                    std::to_string(connections) + ")";
    }
  }
  return peak;
}

Result<uint64_t> EnsureDescriptorsFor(const PeakConnections& peak) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return MakeError("cannot read the open-file limit: ", std::strerror(errno));
  }
  if (limit.rlim_cur == RLIM_INFINITY) return UINT64_MAX;
  const uint64_t needed = peak.connections + kReservedDescriptors;
  if (limit.rlim_cur >= needed) return limit.rlim_cur;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed) {
    return MakeError(
        peak.source, " may hold ", peak.connections, " connections at once, which needs ", needed,
        " open files, but the hard limit is ", limit.rlim_max, ". Raise it (as root: `ulimit -Hn ",
        needed, "`; systemd: LimitNOFILE=; docker: --ulimit nofile=", needed, ":", needed,
        "; /etc/security/limits.conf: nofile) or lower the concurrency");
  }
  // Only as far as needed: code that walks every possible descriptor stays cheap.
  limit.rlim_cur = needed;
  if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return MakeError("cannot raise the open-file limit to ", needed, ": ", std::strerror(errno));
  }
  return needed;
}

}  // namespace teeharness::engine
