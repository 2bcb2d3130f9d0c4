#include "reports/junit_report.h"

#include <charconv>
#include <cstdio>

namespace teeharness::reports {
namespace {

std::string Seconds(double value) {
  char buffer[32];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed, 3);
  return ec == std::errc() ? std::string(buffer, end) : "0";
}

std::string Failure(const CheckTally& check) {
  std::string body;
  for (const std::string& evidence : check.evidence) body += evidence + "\n";
  return "      <failure message=\"" +
         XmlEscape(std::to_string(check.failed) + " of " +
                   std::to_string(check.passed + check.failed) + " observations failed") +
         "\">" + XmlEscape(body) + "</failure>\n";
}

// The abort of the run, as a failed testcase of the phase it tripped in: a dead endpoint fails no
// check, and CI must still show why the run stopped.
std::string AbortFailure(const AbortInfo& abort) {
  char at[64];
  std::snprintf(at, sizeof(at), " after %.1fs: ", abort.at_seconds);
  const std::string where =
      abort.phase.empty() ? "before the first phase" : "in phase " + abort.phase;
  return "      <failure message=\"" + XmlEscape("aborted " + where + at + abort.reason) + "\">" +
         XmlEscape(abort.condition + " (" + abort.kind +
                   "): no iteration was started after it; requests still in flight had " +
                   Seconds(abort.grace_seconds) + " s to finish before they were cut\n") +
         "</failure>\n";
}

// Aborted, but in no phase: a start-up request the target failed.
bool AbortedBeforeAnyPhase(const RunResult& run) {
  for (const PhaseResult& phase : run.phases) {
    if (phase.aborted) return false;
  }
  return run.aborted;
}

void AppendPhase(std::string& out, const std::string& scenario, const PhaseResult& phase,
                 const AbortInfo& abort) {
  uint64_t failures = phase.aborted ? 1 : 0;
  uint64_t skipped = 0;
  for (const CheckTally& check : phase.checks) {
    failures += check.failed > 0;
    skipped += check.failed == 0 && check.passed == 0 && check.skipped > 0;
  }
  out += "  <testsuite name=\"" + XmlEscape(scenario + "." + phase.name) + "\" tests=\"" +
         std::to_string(phase.checks.size() + (phase.aborted ? 1 : 0)) + "\" failures=\"" +
         std::to_string(failures) + "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" +
         Seconds(phase.duration_seconds) + "\">\n";
  // The phase's accounting, for CI systems that show suite properties.
  out += "    <properties>\n";
  auto property = [&out](const std::string& name, const std::string& value) {
    out +=
        "      <property name=\"" + XmlEscape(name) + "\" value=\"" + XmlEscape(value) + "\"/>\n";
  };
  property("arrivals", std::to_string(phase.arrivals));
  property("succeeded", std::to_string(phase.succeeded));
  for (const auto& [kind, count] : phase.failed) property("failed." + kind, std::to_string(count));
  property("dropped", std::to_string(phase.dropped));
  property("unaccounted", std::to_string(phase.unaccounted()));
  if (phase.aborted) property("aborted", abort.condition);
  out += "    </properties>\n";
  if (phase.aborted) {
    out += "    <testcase classname=\"" + XmlEscape(scenario + "." + phase.name) +
           "\" name=\"ABORTED\">\n" + AbortFailure(abort) + "    </testcase>\n";
  }
  for (const CheckTally& check : phase.checks) {
    out += "    <testcase classname=\"" + XmlEscape(scenario + "." + phase.name) + "\" name=\"" +
           XmlEscape(check.id) + "\">\n";
    if (check.failed > 0) {
      out += Failure(check);
    } else if (check.skipped > 0 && check.passed == 0) {
      // Never a pass: a check that only ever skipped is reported as skipped, with its reason.
      out += "      <skipped message=\"" + XmlEscape(check.skip_reason) + "\"/>\n";
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n";
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids control characters other than tab, newline and carriage return.
        if (byte >= 0x20 || c == '\t' || c == '\n' || c == '\r') out += c;
    }
  }
  return out;
}

std::string RenderJunitReport(const RunResult& run) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  uint64_t tests = run.thresholds.size();
  uint64_t failures = 0;
  for (const PhaseResult& phase : run.phases) {
    tests += phase.checks.size() + (phase.aborted ? 1 : 0);
    failures += phase.aborted ? 1 : 0;
    for (const CheckTally& check : phase.checks) failures += check.failed > 0;
  }
  if (AbortedBeforeAnyPhase(run)) {
    ++tests;
    ++failures;
  }
  for (const ThresholdResult& t : run.thresholds) failures += !t.passed;
  out += "<testsuites name=\"" + XmlEscape(run.scenario_name) + "\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" time=\"" +
         Seconds(run.duration_seconds) + "\">\n";
  for (const PhaseResult& phase : run.phases) AppendPhase(out, run.scenario_name, phase, run.abort);
  if (AbortedBeforeAnyPhase(run)) {
    // Aborted before any phase ran (a start-up request the target failed): a suite of its own.
    out += "  <testsuite name=\"" + XmlEscape(run.scenario_name + ".abort") +
           "\" tests=\"1\" failures=\"1\">\n    <testcase classname=\"" +
           XmlEscape(run.scenario_name + ".abort") + "\" name=\"ABORTED\">\n" +
           AbortFailure(run.abort) + "    </testcase>\n  </testsuite>\n";
  }
  if (!run.thresholds.empty()) {
    out += "  <testsuite name=\"" + XmlEscape(run.scenario_name + ".thresholds") + "\" tests=\"" +
           std::to_string(run.thresholds.size()) + "\">\n";
    for (const ThresholdResult& t : run.thresholds) {
      out += "    <testcase classname=\"" + XmlEscape(run.scenario_name + ".thresholds") +
             "\" name=\"" + XmlEscape(t.metric + " " + t.expression) + "\">\n";
      if (!t.passed) {
        out += "      <failure message=\"" +
               XmlEscape(t.has_data ? "observed " + std::to_string(t.observed) : "no data") +
               "\"/>\n";
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace teeharness::reports
