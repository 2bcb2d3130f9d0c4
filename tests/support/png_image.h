#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/base/result.h"

namespace teeharness::testing {

// An 8-bit RGB or RGBA PNG (what Chromium's --screenshot writes), decoded with zlib: enough to
// tell a blank screenshot from a drawn one. Value type.
struct PngImage {
  uint32_t width = 0, height = 0;
  unsigned channels = 0;        // 3 (RGB) or 4 (RGBA)
  std::vector<uint8_t> pixels;  // rows top to bottom, `channels` bytes per pixel

  // Distinct colours (RGB) among the pixels.
  size_t DistinctColours() const;
  // The variance of the pixels' luminance (0 for a single-colour image).
  double LuminanceVariance() const;
};

// Decodes a non-interlaced 8-bit RGB/RGBA PNG file's bytes; any other PNG is an error.
Result<PngImage> DecodePng(const std::string& bytes);

}  // namespace teeharness::testing
