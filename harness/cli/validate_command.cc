// `teeharness validate SCENARIO.json [--set key=value]... [--target URL]`: schema and semantic
// checks only; nothing is sent.
#include <cstdio>

#include "harness/base/duration_parse.h"
#include "harness/base/flags.h"
#include "harness/cli/commands.h"
#include "harness/scenario/loader.h"
#include "harness/scenario/request_sources.h"

namespace teeharness::cli {
namespace {

void PrintSummary(const scenario::Scenario& s) {
  std::printf("%s: valid scenario \"%s\" (%s, %s), %zu phases:\n", s.path.c_str(), s.name.c_str(),
              std::string(protocol::DialectName(s.target.dialect)).c_str(),
              s.target.base_url.empty() ? "built-in mock" : s.target.base_url.c_str(),
              s.phases.size());
  for (const scenario::PhaseSpec& p : s.phases) {
    std::string load;
    if (!p.action.empty()) {
      load = p.action == "sleep" ? FormatDuration(p.sleep) : "";
    } else if (p.open()) {
      load = std::to_string(p.stages.size()) + " rate stage(s), max_in_flight " +
             std::to_string(p.max_in_flight);
    } else {
      load = std::to_string(p.concurrency) + " users";
      if (p.iterations) load += ", " + std::to_string(*p.iterations) + " iterations";
      if (p.duration) load += ", " + FormatDuration(*p.duration);
    }
    std::printf("  %-20s %-16s %s\n", p.name.c_str(), (p.flow.empty() ? p.action : p.flow).c_str(),
                load.c_str());
    if (p.action.empty() && p.abort.any()) {
      std::printf("  %-20s abort: %s\n", "", scenario::DescribeAbortRules(p.abort).c_str());
    }
  }
  std::printf("  %zu threshold(s)\n", s.thresholds.size());
}

}  // namespace

int ValidateCommand(CommandArgs args) {
  Flags flags;
  flags.Define("set", Flags::Kind::kRepeated)
      .Define("target", Flags::Kind::kValue)
      .Define("help", Flags::Kind::kBool);
  Result<bool> parsed = flags.Parse(args);
  if (flags.Has("help")) {
    std::puts("usage: teeharness validate SCENARIO.json [--set key.path=value]... [--target URL]");
    return 0;
  }
  if (!parsed.ok() || flags.positional().size() != 1) {
    std::fprintf(stderr,
                 "teeharness validate: %s\nusage: teeharness validate SCENARIO.json "
                 "[--set key.path=value]... [--target URL]\n",
                 parsed.ok() ? "expected one scenario file" : parsed.error().c_str());
    return 2;
  }
  std::vector<scenario::Override> overrides;
  for (const std::string& set : flags.Values("set")) {
    Result<scenario::Override> o = scenario::ParseOverride(set);
    if (!o.ok()) {
      std::fprintf(stderr, "teeharness validate: %s\n", o.error().c_str());
      return 2;
    }
    overrides.push_back(*o);
  }
  if (flags.Has("target")) overrides.push_back({"target.base_url", *flags.Value("target")});
  scenario::LoadErrors errors;
  Result<scenario::Scenario> loaded =
      scenario::LoadScenario(flags.positional()[0], overrides, &errors);
  if (!loaded.ok()) {
    for (const std::string& message : errors.messages)
      std::fprintf(stderr, "%s\n", message.c_str());
    return 2;
  }
  // A dataset is read through: every line is checked as run would before sending anything.
  Result<std::unique_ptr<workload::RequestSource>> requests =
      scenario::OpenScenarioRequests(*loaded, loaded->target.model);
  if (!requests.ok()) {
    std::fprintf(stderr, "%s\n", requests.error().c_str());
    return 2;
  }
  PrintSummary(*loaded);
  const workload::RequestSource& source = **requests;
  std::printf("  requests: %s", std::string(source.kind()).c_str());
  if (source.distinct() > 0)
    std::printf(", %llu distinct bodies", static_cast<unsigned long long>(source.distinct()));
  std::printf("\n");
  return 0;
}

}  // namespace teeharness::cli
