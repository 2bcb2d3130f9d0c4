#include "harness/scenario/abort_spec.h"

#include <rapidjson/document.h>

#include <cstdlib>
#include <map>
#include <set>

#include "harness/base/duration_parse.h"
#include "harness/scenario/json_positions.h"
#include "harness/scenario/scenario.h"

namespace teeharness::scenario {
namespace {

using rapidjson::Value;
using Nanos = std::chrono::nanoseconds;

constexpr std::string_view kRequestTimeout = "request_timeout";

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// One key of the merged rules and where it was written (for error positions).
struct Entry {
  const Value* value = nullptr;
  std::string pointer;
};
using Layer = std::map<std::string, Entry>;

// The keys of an `abort` object; a null value removes the key from `layer`.
void Overlay(const Value& abort, const std::string& pointer, Layer& layer) {
  for (const auto& member : abort.GetObject()) {
    const std::string key = member.name.GetString();
    if (member.value.IsNull()) {
      layer.erase(key);
    } else {
      layer[key] = {&member.value, pointer + "/" + JsonPositions::PointerToken(key)};
    }
  }
}

// Turns merged keys into rules; problems are reported once per position.
AbortRules Resolve(const Layer& layer, Nanos request_timeout, const AbortProblemFn& problem) {
  AbortRules rules;
  for (const auto& [key, entry] : layer) {
    const Value& v = *entry.value;
    if (key == "consecutive_failures") {
      if (v.IsUint64() && v.GetUint64() > 0) rules.consecutive_failures = v.GetUint64();
    } else if (key == "no_success_for" || key == "after") {
      if (!v.IsString()) continue;  // the schema said so already
      Result<Nanos> d = ParseAbortDuration(v.GetString(), request_timeout);
      if (!d.ok()) {
        problem(entry.pointer, d.error());
        continue;
      }
      if (key == "after") {
        rules.after = *d;
        rules.after_text = v.GetString();
      } else if (d->count() <= 0) {
        problem(entry.pointer, "must be positive");
      } else {
        rules.no_success_for = *d;
        rules.no_success_for_text = v.GetString();
      }
    } else if (!IsThresholdMetric(key)) {
      problem(entry.pointer, "unknown key \"" + key +
                                 "\" (consecutive_failures, no_success_for, after, or a "
                                 "threshold metric: errors, requests, retries, dropped, "
                                 "check_failures, attest_seconds, chat_seconds, ...)");
    } else if (v.IsArray()) {
      for (const Value& expression : v.GetArray()) {
        if (!expression.IsString()) continue;
        Result<Threshold> t = ParseThresholdExpression(expression.GetString());
        if (!t.ok()) {
          problem(entry.pointer, t.error());
          continue;
        }
        rules.expressions.push_back({key, expression.GetString()});
      }
    }
  }
  return rules;
}

std::string Shown(Nanos d) { return FormatDuration(d); }

}  // namespace

Result<Nanos> ParseAbortDuration(std::string_view text, Nanos request_timeout) {
  const std::string expected =
      "expected a duration (\"30s\"), \"request_timeout\", \"N*request_timeout\" or a sum of "
      "them (\"request_timeout+5s\"), got '" +
      std::string(text) + "'";
  Nanos total{0};
  std::string_view rest = text;
  bool more = true;
  while (more) {
    const size_t plus = rest.find('+');
    more = plus != std::string_view::npos;
    const std::string_view term = Trim(more ? rest.substr(0, plus) : rest);
    if (more) rest.remove_prefix(plus + 1);
    if (term.empty()) return Error{expected};
    if (term.size() >= kRequestTimeout.size() &&
        term.substr(term.size() - kRequestTimeout.size()) == kRequestTimeout) {
      std::string_view factor = Trim(term.substr(0, term.size() - kRequestTimeout.size()));
      double n = 1;
      if (!factor.empty()) {
        if (factor.back() != '*') return Error{expected};
        factor = Trim(factor.substr(0, factor.size() - 1));
        const std::string number(factor);
        char* end = nullptr;
        n = std::strtod(number.c_str(), &end);
        if (number.empty() || *end != '\0' || !(n >= 0) || n > 1000) return Error{expected};
      }
      total += std::chrono::duration_cast<Nanos>(std::chrono::duration<double, std::nano>(
          n * static_cast<double>(request_timeout.count())));
      continue;
    }
    Result<Nanos> d = ParseDurationText(term);
    if (!d.ok()) return Error{expected};
    total += *d;
  }
  return total;
}

void ReadAbortRules(const Value& doc, Scenario& s, const AbortProblemFn& report) {
  std::set<std::string> reported;
  const AbortProblemFn problem = [&](const std::string& pointer, const std::string& message) {
    if (reported.insert(pointer + "\n" + message).second) report(pointer, message);
  };
  Layer defaults;
  const auto top = doc.FindMember("abort");
  if (top != doc.MemberEnd()) {
    if (top->value.IsObject()) {
      Overlay(top->value, "/abort", defaults);
    } else if (top->value.IsTrue()) {
      problem("/abort", "give the rules as an object, or false for none");
    }
    // The scenario-level keys are checked even when every phase overrides them.
    Resolve(defaults, s.target.request_timeout, problem);
  }
  const Value& phases = doc["phases"];
  for (rapidjson::SizeType i = 0; i < phases.Size() && i < s.phases.size(); ++i) {
    const std::string pointer = "/phases/" + std::to_string(i);
    Layer layer = defaults;
    const auto own = phases[i].FindMember("abort");
    if (own != phases[i].MemberEnd()) {
      if (own->value.IsObject()) {
        Overlay(own->value, pointer + "/abort", layer);
      } else if (own->value.IsFalse()) {
        layer.clear();
      } else if (own->value.IsTrue()) {
        problem(pointer + "/abort", "give the rules as an object, or false for none");
      }
    }
    PhaseSpec& phase = s.phases[i];
    phase.abort = Resolve(layer, s.target.request_timeout, problem);
    // A retention probe succeeds only once its signature's window is over: a shorter
    // no_success_for would abort every such phase, however healthy the target.
    if (phase.flow == "retention_probe" && phase.abort.no_success_for &&
        std::chrono::duration<double>(*phase.abort.no_success_for).count() <
            s.expect.retention_seconds) {
      problem(pointer, "abort.no_success_for (" + Shown(*phase.abort.no_success_for) +
                           ") is shorter than expect.retention_seconds (" +
                           Shown(std::chrono::duration_cast<Nanos>(
                               std::chrono::duration<double>(s.expect.retention_seconds))) +
                           "), which every retention_probe iteration waits out before it can "
                           "succeed: raise it, or give this phase "
                           "\"abort\": {\"no_success_for\": null}");
    }
  }
}

std::string DescribeAbortRules(const AbortRules& rules) {
  std::string out;
  auto add = [&out](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  for (const AbortRules::Expression& e : rules.expressions) {
    add(e.metric + " " + e.expression +
        (rules.after.count() > 0 ? " after " + Shown(rules.after) : std::string()));
  }
  if (rules.consecutive_failures) {
    add(std::to_string(*rules.consecutive_failures) + " consecutive failures");
  }
  if (rules.no_success_for) add("no success for " + Shown(*rules.no_success_for));
  return out.empty() ? "none" : out;
}

}  // namespace teeharness::scenario
