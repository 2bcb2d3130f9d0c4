// Placeholder until this command lands; owned by the issue that implements it.
#include <cstdio>

#include "harness/cli/commands.h"

namespace teeharness::cli {

int ValidateCommand(CommandArgs) {
  std::fputs("teeharness validate: not built yet\n", stderr);
  return 2;
}

}  // namespace teeharness::cli
