#pragma once

#include "harness/workload/request_source.h"

namespace teeharness::workload {

// Prompts generated when due (GeneratePrompt): unbounded and distinct with unique_prefix, the same
// for a seed on every run. Thread-safe (pure).
class SyntheticSource : public RequestSource {
 public:
  SyntheticSource(SyntheticSpec spec, BodyDefaults defaults, uint64_t seed)
      : spec_(std::move(spec)), defaults_(std::move(defaults)), seed_(seed) {}

  Result<BodyRef> Body(uint64_t sequence) const override;
  uint64_t distinct() const override { return 0; }
  std::string_view kind() const override { return "synthetic"; }

  // The body of `sequence` itself (Body wraps it).
  PreparedBody Build(uint64_t sequence) const;

 private:
  SyntheticSpec spec_;
  BodyDefaults defaults_;
  uint64_t seed_;
};

}  // namespace teeharness::workload
