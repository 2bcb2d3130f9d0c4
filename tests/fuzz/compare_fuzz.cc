// teeharness compare over arbitrary bytes: the first line as a --fail-on rule, the rest split at
// the first NUL into BASE and NEW reports; every output rendered. Bad input must give an Error,
// never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "reports/compare/compare_render.h"
#include "reports/compare/comparison.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness::reports::compare;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t newline = text.find('\n');
  const std::string rule_text = text.substr(0, newline);
  const std::string reports = newline == std::string::npos ? text : text.substr(newline + 1);
  const size_t split = reports.find('\0');
  const std::string base_text = reports.substr(0, split);
  const std::string new_text = split == std::string::npos ? reports : reports.substr(split + 1);
  std::vector<CompareRule> rules;
  if (teeharness::Result<CompareRule> rule = ParseCompareRule(rule_text); rule.ok()) {
    rules.push_back(*rule);
  }
  teeharness::Result<ReportFigures> base = ParseReportFigures(base_text, "base.json");
  teeharness::Result<ReportFigures> now = ParseReportFigures(new_text, "new.json");
  if (!base.ok() || !now.ok()) return 0;
  for (const std::vector<CompareRule>& set : {std::vector<CompareRule>{}, rules}) {
    teeharness::Result<Comparison> c = Compare(*base, *now, set);
    if (!c.ok()) continue;
    (void)RenderCompareText(*c);
    (void)RenderCompareJson(*c);
    (void)RenderCompareHtml(*c);
  }
  return 0;
}
