#include "reports/html/html_report.h"

#include "reports/html/html_page.h"
#include "reports/html/report_document.h"

namespace teeharness::reports::html {

Result<std::string> RenderHtmlFromJson(std::string_view json) {
  Result<ReportDocument> document = ReadReportDocument(json);
  if (!document.ok()) return Error{document.error()};
  return RenderHtmlPage(*document);
}

}  // namespace teeharness::reports::html
