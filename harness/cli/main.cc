// teeharness: stress and conformance test harness for confidential (TEE-attested, response-signing)
// LLM inference endpoints. See README.md and DESIGN.md for the command line contract.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string_view>

#include "harness/cli/commands.h"

namespace {

constexpr const char* kUsage =
    "usage: teeharness <command> [options]\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.json   drive a scenario against a target (or the built-in mock) and check it\n"
    "  mock                run the mock TEE signer (phala, near or ionet dialect)\n"
    "  verify              verify one signed response offline\n"
    "  validate SCENARIO   check a scenario file without sending anything\n"
    "  checks              list the conformance checks (--markdown for a table)\n"
    "  attest verify       verify a TDX quote or attestation report to Intel's root\n"
    "  attest gpu          verify one NVIDIA GPU's SPDM evidence to NVIDIA's root\n"
    "  report RUN.json     render a saved JSON report as a self-contained HTML page\n"
    "  compare BASE NEW    two JSON reports side by side, gated by --fail-on rules\n"
    "\n"
    "`teeharness <command> --help` describes each command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  using namespace teeharness::cli;
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string_view command = argv[1];
  const CommandArgs args(argv + 2, static_cast<size_t>(argc - 2));
  try {
    if (command == "run") return RunCommand(args);
    if (command == "mock") return MockCommand(args);
    if (command == "verify") return VerifyCommand(args);
    if (command == "validate") return ValidateCommand(args);
    if (command == "checks") return ChecksCommand(args);
    if (command == "attest") return AttestCommand(args);
    if (command == "report") return ReportCommand(args);
    if (command == "compare") return CompareCommand(args);
  } catch (const std::exception& error) {
    // Start-up and configuration errors surface here as one line; the per-request path never
    // throws.
    std::fprintf(stderr, "teeharness %s: %s\n", argv[1], error.what());
    return 2;
  }
  std::fprintf(stderr, "teeharness: unknown command '%s'\n\n%s", argv[1], kUsage);
  return 2;
}
