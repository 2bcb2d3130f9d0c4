#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace teeharness::checks {

// Evidence quotes what servers sent, and servers may send anything. Before it reaches a report,
// evidence is made printable: valid UTF-8 is kept, control characters become \n, \t, \r or \u00XX,
// bytes that are not UTF-8 become \xNN, and the text is cut (at a character boundary, with "...")
// after `max_bytes`. The result is valid UTF-8 without control characters, so every writer (JSON,
// XML, terminal) can carry it. Thread-safe (pure).
inline constexpr size_t kMaxEvidenceBytes = 1024;
std::string PrintableEvidence(std::string_view text, size_t max_bytes = kMaxEvidenceBytes);

}  // namespace teeharness::checks
