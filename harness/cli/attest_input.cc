#include "harness/cli/attest_input.h"

#include <charconv>

#include "harness/attestation/collateral/rfc3339.h"
#include "harness/base/read_file.h"

namespace teeharness::cli {

Result<std::string> ReadAttestFile(const std::string& path) { return ReadFile(path); }

Result<int64_t> ParseAttestTime(const std::string& text) {
  int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && end == text.data() + text.size()) return seconds;
  Result<int64_t> parsed = attestation::ParseRfc3339(text);
  if (!parsed.ok()) return MakeError("--at '", text, "' is neither unix seconds nor RFC 3339");
  return parsed;
}

int AttestExitCode(attestation::Verdict verdict) {
  switch (verdict) {
    case attestation::Verdict::kValid:
      return 0;
    case attestation::Verdict::kRejected:
      return 1;
    case attestation::Verdict::kIncomplete:
      return 3;
  }
  return 1;
}

}  // namespace teeharness::cli
