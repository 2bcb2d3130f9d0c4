#include "reports/compare/report_figures.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "harness/base/json_depth.h"
#include "reports/compare/compare_rule.h"

namespace teeharness::reports::compare {
namespace {

using rapidjson::Value;

// A report nests five levels; anything far deeper is not one (and must not overflow the stack).
constexpr size_t kMaxDepth = 64;
constexpr std::string_view kAggregates[] = {"p50", "p90", "p95", "p99", "mean", "max"};
// The phase figures read as they are, when present, in table order after the latency.
constexpr std::string_view kOptional[] = {"output_tokens_per_second", "goodput",
                                          "verified_goodput"};

// Reads `phases[i]` of a report, naming the field that is wrong.
class PhaseReader {
 public:
  PhaseReader(const std::string& source, size_t index, const Value& phase)
      : where_(source + ": phases[" + std::to_string(index) + "]"), phase_(phase) {}

  Result<PhaseFigures> Read() {
    if (!phase_.IsObject()) return MakeError(where_, " is not an object");
    if (!phase_.HasMember("name") || !phase_["name"].IsString()) {
      return MakeError(where_, ".name is missing or not a string");
    }
    out_.name = phase_["name"].GetString();
    if (phase_.HasMember("kind") && phase_["kind"].IsString())
      out_.kind = phase_["kind"].GetString();
    if (!Number(phase_, "rate", "rate") || !Latency() || !Sum("errors", "errors") ||
        !Number(phase_, "dropped", "dropped") || !Number(phase_, "requests", "requests") ||
        !AccountingFailed() || !CheckFailures()) {
      return Error{problem_};
    }
    for (std::string_view name : kOptional) {
      if (!Number(phase_, std::string(name).c_str(), std::string(name))) return Error{problem_};
    }
    return std::move(out_);
  }

 private:
  // object[key] as figure `name` when it is a number; absent or null: nothing; else an error.
  bool Number(const Value& object, const char* key, const std::string& name,
              const std::string& path = "", bool shown = true) {
    if (!object.HasMember(key) || object[key].IsNull()) return true;
    if (!object[key].IsNumber()) {
      problem_ = where_ + "." + path + key + " is not a number";
      return false;
    }
    out_.figures.push_back({name, object[key].GetDouble(), shown});
    return true;
  }

  const Value* Object(const char* key) {
    if (!phase_.HasMember(key) || phase_[key].IsNull()) return nullptr;
    if (!phase_[key].IsObject()) problem_ = where_ + "." + key + " is not an object";
    return phase_[key].IsObject() ? &phase_[key] : nullptr;
  }

  // The sum of an object of counts ({kind: n}) as one figure.
  bool SumOf(const Value& counts, const std::string& path, const std::string& name) {
    double total = 0;
    for (const auto& member : counts.GetObject()) {
      if (!member.value.IsNumber()) {
        problem_ = where_ + "." + path + "." + member.name.GetString() + " is not a number";
        return false;
      }
      total += member.value.GetDouble();
    }
    out_.figures.push_back({name, total});
    return true;
  }

  bool Sum(const char* key, const std::string& name) {
    const Value* counts = Object(key);
    return counts == nullptr ? problem_.empty() : SumOf(*counts, key, name);
  }

  bool AccountingFailed() {
    const Value* accounting = Object("accounting");
    if (accounting == nullptr) return problem_.empty();
    if (!accounting->HasMember("failed") || !(*accounting)["failed"].IsObject()) return true;
    return SumOf((*accounting)["failed"], "accounting.failed", "failed");
  }

  // Each op's percentiles, p50/p95/p99 shown in the table, every aggregate readable by rules.
  bool Latency() {
    const Value* latency = Object("latency_seconds");
    if (latency == nullptr) return problem_.empty();
    for (const auto& op : latency->GetObject()) {
      const std::string name = op.name.GetString();
      if (!op.value.IsObject()) {
        problem_ = where_ + ".latency_seconds." + name + " is not an object";
        return false;
      }
      for (std::string_view aggregate : kAggregates) {
        const bool shown = aggregate == "p50" || aggregate == "p95" || aggregate == "p99";
        if (!Number(op.value, std::string(aggregate).c_str(), LatencyFigureName(aggregate, name),
                    "latency_seconds." + name + ".", shown)) {
          return false;
        }
      }
    }
    return true;
  }

  bool CheckFailures() {
    if (!phase_.HasMember("checks")) return true;
    if (!phase_["checks"].IsArray()) {
      problem_ = where_ + ".checks is not an array";
      return false;
    }
    double failed = 0;
    for (const Value& check : phase_["checks"].GetArray()) {
      if (check.IsObject() && check.HasMember("failed") && check["failed"].IsNumber()) {
        failed += check["failed"].GetDouble();
      }
    }
    out_.figures.push_back({"check_failures", failed});
    return true;
  }

