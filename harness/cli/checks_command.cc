// `teeharness checks [--markdown]`: the conformance check catalog.
#include <cstdio>
#include <string>

#include "harness/base/flags.h"
#include "harness/checks/catalog.h"
#include "harness/cli/commands.h"

namespace teeharness::cli {
namespace {

std::string DialectList(unsigned mask) {
  if (mask == checks::kAllDialects) return "all";
  std::string out;
  for (const auto& [bit, name] :
       {std::pair{checks::kPhalaDialect, "phala"}, std::pair{checks::kNearDialect, "near"},
        std::pair{checks::kIonetDialect, "ionet"}}) {
    if ((mask & bit) == 0) continue;
    if (!out.empty()) out += ",";
    out += name;
  }
  return out;
}

}  // namespace

int ChecksCommand(CommandArgs args) {
  Flags flags;
  flags.Define("markdown", Flags::Kind::kBool).Define("help", Flags::Kind::kBool);
  if (Result<bool> parsed = flags.Parse(args); !parsed.ok() || !flags.positional().empty()) {
    std::fprintf(stderr, "teeharness checks: %s\nusage: teeharness checks [--markdown]\n",
                 parsed.ok() ? "unexpected argument" : parsed.error().c_str());
    return 2;
  }
  if (flags.Has("help")) {
    std::puts(
        "usage: teeharness checks [--markdown]\nLists every conformance check: id, dialects, "
        "rule.");
    return 0;
  }
  const bool markdown = flags.Has("markdown");
  if (markdown) std::puts("| id | group | dialects | rule |\n|---|---|---|---|");
  for (const checks::CheckInfo& check : checks::Catalog()) {
    const std::string dialects = DialectList(check.dialects);
    if (markdown) {
      std::printf("| %.*s | %.*s | %s | %.*s |\n", static_cast<int>(check.id.size()),
                  check.id.data(), static_cast<int>(check.group.size()), check.group.data(),
                  dialects.c_str(), static_cast<int>(check.rule.size()), check.rule.data());
    } else {
      std::printf("%-13.*s %-17s %.*s\n", static_cast<int>(check.id.size()), check.id.data(),
                  dialects.c_str(), static_cast<int>(check.rule.size()), check.rule.data());
    }
  }
  return 0;
}

}  // namespace teeharness::cli
