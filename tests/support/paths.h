#pragma once

#include <string>

namespace teeharness::testing {

// Paths baked in by CMake (tests/CMakeLists.txt).
inline std::string TeeharnessBinary() { return TEEHARNESS_BIN; }
inline std::string VectorsDir() { return TEEHARNESS_VECTORS_DIR; }
inline std::string SourceDir() { return TEEHARNESS_SOURCE_DIR; }

}  // namespace teeharness::testing
