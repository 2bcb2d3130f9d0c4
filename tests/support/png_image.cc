#include "tests/support/png_image.h"

#include <zlib.h>

#include <cstdlib>
#include <set>

namespace teeharness::testing {
namespace {

uint32_t BigEndian32(const std::string& bytes, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])) << 24 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 3]));
}

Result<std::string> Inflate(const std::string& compressed, size_t expected) {
  std::string out(expected, '\0');
  uLongf length = static_cast<uLongf>(expected);
  const int status = uncompress(reinterpret_cast<Bytef*>(out.data()), &length,
                                reinterpret_cast<const Bytef*>(compressed.data()),
                                static_cast<uLong>(compressed.size()));
  if (status != Z_OK || length != expected) return MakeError("zlib: status ", status);
  return out;
}

uint8_t Paeth(int a, int b, int c) {
  const int p = a + b - c;
  const int pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  if (pa <= pb && pa <= pc) return static_cast<uint8_t>(a);
  return static_cast<uint8_t>(pb <= pc ? b : c);
}

// Reverses the per-row filters (PNG spec 9.2) into `image.pixels`.
Result<bool> Unfilter(const std::string& raw, PngImage& image) {
  const size_t stride = static_cast<size_t>(image.width) * image.channels;
  image.pixels.assign(stride * image.height, 0);
  const unsigned bpp = image.channels;
  for (uint32_t y = 0; y < image.height; ++y) {
    const uint8_t filter = static_cast<uint8_t>(raw[y * (stride + 1)]);
    const uint8_t* in = reinterpret_cast<const uint8_t*>(raw.data()) + y * (stride + 1) + 1;
    uint8_t* row = image.pixels.data() + y * stride;
    const uint8_t* up = y > 0 ? row - stride : nullptr;
    for (size_t x = 0; x < stride; ++x) {
      const int a = x >= bpp ? row[x - bpp] : 0;
      const int b = up ? up[x] : 0;
      const int c = up && x >= bpp ? up[x - bpp] : 0;
      int predictor = 0;
      switch (filter) {
        case 0:
          predictor = 0;
          break;
        case 1:
          predictor = a;
          break;
        case 2:
          predictor = b;
          break;
        case 3:
          predictor = (a + b) / 2;
          break;
        case 4:
          predictor = Paeth(a, b, c);
          break;
        default:
          return MakeError("row ", y, ": filter ", static_cast<int>(filter));
      }
      row[x] = static_cast<uint8_t>(in[x] + predictor);
    }
  }
  return true;
}

}  // namespace

Result<PngImage> DecodePng(const std::string& bytes) {
  if (bytes.size() < 8 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) {
    return Error{"not a PNG"};
  }
  PngImage image;
  std::string idat;
  for (size_t at = 8; at + 12 <= bytes.size();) {
    const uint32_t length = BigEndian32(bytes, at);
    if (at + 12 + length > bytes.size()) return Error{"truncated chunk"};
    const std::string type = bytes.substr(at + 4, 4);
    if (type == "IHDR") {
      if (length < 13) return Error{"short IHDR"};
      image.width = BigEndian32(bytes, at + 8);
      image.height = BigEndian32(bytes, at + 12);
      const int depth = static_cast<uint8_t>(bytes[at + 16]);
      const int colour = static_cast<uint8_t>(bytes[at + 17]);
      const int interlace = static_cast<uint8_t>(bytes[at + 20]);
      if (depth != 8 || (colour != 2 && colour != 6) || interlace != 0) {
        return MakeError("unsupported PNG: depth ", depth, ", colour type ", colour, ", interlace ",
                         interlace);
      }
      image.channels = colour == 2 ? 3 : 4;
    } else if (type == "IDAT") {
      idat += bytes.substr(at + 8, length);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + length;
  }
  if (image.channels == 0 || image.width == 0 || image.height == 0) return Error{"no IHDR"};
  const size_t raw_size = (static_cast<size_t>(image.width) * image.channels + 1) * image.height;
  Result<std::string> raw = Inflate(idat, raw_size);
  if (!raw.ok()) return Error{raw.error()};
  if (Result<bool> done = Unfilter(*raw, image); !done.ok()) return Error{done.error()};
  return image;
}

size_t PngImage::DistinctColours() const {
  std::set<uint32_t> colours;
  for (size_t i = 0; i + channels <= pixels.size(); i += channels) {
    colours.insert(static_cast<uint32_t>(pixels[i]) << 16 | pixels[i + 1] << 8 | pixels[i + 2]);
  }
  return colours.size();
}

double PngImage::LuminanceVariance() const {
  double sum = 0, squares = 0;
  size_t n = 0;
  for (size_t i = 0; i + channels <= pixels.size(); i += channels) {
    const double y = 0.2126 * pixels[i] + 0.7152 * pixels[i + 1] + 0.0722 * pixels[i + 2];
    sum += y;
    squares += y * y;
    ++n;
  }
  if (n == 0) return 0;
  const double mean = sum / n;
  return squares / n - mean * mean;
}

}  // namespace teeharness::testing
