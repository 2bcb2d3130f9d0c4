#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace teeharness {

// RapidJSON parses, validates and walks documents recursively: a few megabytes of "[" overflow the
// stack. Every JSON text from outside (responses, scenario files, --set values) is scanned with
// this first. Returns the offset at which nesting first exceeds `max_depth`, or nullopt. Brackets
// inside strings do not count; nothing else is validated (the parser does that). Thread-safe.
std::optional<size_t> JsonTooDeepAt(std::string_view text, size_t max_depth);

}  // namespace teeharness
