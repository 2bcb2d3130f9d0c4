#pragma once

#include <string>
#include <string_view>

#include "harness/base/result.h"

namespace teeharness::reports::html {

// A JSON report's text (RenderJsonReport's, or a saved one) as the HTML page: what `teeharness run
// --report-html` writes and `teeharness report RUN.json --html FILE` renders, so both give the
// same page. An error only for input that is not a report (reports/html/report_document.h).
// Thread-safe (pure).
Result<std::string> RenderHtmlFromJson(std::string_view json);

}  // namespace teeharness::reports::html
