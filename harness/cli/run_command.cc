// Placeholder until this command lands; owned by the issue that implements it.
#include <cstdio>

#include "harness/cli/commands.h"

namespace teeharness::cli {

int RunCommand(CommandArgs) {
  std::fputs("teeharness run: not built yet\n", stderr);
  return 2;
}

}  // namespace teeharness::cli
