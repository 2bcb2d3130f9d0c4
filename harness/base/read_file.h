#pragma once

#include <string>

#include "harness/base/result.h"

namespace teeharness {

// The whole content of the file at `path`, as bytes; an Error "cannot read PATH" when it cannot
// be opened or read. Thread-safe.
Result<std::string> ReadFile(const std::string& path);

}  // namespace teeharness
