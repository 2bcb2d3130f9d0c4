#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <string>

#include "harness/base/result.h"
#include "harness/crypto/bytes.h"
#include "harness/workload/source_spec.h"

namespace teeharness::workload {

// One request's exact bytes and their SHA-256, computed once when the body is built: the bytes
// are sent as they are, and the signature check (SIG-TEXT) uses this hash. Immutable once built;
// safe to share between threads.
struct PreparedBody {
  std::string bytes;
  crypto::Hash32 sha256{};
};

// A body either borrowed from a pool that outlives the run or owned (built for this request).
// Value type; cheap to move.
struct BodyRef {
  const PreparedBody* borrowed = nullptr;
  std::shared_ptr<const PreparedBody> owned;
  const PreparedBody& get() const { return borrowed != nullptr ? *borrowed : *owned; }
};

// Completes `request` (a JSON object: messages and whatever else the source gave) with
// `defaults`: model and stream always set; max_tokens, the extra fields and (streaming)
// stream_options {"include_usage": true} added only when absent. Serialises compactly and hashes.
// Thread-safe (pure).
PreparedBody BuildPreparedBody(rapidjson::Document& request, const BodyDefaults& defaults);

// The same from JSON text; errors when it is not a JSON object.
Result<PreparedBody> BuildPreparedBodyFromText(std::string_view request_json,
                                               const BodyDefaults& defaults);

}  // namespace teeharness::workload
