// `teeharness compare BASE.json NEW.json [--fail-on RULE]... [--html FILE] [--json]`: two JSON
// reports side by side, gated by rules, for release gating. See README "Comparing runs".
#include <cstdio>
#include <fstream>

#include "harness/base/flags.h"
#include "harness/cli/commands.h"
#include "reports/compare/compare_render.h"
#include "reports/compare/comparison.h"

namespace teeharness::cli {
namespace {

namespace compare = reports::compare;

constexpr const char* kCompareUsage =
    "usage: teeharness compare BASE.json NEW.json [--fail-on RULE]... [--html FILE] [--json]\n"
    "\n"
    "Prints each phase's figures (rate, p50/p95/p99 per op, errors, checks, tokens/s and goodput\n"
    "when present) side by side with their deltas. A RULE fails the comparison when NEW is beyond\n"
    "BASE changed by a limit: 'p95(chat_seconds)>+10%', 'errors>+0', 'rate<-5%',\n"
    "'p99(attest_seconds){phase:attest}>+0.05'. A check that passed in BASE and fails in NEW\n"
    "always fails it. --json prints an object instead of the table; --html writes a page.\n"
    "Exit 0: no regression; 1: a regression (each named); 2: bad usage or unusable input.\n";

int Usage(const std::string& message) {
  std::fprintf(stderr, "teeharness compare: %s\n\n%s", message.c_str(), kCompareUsage);
  return 2;
}

int Unusable(const std::string& message) {
  std::fprintf(stderr, "teeharness compare: %s\n", message.c_str());
  return 2;
}

}  // namespace

int CompareCommand(CommandArgs args) {
  Flags flags;
  flags.Define("fail-on", Flags::Kind::kRepeated)
      .Define("html", Flags::Kind::kValue)
      .Define("json", Flags::Kind::kBool)
      .Define("help", Flags::Kind::kBool);
  if (Result<bool> parsed = flags.Parse(args); !parsed.ok()) return Usage(parsed.error());
  if (flags.Has("help")) {
    std::fputs(kCompareUsage, stdout);
    return 0;
  }
  if (flags.positional().size() != 2) return Usage("expected BASE.json and NEW.json");
  std::vector<compare::CompareRule> rules;
  for (const std::string& text : flags.Values("fail-on")) {
    Result<compare::CompareRule> rule = compare::ParseCompareRule(text);
    if (!rule.ok()) return Usage("--fail-on " + rule.error());
    rules.push_back(std::move(rule).value());
  }
  Result<compare::ReportFigures> base = compare::ReadReportFigures(flags.positional()[0]);
  if (!base.ok()) return Unusable("BASE " + base.error());
  Result<compare::ReportFigures> now = compare::ReadReportFigures(flags.positional()[1]);
  if (!now.ok()) return Unusable("NEW " + now.error());
  Result<compare::Comparison> comparison = compare::Compare(*base, *now, rules);
  if (!comparison.ok()) return Unusable(comparison.error());
  const std::string text = flags.Has("json") ? compare::RenderCompareJson(*comparison)
                                             : compare::RenderCompareText(*comparison);
  std::fputs(text.c_str(), stdout);
  if (flags.Has("html")) {
    std::ofstream out(*flags.Value("html"), std::ios::binary);
    out << compare::RenderCompareHtml(*comparison);
    out.close();
    if (!out) return Unusable("cannot write " + *flags.Value("html"));
  }
  return comparison->exit_code();
}

}  // namespace teeharness::cli
