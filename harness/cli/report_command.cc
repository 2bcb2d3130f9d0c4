// `teeharness report RUN.json --html FILE`: the page `teeharness run --report-html` writes,
// rendered later from a saved JSON report (CI keeps the JSON and renders on demand).
#include <cstdio>
#include <fstream>
#include <sstream>

#include "harness/base/flags.h"
#include "harness/cli/commands.h"
#include "reports/html/html_report.h"

namespace teeharness::cli {
namespace {

constexpr const char* kReportUsage =
    "usage: teeharness report RUN.json --html FILE\n"
    "\n"
    "Renders a JSON report (teeharness run --report-json) as one self-contained HTML page (FILE\n"
    "'-' is stdout). Exit 0: written; 2: bad usage, or RUN.json unreadable or not a report.\n";

int Usage(const std::string& message) {
  std::fprintf(stderr, "teeharness report: %s\n\n%s", message.c_str(), kReportUsage);
  return 2;
}

}  // namespace

int ReportCommand(CommandArgs args) {
  Flags flags;
  flags.Define("html", Flags::Kind::kValue).Define("help", Flags::Kind::kBool);
  if (Result<bool> parsed = flags.Parse(args); !parsed.ok()) return Usage(parsed.error());
  if (flags.Has("help")) {
    std::fputs(kReportUsage, stdout);
    return 0;
  }
  if (flags.positional().size() != 1) return Usage("expected one JSON report");
  if (!flags.Has("html")) return Usage("--html FILE is required");
  const std::string& path = flags.positional()[0];
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "teeharness report: cannot read %s\n", path.c_str());
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  Result<std::string> page = reports::html::RenderHtmlFromJson(text.str());
  if (!page.ok()) {
    std::fprintf(stderr, "teeharness report: %s: %s\n", path.c_str(), page.error().c_str());
    return 2;
  }
  const std::string out_path = *flags.Value("html");
  if (out_path == "-") {
    std::fwrite(page->data(), 1, page->size(), stdout);
    return std::fflush(stdout) == 0 ? 0 : 2;
  }
  std::ofstream out(out_path, std::ios::binary);
  out << *page;
  out.close();
  if (!out) {
    std::fprintf(stderr, "teeharness report: cannot write %s\n", out_path.c_str());
    return 2;
  }
  return 0;
}

}  // namespace teeharness::cli
