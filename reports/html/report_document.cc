#include "reports/html/report_document.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <set>

#include "harness/base/json_depth.h"

namespace teeharness::reports::html {
namespace {

using Value = rapidjson::Value;

// A report nests at most 6 deep (phases[].timeline[].latency_seconds.op.p50); anything far deeper
// is not one.
constexpr size_t kMaxDepth = 32;
// What an unknown member is shown as, at most (a page is for people).
constexpr size_t kMaxOtherText = 2000;

const Value* Member(const Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string Text(const Value& v) { return std::string(v.GetString(), v.GetStringLength()); }

std::string String(const Value& object, const char* key) {
  const Value* v = Member(object, key);
  return v && v->IsString() ? Text(*v) : std::string();
}

std::optional<double> Number(const Value& object, const char* key) {
  const Value* v = Member(object, key);
  if (!v || !v->IsNumber()) return std::nullopt;
  const double d = v->GetDouble();
  return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

// A count: a non-negative integer, else 0 (a hostile or damaged report cannot make it negative).
uint64_t Count(const Value& object, const char* key) {
  const Value* v = Member(object, key);
  if (v && v->IsUint64()) return v->GetUint64();
  if (v && v->IsDouble() && v->GetDouble() >= 0 && v->GetDouble() < 1.8e19)
    return static_cast<uint64_t>(v->GetDouble());
  return 0;
}

std::optional<int64_t> Integer(const Value& object, const char* key) {
  const Value* v = Member(object, key);
  if (v && v->IsInt64()) return v->GetInt64();
  return std::nullopt;
}

bool Flag(const Value& object, const char* key) {
  const Value* v = Member(object, key);
  return v && v->IsBool() && v->GetBool();
}

std::optional<bool> OptionalFlag(const Value& object, const char* key) {
  const Value* v = Member(object, key);
  if (v && v->IsBool()) return v->GetBool();
  return std::nullopt;
}

// Compact JSON of any value, or the string itself, cut at kMaxOtherText.
std::string Compact(const Value& v) {
  std::string text;
  if (v.IsString()) {
    text = Text(v);
  } else {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    v.Accept(writer);
    text.assign(buffer.GetString(), buffer.GetSize());
  }
  if (text.size() > kMaxOtherText) text = text.substr(0, kMaxOtherText) + "...";
  return text;
}

std::map<std::string, uint64_t> Counts(const Value& object, const char* key) {
  std::map<std::string, uint64_t> out;
  const Value* v = Member(object, key);
  if (!v || !v->IsObject()) return out;
  for (const auto& m : v->GetObject()) {
    if (m.value.IsUint64()) out[Text(m.name)] += m.value.GetUint64();
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Unknown(const Value& object,
                                                         const std::set<std::string>& known) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!object.IsObject()) return out;
  for (const auto& m : object.GetObject()) {
    std::string name = Text(m.name);
    if (!known.count(name)) out.emplace_back(std::move(name), Compact(m.value));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Members(const Value* object) {
  return object && object->IsObject() ? Unknown(*object, {})
                                      : std::vector<std::pair<std::string, std::string>>{};
}

std::vector<CheckRow> Checks(const Value& object) {
  std::vector<CheckRow> out;
  const Value* list = Member(object, "checks");
  if (!list || !list->IsArray()) return out;
  for (const Value& c : list->GetArray()) {
    if (!c.IsObject()) continue;
    CheckRow row{String(c, "id"),     Count(c, "passed"),       Count(c, "failed"),
                 Count(c, "skipped"), String(c, "skip_reason"), {}};
    if (const Value* e = Member(c, "evidence"); e && e->IsArray()) {
      for (const Value& item : e->GetArray()) row.evidence.push_back(Compact(item));
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<LatencyRow> Latency(const Value& object) {
  std::vector<LatencyRow> out;
  const Value* map = Member(object, "latency_seconds");
  if (!map || !map->IsObject()) return out;
  for (const auto& m : map->GetObject()) {
    if (!m.value.IsObject()) continue;
    const Value& s = m.value;
    out.push_back({Text(m.name), Number(s, "count"), Number(s, "mean"), Number(s, "p50"),
                   Number(s, "p90"), Number(s, "p95"), Number(s, "p99"), Number(s, "max")});
  }
  return out;
}

TimelineSample Sample(const Value& s) {
  TimelineSample out;
  out.t = Number(s, "t").value_or(0);
  out.seconds = Number(s, "seconds").value_or(0);
  out.target_rate = Number(s, "target_rate").value_or(0);
  out.arrivals = Count(s, "arrivals");
  out.dropped = Count(s, "dropped");
  out.completed = Count(s, "completed");
  out.succeeded = Count(s, "succeeded");
  out.failed = Counts(s, "failed");
  out.errors = Counts(s, "errors");
  out.in_flight = static_cast<int64_t>(Number(s, "in_flight").value_or(0));
  out.schedule_lag_p99 = Number(s, "schedule_lag_p99").value_or(0);
  out.schedule_lag_max = Number(s, "schedule_lag_max").value_or(0);
  if (const Value* map = Member(s, "latency_seconds"); map && map->IsObject()) {
    for (const auto& m : map->GetObject()) {
      if (!m.value.IsObject()) continue;
      out.latency[Text(m.name)] = {Count(m.value, "count"), Number(m.value, "p50").value_or(0),
                                   Number(m.value, "p95").value_or(0),
                                   Number(m.value, "p99").value_or(0)};
    }
  }
  out.check_failures = Count(s, "check_failures");
  out.check_passes = Count(s, "check_passes");
  out.prompt_tokens = Count(s, "prompt_tokens");
  out.completion_tokens = Count(s, "completion_tokens");
  return out;
}

PhaseView Phase(const Value& p) {
  PhaseView out;
  out.name = String(p, "name");
  out.kind = String(p, "kind");
  out.duration_seconds = Number(p, "duration_seconds");
  out.requests = Number(p, "requests");
  out.iterations = Number(p, "iterations");
  out.rate = Number(p, "rate");
  out.target_rate = Number(p, "target_rate");
  out.dropped = Number(p, "dropped");
  out.retries = Number(p, "retries");
  out.interrupted = Flag(p, "interrupted");
  out.aborted = Flag(p, "aborted");
  if (const Value* a = Member(p, "accounting"); a && a->IsObject()) {
    out.accounting.present = true;
    out.accounting.arrivals = Count(*a, "arrivals");
    out.accounting.succeeded = Count(*a, "succeeded");
    out.accounting.dropped = Count(*a, "dropped");
    out.accounting.failed = Counts(*a, "failed");
    out.accounting.unaccounted = Integer(*a, "unaccounted").value_or(0);
  }
  out.latency = Latency(p);
  out.errors = Counts(p, "errors");
  out.checks = Checks(p);
  out.timeline_step_seconds = Number(p, "timeline_step_seconds");
  if (const Value* t = Member(p, "timeline"); t && t->IsArray()) {
    for (const Value& s : t->GetArray()) {
      if (s.IsObject()) out.timeline.push_back(Sample(s));
    }
  }
  out.other =
      Unknown(p, {"name", "kind", "duration_seconds", "requests", "iterations", "rate",
                  "target_rate", "dropped", "retries", "interrupted", "aborted", "accounting",
                  "latency_seconds", "errors", "checks", "timeline_step_seconds", "timeline"});
  return out;
}

std::vector<SweepView> Sweeps(const Value& doc) {
  std::vector<SweepView> out;
  const Value* list = Member(doc, "sweeps");
  if (!list || !list->IsArray()) return out;
  for (const Value& sweep : list->GetArray()) {
    if (!sweep.IsObject()) continue;
    SweepView view{
        String(sweep, "name"), String(sweep, "over"), {}, {}, String(sweep, "capacity_note")};
    if (const Value* capacity = Member(sweep, "capacity"); capacity && capacity->IsObject()) {
      view.capacity_offered = Number(*capacity, "offered");
    }
    if (const Value* steps = Member(sweep, "steps"); steps && steps->IsArray()) {
      for (const Value& step : steps->GetArray()) {
        if (!step.IsObject()) continue;
        view.steps.push_back({String(step, "phase"), Number(step, "offered"),
                              Number(step, "achieved_rate"), Number(step, "goodput"),
                              Number(step, "verified_goodput"), Number(step, "ttft_p95"),
                              Number(step, "output_tokens_per_second"), Flag(step, "met_slo"),
                              Flag(step, "stopped")});
      }
    }
    out.push_back(std::move(view));
  }
  return out;
}

}  // namespace

Result<ReportDocument> ReadReportDocument(std::string_view json) {
  if (std::optional<size_t> at = JsonTooDeepAt(json, kMaxDepth)) {
    return MakeError("not a teeharness JSON report: nested deeper than ", kMaxDepth,
                     " levels at offset ", *at);
  }
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError()) {
    return MakeError("not JSON (parse error at offset ", doc.GetErrorOffset(), ")");
  }
  if (!doc.IsObject()) return Error{"not a teeharness JSON report: the document is not an object"};
  if (!Member(doc, "schema_version") && !Member(doc, "phases") && !Member(doc, "checks")) {
    return Error{"not a teeharness JSON report: none of schema_version, phases, checks"};
  }
  ReportDocument out;
  out.schema_version = Integer(doc, "schema_version");
  if (const Value* tool = Member(doc, "tool")) {
    out.tool_version = String(*tool, "version");
    out.libcurl_version = String(*tool, "libcurl");
  }
  if (const Value* s = Member(doc, "scenario")) {
    out.scenario_name = String(*s, "name");
    out.scenario_sha256 = String(*s, "sha256");
  }
  if (const Value* t = Member(doc, "target")) {
    out.target_url = String(*t, "base_url");
    out.dialect = String(*t, "dialect");
    out.model = String(*t, "model");
    out.builtin_mock = OptionalFlag(*t, "builtin_mock");
  }
  out.started_at = String(doc, "started_at");
  out.duration_seconds = Number(doc, "duration_seconds");
  out.interrupted = Flag(doc, "interrupted");
  out.aborted = Flag(doc, "aborted");
  out.abort = Members(Member(doc, "abort"));
  out.exit_code = Integer(doc, "exit_code");
  if (const Value* phases = Member(doc, "phases"); phases && phases->IsArray()) {
    for (const Value& p : phases->GetArray()) {
      if (p.IsObject()) out.phases.push_back(Phase(p));
    }
  }
  out.checks = Checks(doc);
  if (const Value* list = Member(doc, "thresholds"); list && list->IsArray()) {
    for (const Value& t : list->GetArray()) {
      if (!t.IsObject()) continue;
      const Value* has_data = Member(t, "has_data");
      out.thresholds.push_back({String(t, "metric"), String(t, "expression"), Number(t, "observed"),
                                !(has_data && has_data->IsBool() && !has_data->GetBool()),
                                OptionalFlag(t, "passed")});
    }
  }
  out.attestation = Members(Member(doc, "attestation"));
  if (const Value* list = Member(doc, "signing_addresses"); list && list->IsArray()) {
    for (const Value& s : list->GetArray()) {
      if (!s.IsObject()) continue;
      out.signing_addresses.push_back(
          {String(s, "address"), String(s, "phase"), Number(s, "epoch"), Number(s, "at_seconds")});
    }
  }
  out.signing_address_changes = Number(doc, "signing_address_changes");
  out.sweeps = Sweeps(doc);
  out.other = Unknown(
      doc, {"schema_version", "tool", "scenario", "target", "started_at", "duration_seconds",
            "interrupted", "aborted", "abort", "exit_code", "phases", "checks", "thresholds",
            "attestation", "signing_addresses", "signing_address_changes", "sweeps"});
  return out;
}

}  // namespace teeharness::reports::html
