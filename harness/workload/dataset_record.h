#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "harness/base/result.h"
#include "harness/workload/source_spec.h"

namespace teeharness::workload {

// Parsing one line of a prompt dataset into the request it describes (building the body is
// prepared_body.h). Thread-safe (pure).
//
// openai:   the line is a chat request body: "messages" (a non-empty array of objects, each with a
//           string "role" and a "content"), optional "max_tokens" (integer >= 1) and any other
//           field, sent as written.
// sharegpt: {"conversations": [{"from": "human", "value": "..."}, {"from": "gpt", ...}, ...]}: the
//           first human (or user) turn becomes the one user message; the first answer after it
//           (gpt, assistant, chatgpt, bard, model) sets max_tokens by EstimateTokens (no answer:
//           request.max_tokens).
// Errors start with the field: "messages[2].role: missing", "conversations: no human turn".
Result<bool> ParseDatasetLine(std::string_view line, DatasetSpec::Format format,
                              rapidjson::Document& request);

// The words-to-tokens rule for text of unknown origin (a ShareGPT answer): about four characters
// per token, as OpenAI's tokenizer guidance puts it for English; at least 1.
uint32_t EstimateTokens(std::string_view text);

}  // namespace teeharness::workload
