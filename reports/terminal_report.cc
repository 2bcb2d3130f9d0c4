#include "reports/terminal_report.h"

#include <cstdio>
#include <map>
#include <string>

namespace teeharness::reports {
namespace {

// snprintf into a std::string; the summary only formats numbers the harness produced itself.
template <typename... Args>
std::string Format(const char* format, Args... args) {
  char buffer[512];
  const int n = std::snprintf(buffer, sizeof(buffer), format, args...);
  return std::string(buffer, n < 0 ? 0 : std::min<size_t>(n, sizeof(buffer) - 1));
}

std::string Millis(double seconds) { return Format("%9.2f", seconds * 1000.0); }

void AppendPhase(std::string& out, const PhaseResult& phase) {
  out += Format("phase %-20s %-16s %8.1fs  %8llu req  %9.1f it/s", phase.name.c_str(),
                phase.kind.c_str(), phase.duration_seconds,
                static_cast<unsigned long long>(phase.requests), phase.achieved_rate);
  if (phase.target_rate > 0) out += Format("  (target %.1f/s)", phase.target_rate);
  if (phase.dropped > 0)
    out += Format("  dropped %llu", static_cast<unsigned long long>(phase.dropped));
  if (phase.interrupted) out += "  INTERRUPTED";
  if (phase.aborted) out += "  ABORTED";
  out += "\n";
  if (phase.arrivals > 0) {
    // The accounting identity, spelled out: each arrival is in exactly one of these.
    out += Format("  arrivals %llu = succeeded %llu + failed %llu + dropped %llu",
                  static_cast<unsigned long long>(phase.arrivals),
                  static_cast<unsigned long long>(phase.succeeded),
                  static_cast<unsigned long long>(phase.failed_total()),
                  static_cast<unsigned long long>(phase.dropped));
    std::string kinds;
    for (const auto& [kind, count] : phase.failed) {
      kinds += (kinds.empty() ? "" : ", ") + kind + " " + std::to_string(count);
    }
    if (!kinds.empty()) out += " (" + kinds + ")";
    if (phase.unaccounted() != 0)
      out += Format("  UNACCOUNTED %lld", static_cast<long long>(phase.unaccounted()));
    out += "\n";
  }
  if (phase.tokens.prompt > 0 || phase.tokens.completion > 0) {
    out += Format("  tokens prompt %llu  completion %llu",
                  static_cast<unsigned long long>(phase.tokens.prompt),
                  static_cast<unsigned long long>(phase.tokens.completion));
    if (phase.tokens.estimated > 0) {
      out += Format(" (%llu estimated from chunks: no usage)",
                    static_cast<unsigned long long>(phase.tokens.estimated));
    }
    out += Format("  output %.1f tokens/s\n", phase.output_tokens_per_second);
  }
  if (phase.slo.defined) {
    const PhaseResult::Slo& slo = phase.slo;
    std::string bounds;
    for (const auto& [name, bound] :
         {std::pair{"ttft", slo.ttft}, {"tpot", slo.tpot}, {"e2e", slo.e2e}}) {
      if (bound >= 0) bounds += Format(" %s<=%gs", name, bound);
    }
    out += Format(
        "  slo%s: met %llu of %llu (verified %llu)  goodput %.1f/s  verified goodput %.1f/s\n",
        bounds.c_str(), static_cast<unsigned long long>(slo.met_verified + slo.met_unverified),
        static_cast<unsigned long long>(slo.met_verified + slo.met_unverified + slo.missed),
        static_cast<unsigned long long>(slo.met_verified), phase.goodput, phase.verified_goodput);
  }
  if (!phase.latency.empty()) {
    out += "  op                       count    p50 ms    p90 ms    p99 ms    max ms\n";
    for (const auto& [op, s] : phase.latency) {
      out += Format("  %-21s %8llu", op.c_str(), static_cast<unsigned long long>(s.count)) +
             Millis(s.p50) + " " + Millis(s.p90) + " " + Millis(s.p99) + " " + Millis(s.max) + "\n";
    }
  }
  for (const auto& [kind, count] : phase.errors) {
    out += Format("  errors %-22s %llu\n", kind.c_str(), static_cast<unsigned long long>(count));
  }
  if (phase.retries > 0) {
    // Not errors: signature fetches answered 404 inside the readiness window and sent again.
    out += Format("  retries %-21s %llu\n", "signature_404",
                  static_cast<unsigned long long>(phase.retries));
  }
}

// A latency column in ms, or "-" without observations.
std::string MillisOrDash(double seconds) {
  return seconds < 0 ? Format("%9s", "-") : Millis(seconds);
}

// One table per sweep: a row per step that ran, then the capacity (README "Sweeps").
void AppendSweep(std::string& out, const SweepResult& sweep) {
  const bool rate = sweep.over == "rate";
  out += Format("\nsweep %s over %s: %zu of %zu steps", sweep.name.c_str(), sweep.over.c_str(),
                sweep.steps.size(), sweep.planned_steps);
  if (sweep.stopped_at) out += Format(", stopped after step %zu", *sweep.stopped_at);
  out += "\n";
  out += Format("  step %9s %9s %9s %9s %9s %9s %9s %9s %7s  slo\n", rate ? "offered/s" : "users",
                "it/s", "goodput/s", "verified", "ttft50 ms", "ttft95 ms", "tpot50 ms", "tokens/s",
                "errors");
  for (const SweepStepResult& row : sweep.steps) {
    out += Format(rate ? "  %4zu %9.1f %9.1f " : "  %4zu %9.0f %9.1f ", row.step, row.offered,
                  row.achieved_rate);
    out += row.has_slo ? Format("%9.1f %9.1f ", row.goodput, row.verified_goodput)
                       : Format("%9s %9s ", "-", "-");
    out += MillisOrDash(row.ttft_p50) + " " + MillisOrDash(row.ttft_p95) + " " +
           MillisOrDash(row.tpot_p50) +
           Format(" %9.1f %7llu", row.output_tokens_per_second,
                  static_cast<unsigned long long>(row.errors));
    out += !row.has_slo ? "  -"
                        : (row.met_slo ? Format("  met %.0f%%", row.good_fraction * 100)
                                       : Format("  MISSED %.0f%%", row.good_fraction * 100));
    if (row.stopped) out += "  STOP: " + row.stop_reason;
    out += "\n";
  }
  if (sweep.capacity) {
    const SweepStepResult& row = sweep.steps[*sweep.capacity];
    out += Format("  capacity: step %zu, %g %s\n", row.step, row.offered,
                  rate ? "arrivals/s" : "users");
  } else {
    out += "  capacity: none (" + sweep.capacity_note + ")\n";
  }
}

std::string CountList(const std::map<std::string, uint64_t>& counts) {
  std::string list;
  for (const auto& [name, count] : counts) {
    list += (list.empty() ? "" : ", ") + name + " " + std::to_string(count);
  }
  return list;
}

// "GPU evidence of 10 reports (valid 10); driver 550.90.07 / VBIOS 96.00.9F.00.01 x80; root .."
void AppendGpus(std::string& out, const AttestationSummary& a) {
  if (a.gpu_reports == 0) return;
  std::string firmware;
  for (const AttestationSummary::GpuFirmware& f : a.gpu_firmware) {
    firmware += (firmware.empty() ? "" : ", ") + std::string("driver ") + f.driver + " / VBIOS " +
                f.vbios + " x" + std::to_string(f.evidences);
  }
  out +=
      Format("GPU evidence of %llu reports (%s); %s; root %s; RIMs %s\n",
             static_cast<unsigned long long>(a.gpu_reports), CountList(a.gpu_verdicts).c_str(),
             firmware.empty() ? "no firmware version" : firmware.c_str(), a.gpu_trust_root.c_str(),
             a.gpu_rims.empty() ? "none (GPU-MEASURE skipped)" : a.gpu_rims.c_str());
}

// "dstack event logs (valid 10); app 4073.. compose 4073.. key provider none"
void AppendDstack(std::string& out, const AttestationSummary& a) {
  if (a.dstack_verdicts.empty()) return;
  out += "dstack event logs (" + CountList(a.dstack_verdicts) + ")";
  for (const AttestationSummary::DstackIdentity& d : a.dstack) {
    out += "; app " + (d.app_id.empty() ? std::string("?") : d.app_id) + " compose " +
           (d.compose_hash.empty() ? std::string("?") : d.compose_hash) + " key provider " +
           (d.key_provider.empty() ? std::string("?") : d.key_provider);
  }
  out += "\n";
}

void AppendQuotes(std::string& out, const AttestationSummary& a) {
  if (a.quotes == 0) return;
  const std::string statuses = CountList(a.tcb_status);
  const std::string verdicts = CountList(a.verdicts);
  out += Format("\nquotes verified %llu (%s); TCB %s; root %s\n",
                static_cast<unsigned long long>(a.quotes), verdicts.c_str(),
                statuses.empty() ? "not evaluated" : statuses.c_str(), a.trust_root.c_str());
  if (!a.advisory_ids.empty()) {
    std::string ids;
    for (const std::string& id : a.advisory_ids) ids += (ids.empty() ? "" : ", ") + id;
    out += "  advisories: " + ids + "\n";
  }
}

// The lines on what the hardware verification came to; the run must say plainly when it did not
// verify hardware at all.
void AppendAttestation(std::string& out, const AttestationSummary& a) {
  if (!a.verify) {
    out +=
        "\nhardware NOT verified: attestation.verify is false, every QUOTE-*/TD-*/GPU-*/"
        "EVENTLOG-REPLAY/COMPOSE-HASH check skipped\n";
    return;
  }
  AppendQuotes(out, a);
  AppendGpus(out, a);
  AppendDstack(out, a);
}

}  // namespace

std::string RenderTerminalSummary(const RunResult& run) {
  std::string out = "teeharness " + run.tool_version + "  scenario " + run.scenario_name +
                    "  target " +
                    (run.builtin_mock ? "built-in mock (" + run.target_url + ")" : run.target_url) +
                    "  dialect " + run.dialect + "\n\n";
  for (const PhaseResult& phase : run.phases) AppendPhase(out, phase);
  for (const SweepResult& sweep : run.sweeps) AppendSweep(out, sweep);
  out += "\ncheck            passed   failed  skipped\n";
  for (const CheckTally& check : run.checks) {
    const char* state =
        check.failed ? "FAIL" : (check.passed == 0 && check.skipped ? "SKIPPED" : "ok");
    out += Format("%-15s %7llu  %7llu  %7llu  %s\n", check.id.c_str(),
                  static_cast<unsigned long long>(check.passed),
                  static_cast<unsigned long long>(check.failed),
                  static_cast<unsigned long long>(check.skipped), state);
    if (check.failed == 0 && check.skipped > 0 && !check.skip_reason.empty())
      out += "    skipped: " + check.skip_reason + "\n";
    if (check.failed > 0 && !check.evidence.empty())
      out += "    first: " + check.evidence[0] + "\n";
  }
  AppendAttestation(out, run.attestation);
  if (!run.thresholds.empty()) {
    out += "\nthreshold\n";
    for (const ThresholdResult& t : run.thresholds) {
      out += Format("  %-40s %-14s ", t.metric.c_str(), t.expression.c_str());
      out += t.has_data ? Format("observed %-12g", t.observed) : std::string("no data        ");
      out += t.passed ? " ok\n" : " BREACHED\n";
    }
  }
  if (const std::optional<RequestLogSummary>& log = run.requests_out) {
    out += Format("\nrequests-out %s: %llu lines", log->path.c_str(),
                  static_cast<unsigned long long>(log->lines));
    if (log->dropped > 0) {
      out += Format(", %llu DROPPED (the writer's queue was full)",
                    static_cast<unsigned long long>(log->dropped));
    }
    out += log->write_failed ? ", WRITE FAILED (lines were lost)\n" : "\n";
  }
  if (run.aborted) {
    // One line that says it all: aborted, in which phase, why and by which rule.
    out += "\nABORTED " +
           (run.abort.phase.empty() ? std::string("before the first phase")
                                    : "in phase " + run.abort.phase) +
           Format(" after %.1fs: ", run.abort.at_seconds) + run.abort.reason + " (" +
           (run.abort.kind == "start_up" ? "" : "abort rule ") + run.abort.condition + ")\n";
  }
  out += Format(
      "\n%s in %.1fs: %llu check failures, exit %d\n",
      run.interrupted ? "INTERRUPTED"
                      : (run.aborted ? "ABORTED" : (run.exit_code == 0 ? "PASSED" : "FAILED")),
      run.duration_seconds, static_cast<unsigned long long>(run.check_failures()), run.exit_code);
  return out;
}

}  // namespace teeharness::reports
