#pragma once

#include <cstdint>
#include <string>

#include "harness/workload/source_spec.h"

namespace teeharness::workload {

// Generated prompts (request.synthetic). Thread-safe (pure).
//
// The words-to-tokens rule: one token per word. The built-in list holds kWordCount short, common
// English words (" time", " water", " north", ...) of the kind BPE tokenizers such as GPT-4's and
// Llama 3's encode, leading space included, as a single token (not checked against them here), so
// a prompt of N words is about N tokens of user content, plus the server's chat template. Reported
// token counts never use this rule: they are the server's `usage`.
//
// Prompt `sequence` of a run is a pure function of (seed, sequence): the same on every worker and
// every run with that seed. Its words, in order:
//   1. shared_prefix_tokens words drawn from `seed` alone: the same for every prompt (a prefix
//      cache can serve them);
//   2. with unique_prefix, 8 words spelling the bytes of a 64-bit bijection of `sequence`: no two
//      prompts of a run share them, so no prefix cache helps past part 1;
//   3. words drawn from (seed, sequence) up to the prompt's length from prompt_tokens.
// A prompt is never shorter than its prefixes.
inline constexpr size_t kWordCount = 256;
inline constexpr uint32_t kUniquePrefixWords = 8;

struct SyntheticPrompt {
  std::string content;
  uint32_t words = 0;       // = tokens by the rule above
  uint32_t max_tokens = 0;  // drawn from output_tokens; 0 when the spec has none
};

SyntheticPrompt GeneratePrompt(const SyntheticSpec& spec, uint64_t seed, uint64_t sequence);

}  // namespace teeharness::workload
