#pragma once

#include <string>

#include "reports/html/report_document.h"

namespace teeharness::reports::html {

// The report page: one self-contained HTML5 document (inline CSS and SVG; no script, no external
// reference, a Content-Security-Policy that forbids loading anything) with the header and
// verdict, abort, thresholds, checks matrix with the first evidences, attestation summary,
// each phase's accounting, charts and tables, and whatever members the document had that this
// page does not know. Every text from the document is escaped. Thread-safe (pure).
std::string RenderHtmlPage(const ReportDocument& report);

}  // namespace teeharness::reports::html
