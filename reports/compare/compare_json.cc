#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cmath>

#include "reports/compare/compare_cells.h"
#include "reports/compare/compare_render.h"

namespace teeharness::reports::compare {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void Number(Writer& w, const char* key, const std::optional<double>& value) {
  w.Key(key);
  if (value && std::isfinite(*value)) {
    w.Double(*value);
  } else {
    w.Null();
  }
}

void Side(Writer& w, const char* key, const std::string& source, const std::string& scenario,
          int schema) {
  w.Key(key);
  w.StartObject();
  w.Key("path");
  w.String(source);
  w.Key("scenario");
  w.String(scenario);
  w.Key("schema_version");
  w.Int(schema);
  w.EndObject();
}

void Counts(Writer& w, const char* key, const std::optional<CheckCounts>& counts) {
  w.Key(key);
  if (!counts) {
    w.Null();
    return;
  }
  w.StartObject();
  w.Key("passed");
  w.Uint64(counts->passed);
  w.Key("failed");
  w.Uint64(counts->failed);
  w.Key("skipped");
  w.Uint64(counts->skipped);
  w.EndObject();
}

void Phases(Writer& w, const std::vector<PhaseDelta>& phases) {
  w.Key("phases");
  w.StartArray();
  for (const PhaseDelta& phase : phases) {
    w.StartObject();
    w.Key("name");
    w.String(phase.name);
    w.Key("in_base");
    w.Bool(phase.in_base);
    w.Key("in_new");
    w.Bool(phase.in_new);
    w.Key("figures");
    w.StartArray();
    for (const FigureDelta& f : phase.figures) {
      w.StartObject();
      w.Key("metric");
      w.String(f.name);
      Number(w, "base", f.base);
      Number(w, "new", f.now);
      Number(w, "delta", f.delta());
      Number(w, "delta_percent", f.percent());
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

void Rules(Writer& w, const std::vector<RuleOutcome>& rules) {
  w.Key("rules");
  w.StartArray();
  for (const RuleOutcome& r : rules) {
    w.StartObject();
    w.Key("rule");
    w.String(r.rule);
    w.Key("phase");
    w.String(r.phase);
    Number(w, "base", r.base);
    Number(w, "new", r.now);
    Number(w, "limit", r.base && r.now ? std::optional<double>(r.limit) : std::nullopt);
    w.Key("result");
    w.String(std::string(VerdictName(r.verdict)));
    w.Key("reason");
    w.String(r.reason);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string RenderCompareJson(const Comparison& c) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  Side(w, "base", c.base_source, c.base_scenario, c.base_schema);
  Side(w, "new", c.new_source, c.new_scenario, c.new_schema);
  Phases(w, c.phases);
  w.Key("checks");
  w.StartArray();
  for (const CheckDelta& check : c.checks) {
    w.StartObject();
    w.Key("id");
    w.String(check.id);
    Counts(w, "base", check.base);
    Counts(w, "new", check.now);
    w.Key("regressed");
    w.Bool(check.regressed);
    w.EndObject();
  }
  w.EndArray();
  Rules(w, c.rules);
  w.Key("regressions");
  w.StartArray();
  for (const std::string& regression : c.regressions) w.String(regression);
  w.EndArray();
  w.Key("exit_code");
  w.Int(c.exit_code());
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace teeharness::reports::compare
