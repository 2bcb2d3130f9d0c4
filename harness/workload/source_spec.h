#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/workload/distribution.h"

namespace teeharness::workload {

// Where the chat request bodies of a run come from (the scenario's `request`): plain value types,
// filled by the scenario loader and turned into a RequestSource at run start.

// `request.dataset`: a JSONL file of prompts.
struct DatasetSpec {
  enum class Format { kOpenAi, kShareGpt };
  enum class Order { kSequential, kShuffle };
  std::string path;  // resolved against the scenario file's folder
  Format format = Format::kOpenAi;
  Order order = Order::kSequential;
};

// `request.synthetic`: prompts generated from the built-in word list (synthetic_prompt.h).
struct SyntheticSpec {
  Distribution prompt_tokens;
  std::optional<Distribution> output_tokens;  // none: request.max_tokens for every body
  bool unique_prefix = false;
  uint32_t shared_prefix_tokens = 0;
};

// What every body gets, whatever its source.
struct BodyDefaults {
  std::string model;                // target.model ("" = not sent)
  bool stream = false;              // request.stream: always the scenario's
  std::optional<int> max_tokens;    // request.max_tokens: when the body has none
  bool stream_usage = true;         // stream: add stream_options.include_usage unless given
  std::string extra_fields = "{}";  // request's other fields (compact JSON object), when absent
};

}  // namespace teeharness::workload