  std::string where_;
  const Value& phase_;
  PhaseFigures out_;
  std::string problem_;
};

Result<std::map<std::string, CheckCounts>> ReadChecks(const Value& root,
                                                      const std::string& source) {
  std::map<std::string, CheckCounts> checks;
  if (!root.HasMember("checks")) return checks;
  if (!root["checks"].IsArray()) return MakeError(source, ": checks is not an array");
  size_t index = 0;
  for (const Value& check : root["checks"].GetArray()) {
    const std::string where = source + ": checks[" + std::to_string(index++) + "]";
    if (!check.IsObject() || !check.HasMember("id") || !check["id"].IsString()) {
      return MakeError(where, " has no string id");
    }
    CheckCounts& counts = checks[check["id"].GetString()];
    for (auto [key, field] :
         {std::pair{"passed", &counts.passed}, std::pair{"failed", &counts.failed},
          std::pair{"skipped", &counts.skipped}}) {
      if (!check.HasMember(key)) continue;
      if (!check[key].IsUint64()) return MakeError(where, ".", key, " is not a count");
      *field += check[key].GetUint64();
    }
  }
  return checks;
}

// Each sweep of `root` as a row of its own (kind "sweep"), named as the sweep phase of the scenario
// (its steps are the phases NAME/step-N), with figure `capacity`: the offered load (arrivals/s or
// users) of its capacity step. A sweep without a capacity has no figure, so a BASE capacity that
// NEW lost fails a capacity rule as any missing figure does.
Result<bool> ReadSweeps(const Value& root, const std::string& source,
                        std::vector<PhaseFigures>& out) {
  if (!root.HasMember("sweeps")) return true;
  if (!root["sweeps"].IsArray()) return MakeError(source, ": sweeps is not an array");
  size_t index = 0;
  for (const Value& sweep : root["sweeps"].GetArray()) {
    const std::string where = source + ": sweeps[" + std::to_string(index++) + "]";
    if (!sweep.IsObject() || !sweep.HasMember("name") || !sweep["name"].IsString()) {
      return MakeError(where, ".name is missing or not a string");
    }
    PhaseFigures row{sweep["name"].GetString(), "sweep", {}};
    if (sweep.HasMember("capacity") && !sweep["capacity"].IsNull()) {
      const Value& capacity = sweep["capacity"];
      if (!capacity.IsObject() || !capacity.HasMember("offered") ||
          !capacity["offered"].IsNumber()) {
        return MakeError(where, ".capacity.offered is missing or not a number");
      }
      row.figures.push_back({"capacity", capacity["offered"].GetDouble()});
    }
    out.push_back(std::move(row));
  }
  return true;
}

std::string StringOr(const Value& root, const char* key, const char* inner = nullptr) {
  if (!root.HasMember(key)) return "";
  const Value& v = root[key];
  if (inner == nullptr) return v.IsString() ? v.GetString() : "";
  return v.IsObject() && v.HasMember(inner) && v[inner].IsString() ? v[inner].GetString() : "";
}

}  // namespace

const Figure* PhaseFigures::Find(std::string_view wanted) const {
  for (const Figure& figure : figures) {
    if (figure.name == wanted) return &figure;
  }
  return nullptr;
}

const PhaseFigures* ReportFigures::FindPhase(std::string_view wanted) const {
  for (const PhaseFigures& phase : phases) {
    if (phase.name == wanted) return &phase;
  }
  return nullptr;
}

Result<ReportFigures> ParseReportFigures(std::string_view text, const std::string& source) {
  if (const std::optional<size_t> at = JsonTooDeepAt(text, kMaxDepth)) {
    return MakeError(source, ": not a teeharness report (JSON nested too deeply at offset ", *at,
                     ")");
  }
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(text.data(),
                                                                                text.size());
  if (doc.HasParseError()) {
    return MakeError(source, ": not JSON (", rapidjson::GetParseError_En(doc.GetParseError()),
                     " at offset ", doc.GetErrorOffset(), ")");
  }
  if (!doc.IsObject() || StringOr(doc, "tool", "name") != "teeharness") {
    return MakeError(source, ": not a teeharness report (no tool.name \"teeharness\")");
  }
  ReportFigures report;
  report.source = source;
  if (!doc.HasMember("schema_version") || !doc["schema_version"].IsInt()) {
    return MakeError(source, ": not a teeharness report (no integer schema_version)");
  }
  report.schema_version = doc["schema_version"].GetInt();
  const auto& readable = kReadableSchemaVersions;
  if (std::find(std::begin(readable), std::end(readable), report.schema_version) ==
      std::end(readable)) {
    std::string versions;
    for (int v : readable) versions += (versions.empty() ? "" : ", ") + std::to_string(v);
    return MakeError(source, ": schema_version ", report.schema_version,
                     " is not one this teeharness reads (", versions,
                     "); compare it with the teeharness that wrote it");
  }
  report.scenario = StringOr(doc, "scenario", "name");
  report.started_at = StringOr(doc, "started_at");
  if (doc.HasMember("exit_code") && doc["exit_code"].IsInt()) {
    report.exit_code = doc["exit_code"].GetInt();
  }
  if (!doc.HasMember("phases") || !doc["phases"].IsArray()) {
    return MakeError(source, ": not a teeharness report (no phases array)");
  }
  size_t index = 0;
  for (const Value& phase : doc["phases"].GetArray()) {
    Result<PhaseFigures> figures = PhaseReader(source, index++, phase).Read();
    if (!figures.ok()) return Error{figures.error()};
    report.phases.push_back(std::move(figures).value());
  }
  if (Result<bool> sweeps = ReadSweeps(doc, source, report.phases); !sweeps.ok()) {
    return Error{sweeps.error()};
  }
  Result<std::map<std::string, CheckCounts>> checks = ReadChecks(doc, source);
  if (!checks.ok()) return Error{checks.error()};
  report.checks = std::move(checks).value();
  return report;
}

Result<ReportFigures> ReadReportFigures(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(path, ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return MakeError(path, ": cannot be read");
  return ParseReportFigures(text.str(), path);
}

}  // namespace teeharness::reports::compare
