#include "harness/scenario/request_sources.h"

namespace teeharness::scenario {

Result<std::unique_ptr<workload::RequestSource>> OpenScenarioRequests(const Scenario& s,
                                                                      const std::string& model) {
  workload::BodyDefaults defaults;
  defaults.model = model;
  defaults.stream = s.request.stream;
  defaults.max_tokens = s.request.max_tokens;
  defaults.stream_usage = s.request.stream_usage;
  workload::RequestSourceSpec spec;
  spec.dataset = s.request.dataset;
  spec.synthetic = s.request.synthetic;
  if (spec.dataset || spec.synthetic) {
    defaults.extra_fields = s.request.json;  // the other fields written in `request`
  } else {
    spec.inline_json = s.request.json;
  }
  return workload::OpenRequestSource(spec, defaults, s.seed);
}

}  // namespace teeharness::scenario
