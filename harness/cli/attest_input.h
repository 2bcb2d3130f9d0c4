#pragma once

#include <cstdint>
#include <string>

#include "harness/attestation/verify/check_result.h"
#include "harness/base/result.h"

namespace teeharness::cli {

// Small pieces shared by the `attest` subcommands. Thread-safe (pure, apart from reading files).

// The whole file, bytes as they are. An Error names the path.
Result<std::string> ReadAttestFile(const std::string& path);

// `--at`: unix seconds or RFC 3339.
Result<int64_t> ParseAttestTime(const std::string& text);

// 0 valid, 1 rejected, 3 incomplete (2, usage, is the caller's).
int AttestExitCode(attestation::Verdict verdict);

}  // namespace teeharness::cli
