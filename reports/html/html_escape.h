#pragma once

#include <string>
#include <string_view>

namespace teeharness::reports::html {

// Text for an HTML page or an SVG document, from anything (much of a report's text comes from the
// server under test: evidence, error strings). Invalid UTF-8 (bad, overlong or truncated sequences,
// surrogates, code points past U+10FFFF) becomes U+FFFD per maximal bad prefix; control characters
// other than tab, newline and carriage return become U+FFFD; & < > " ' become character
// references. The result is safe inside element content and inside a quoted attribute value.
// Thread-safe (pure).
std::string EscapeHtml(std::string_view text);

}  // namespace teeharness::reports::html
