#pragma once

#include <string>
#include <vector>

#include "tests/support/files.h"
#include "tests/support/mock_server.h"

namespace teeharness::testing {

// `--set` arguments for `teeharness run` that trust `mock`'s DCAP root and GPU device root (saved
// into `dir`), as a user of a target the harness did not start names them. Not thread-safe.
std::vector<std::string> TrustMockRoots(const MockServer& mock, TempDir& dir);

}  // namespace teeharness::testing
