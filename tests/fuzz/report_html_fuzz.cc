// `teeharness report`: a saved JSON report, or any bytes, rendered as the HTML page. Bad input must
// give an error, never a crash; and whatever the document holds, the page never gets markup from
// it: no script element and only valid UTF-8 (every text is escaped and replaced).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "reports/html/html_report.h"

namespace {

bool ValidUtf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > text.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  teeharness::Result<std::string> page = teeharness::reports::html::RenderHtmlFromJson(text);
  if (page.ok() && (page->find("<script") != std::string::npos || !ValidUtf8(*page))) std::abort();
  return 0;
}
