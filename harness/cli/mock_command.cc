// `teeharness mock`: the mock TEE signer (mocks/).
#include <cstdio>

#include "harness/cli/commands.h"
#include "mocks/signer_server.h"

namespace teeharness::cli {

int MockCommand(CommandArgs args) {
  bool help = false;
  Result<mocks::SignerOptions> options = mocks::ParseSignerOptions(args, &help);
  if (help) {
    std::fputs(mocks::kSignerHelp, stdout);
    return 0;
  }
  if (!options.ok()) {
    std::fprintf(stderr, "teeharness mock: %s\n", options.error().c_str());
    return 2;
  }
  Result<std::unique_ptr<mocks::SignerBackend>> backend =
      mocks::SignerBackend::Create(std::move(options).value());
  if (!backend.ok()) {
    std::fprintf(stderr, "teeharness mock: %s\n", backend.error().c_str());
    return 2;
  }
  mocks::SignerServer server(std::move(backend).value());
  if (Result<bool> ran = server.Run(); !ran.ok()) {
    std::fprintf(stderr, "teeharness mock: %s\n", ran.error().c_str());
    return 2;
  }
  return 0;
}

}  // namespace teeharness::cli
