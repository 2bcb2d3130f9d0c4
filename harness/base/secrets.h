#pragma once

#include <string>
#include <string_view>

namespace teeharness {

// Values that must never be written anywhere: API keys. They are registered where they are read
// from the environment, and every text that quotes a server (check evidence) passes through
// RedactSecrets, because a server may echo the request, Authorization header included, in an error
// body. Thread-safe: registration and redaction may run on any thread.
void RegisterSecret(std::string value);

// `text` with every occurrence of a registered secret replaced by "[redacted]".
std::string RedactSecrets(std::string_view text);

inline constexpr std::string_view kRedacted = "[redacted]";

}  // namespace teeharness
