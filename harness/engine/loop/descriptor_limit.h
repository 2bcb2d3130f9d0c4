#pragma once

#include <cstdint>
#include <string>

#include "harness/base/result.h"
#include "harness/scenario/scenario.h"

namespace teeharness::engine {

// Descriptors kept aside from connections: reports, the metrics server and its clients, the
// built-in mock's pipes, the resolver, libcurl's wakeup pipes (one per worker).
inline constexpr uint64_t kReservedDescriptors = 256;

// The most connections the scenario can hold at once: a closed phase holds one per virtual user,
// an open one up to max_in_flight. Phases run one after another, so the largest phase counts.
struct PeakConnections {
  uint64_t connections = 0;
  std::string source;  // "phase 'hold' (concurrency 10000)", for messages
};
PeakConnections PeakConnectionsOf(const scenario::Scenario& scenario);

// Makes room for `connections` open sockets: raises the soft RLIMIT_NOFILE (never beyond what is
// needed, so code that walks every possible descriptor stays cheap) up to the hard limit. When
// the hard limit is too low, nothing is sent and the error says how to raise it. Returns the
// resulting soft limit. Call at start-up, before any thread opens files.
Result<uint64_t> EnsureDescriptorsFor(const PeakConnections& peak);

}  // namespace teeharness::engine
