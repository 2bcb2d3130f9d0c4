#include "harness/scenario/sweep_spec.h"

#include <cmath>

#include "harness/base/duration_parse.h"

namespace teeharness::scenario {
namespace {

using rapidjson::Value;

const Value* Member(const Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// An explicit list: every value positive, ascending (a sweep looks for the knee going up), whole
// for concurrencies.
Result<std::vector<double>> ListedLoads(const Value& list, const char* field, bool over_rate) {
  if (!list.IsArray() || list.Empty()) return MakeError(field, ": give at least one value");
  std::vector<double> loads;
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    const std::string where = std::string(field) + "/" + std::to_string(i);
    if (!list[i].IsNumber() || list[i].GetDouble() <= 0) {
      return MakeError(where, ": must be a positive number");
    }
    const double load = list[i].GetDouble();
    if (!over_rate && (!list[i].IsUint64() || load > 1e6)) {
      return MakeError(where, ": a concurrency is a whole number of users (at most 1000000)");
    }
    if (!loads.empty() && load <= loads.back()) {
      return MakeError(where, ": must be greater than the value before it (a sweep goes up)");
    }
    loads.push_back(load);
  }
  return loads;
}

Result<std::vector<double>> RangeLoads(const Value& sweep) {
  for (const char* key : {"from", "to", "steps"}) {
    if (!Member(sweep, key)) return MakeError(key, ": missing (a range needs from, to and steps)");
  }
  const std::string over = Member(sweep, "over") && Member(sweep, "over")->IsString()
                               ? Member(sweep, "over")->GetString()
                               : "rate";
  const Value& steps = *Member(sweep, "steps");
  if (!steps.IsUint64()) return Error{"steps: must be a whole number"};
  const Value* geometric = Member(sweep, "geometric");
  return SweepLoads(Member(sweep, "from")->GetDouble(), Member(sweep, "to")->GetDouble(),
                    steps.GetUint64(), geometric && geometric->IsTrue(), over == "rate");
}

// stop_when: threshold metric -> expressions, like `thresholds` but without a {phase:} scope.
bool ReadStopWhen(const Value& stop, const std::string& pointer, const AbortProblemFn& problem,
                  std::vector<Threshold>& out) {
  bool ok = true;
  for (const auto& member : stop.GetObject()) {
    const std::string metric = member.name.GetString();
    const std::string at = pointer + "/" + metric;
    if (!IsThresholdMetric(metric)) {
      problem(at, "unknown metric \"" + metric + "\" (the threshold metrics, without {phase:})");
      ok = false;
      continue;
    }
    for (const Value& expression : member.value.GetArray()) {
      Result<Threshold> t = ParseThresholdExpression(expression.GetString());
      if (!t.ok()) {
        problem(at, t.error());
        ok = false;
        continue;
      }
      t.value().metric = metric;
      t.value().key = metric;
      out.push_back(*t);
    }
  }
  return ok;
}

}  // namespace

Result<std::vector<double>> SweepLoads(double from, double to, uint64_t steps, bool geometric,
                                       bool over_rate) {
  if (!(from > 0)) return Error{"from: must be positive"};
  if (!(to > 0)) return Error{"to: must be positive"};
  if (from >= to) return Error{"from: must be less than to (a sweep goes up)"};
  if (steps < 2) return Error{"steps: at least 2 (from and to)"};
  if (steps > 1000) return Error{"steps: at most 1000"};
  if (!over_rate && to > 1e6) return Error{"to: at most 1000000 users"};
  std::vector<double> loads;
  for (uint64_t i = 0; i < steps; ++i) {
    const double f = static_cast<double>(i) / static_cast<double>(steps - 1);
    double load = geometric ? from * std::pow(to / from, f) : from + (to - from) * f;
    if (i + 1 == steps) load = to;  // exactly `to`, whatever the rounding of pow
    if (!over_rate) {
      load = std::round(load);
      if (load < 1) load = 1;
      if (!loads.empty() && load <= loads.back()) continue;  // rounding made a repeat
    }
    loads.push_back(load);
  }
  return loads;
}

std::optional<SweepPlan> ReadSweepPlan(const Value& phase, const std::string& pointer,
                                       const AbortProblemFn& problem) {
  bool ok = true;
  for (const char* key :
       {"rate", "arrival_rate", "stages", "concurrency", "iterations", "duration"}) {
    if (Member(phase, key)) {
      problem(pointer + "/" + key,
              "a sweep sets each step's load itself (sweep and step_duration); drop this key");
      ok = false;
    }
  }
  if (Member(phase, "action")) {
    problem(pointer + "/sweep", "a sweep drives a flow, not an action");
    return std::nullopt;
  }
  const std::string flow = Member(phase, "flow") && Member(phase, "flow")->IsString()
                               ? Member(phase, "flow")->GetString()
                               : "";
  if (flow == "retention_probe" || flow == "negative") {
    problem(pointer + "/flow", "a " + flow + " phase has no load to sweep");
    ok = false;
  }
  SweepPlan plan;
  const Value& sweep = *Member(phase, "sweep");
  const Value* rates = Member(sweep, "rates");
  const Value* concurrencies = Member(sweep, "concurrencies");
  const bool range = Member(sweep, "from") || Member(sweep, "to") || Member(sweep, "steps");
  const int forms = (rates != nullptr) + (concurrencies != nullptr) + (range ? 1 : 0);
  Result<std::vector<double>> loads = Error{""};
  if (forms != 1) {
    problem(pointer + "/sweep", forms == 0
                                    ? "needs one of rates, concurrencies or from/to/steps"
                                    : "give only one of rates, concurrencies or from/to/steps");
    return std::nullopt;
  }
  if (rates) {
    loads = ListedLoads(*rates, "rates", true);
  } else if (concurrencies) {
    plan.over_rate = false;
    loads = ListedLoads(*concurrencies, "concurrencies", false);
  } else {
    const Value* over = Member(sweep, "over");
    plan.over_rate = !(over && over->IsString() && std::string(over->GetString()) == "concurrency");
    loads = RangeLoads(sweep);
  }
  if (!range && Member(sweep, "over")) {
    problem(pointer + "/sweep/over", "only with from/to/steps (rates and concurrencies say it)");
    ok = false;
  }
  if (!loads.ok()) {
    problem(pointer + "/sweep/" + loads.error().substr(0, loads.error().find(':')),
            loads.error().substr(loads.error().find(':') + 2));
    ok = false;
  } else {
    plan.loads = *loads;
  }
  const Value* step = Member(phase, "step_duration");
  if (!step || !step->IsString()) {
    problem(pointer, "a sweep needs \"step_duration\"");
    ok = false;
  } else if (Result<Duration> d = ParseDurationText(step->GetString()); !d.ok()) {
    problem(pointer + "/step_duration", d.error());
    ok = false;
  } else if (d->count() <= 0) {
    problem(pointer + "/step_duration", "must be positive");
    ok = false;
  } else {
    plan.step_duration = *d;
  }
  if (const Value* stop = Member(phase, "stop_when")) {
    ok = ReadStopWhen(*stop, pointer + "/stop_when", problem, plan.stop_when) && ok;
  }
  if (!ok) return std::nullopt;
  return plan;
}

std::vector<PhaseSpec> ExpandSweep(const PhaseSpec& base, const SweepPlan& plan) {
  std::vector<PhaseSpec> steps;
  for (size_t i = 0; i < plan.loads.size(); ++i) {
    PhaseSpec step = base;
    step.name = base.name + "/step-" + std::to_string(i + 1);
    step.iterations.reset();
    step.duration = plan.step_duration;
    if (plan.over_rate) {
      step.stages = {{plan.loads[i], plan.loads[i], plan.step_duration}};
    } else {
      step.stages.clear();
      step.concurrency = static_cast<unsigned>(plan.loads[i]);
    }
    step.sweep = SweepStep{base.name, plan.over_rate, i + 1, plan.loads.size(), plan.stop_when};
    steps.push_back(std::move(step));
  }
  return steps;
}

}  // namespace teeharness::scenario
