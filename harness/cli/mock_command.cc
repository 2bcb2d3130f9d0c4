// Placeholder until this command lands; owned by the issue that implements it.
#include <cstdio>

#include "harness/cli/commands.h"

namespace teeharness::cli {

int MockCommand(CommandArgs) {
  std::fputs("teeharness mock: not built yet\n", stderr);
  return 2;
}

}  // namespace teeharness::cli
