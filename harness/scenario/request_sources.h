#pragma once

#include <memory>
#include <string>

#include "harness/base/result.h"
#include "harness/scenario/scenario.h"
#include "harness/workload/request_source.h"

namespace teeharness::scenario {

// The request source of `s` (inline, dataset or synthetic) with `model` in every body: what `run`
// sends and what `validate` reads through, so that a bad dataset line fails both the same way
// (file, line, field). Reads the whole dataset; call from one thread at start-up.
Result<std::unique_ptr<workload::RequestSource>> OpenScenarioRequests(const Scenario& s,
                                                                      const std::string& model);

}  // namespace teeharness::scenario
