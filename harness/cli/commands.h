#pragma once

#include <span>
#include <string_view>

namespace teeharness::cli {

// Each subcommand takes its arguments after the subcommand name and returns the process exit code
// (DESIGN.md: 0 success, 1 a check/verification failed, 2 usage or input error).
using CommandArgs = std::span<const char* const>;

int RunCommand(CommandArgs args);       // teeharness run SCENARIO ...
int MockCommand(CommandArgs args);      // teeharness mock ...
int VerifyCommand(CommandArgs args);    // teeharness verify ...
int ValidateCommand(CommandArgs args);  // teeharness validate SCENARIO
int ChecksCommand(CommandArgs args);    // teeharness checks [--markdown]
int AttestCommand(CommandArgs args);    // teeharness attest verify ...
int ReportCommand(CommandArgs args);    // teeharness report RUN.json --html FILE
int CompareCommand(CommandArgs args);   // teeharness compare BASE.json NEW.json ...
int AttestGpuCommand(
    CommandArgs args);  // teeharness attest gpu ... (after AttestCommand's dispatch)

}  // namespace teeharness::cli
