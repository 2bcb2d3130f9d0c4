#pragma once

#include <cstddef>
#include <string_view>

namespace teeharness {

// The length of the well-formed UTF-8 sequence at text[i] (Unicode table 3-7): 1 for ASCII, 2-4
// for a valid multi-byte sequence, 0 when the bytes there are not UTF-8 (overlong forms,
// surrogates, code points past U+10FFFF, a truncated sequence). `i` < text.size(). Thread-safe.
size_t Utf8SequenceLength(std::string_view text, size_t i);

}  // namespace teeharness
