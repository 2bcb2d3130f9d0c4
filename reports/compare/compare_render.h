#pragma once

#include <string>
#include <string_view>

#include "reports/compare/comparison.h"

namespace teeharness::reports::compare {

// The outputs of `teeharness compare`; each renders the same Comparison. Thread-safe (pure).

// The terminal table: per phase each shown figure with BASE, NEW, delta and delta %; the checks;
// each rule's verdict; every regression by name; the verdict line.
std::string RenderCompareText(const Comparison& c);

// `--json`: one object (README "Comparing runs" lists its fields).
std::string RenderCompareJson(const Comparison& c);

// `--html FILE`: one self-contained page (inline style, no script, no external URL); every string
// taken from the reports is escaped.
std::string RenderCompareHtml(const Comparison& c);

// Text for HTML element content and attribute values: & < > " ' escaped (reports::XmlEscape),
// control characters dropped, and bytes that are not valid UTF-8 replaced by U+FFFD (a report's
// strings come from files and servers).
std::string EscapeHtml(std::string_view text);

}  // namespace teeharness::reports::compare
