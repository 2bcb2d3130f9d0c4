#include "reports/json_report.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cmath>

namespace teeharness::reports {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void Field(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value);
}
void Field(Writer& w, const char* key, double value) {
  w.Key(key);
  // RapidJSON writes nothing for NaN/Inf (invalid JSON); an undefined figure is null.
  if (std::isfinite(value)) {
    w.Double(value);
  } else {
    w.Null();
  }
}
void Field(Writer& w, const char* key, uint64_t value) {
  w.Key(key);
  w.Uint64(value);
}
void Field(Writer& w, const char* key, bool value) {
  w.Key(key);
  w.Bool(value);
}

void WriteChecks(Writer& w, const std::vector<CheckTally>& checks) {
  w.Key("checks");
  w.StartArray();
  for (const CheckTally& check : checks) {
    w.StartObject();
    Field(w, "id", check.id);
    Field(w, "passed", check.passed);
    Field(w, "failed", check.failed);
    Field(w, "skipped", check.skipped);
    if (check.skipped > 0) Field(w, "skip_reason", check.skip_reason);
    w.Key("evidence");
    w.StartArray();
    for (const std::string& evidence : check.evidence) w.String(evidence);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
}

void WriteStrings(Writer& w, const char* key, const std::vector<std::string>& values) {
  w.Key(key);
  w.StartArray();
  for (const std::string& value : values) w.String(value);
  w.EndArray();
}

void WriteCounts(Writer& w, const char* key, const std::map<std::string, uint64_t>& counts) {
  w.Key(key);
  w.StartObject();
  for (const auto& [name, count] : counts) {
    w.Key(name);
    w.Uint64(count);
  }
  w.EndObject();
}

// attestation.gpus: {trust_root, rims, reports, verdicts, firmware: [{driver, vbios,
// evidences}]}; rims null when GPU-MEASURE had none.
void WriteGpuSummary(Writer& w, const AttestationSummary& a) {
  w.Key("gpus");
  w.StartObject();
  Field(w, "trust_root", a.gpu_trust_root);
  w.Key("rims");
  if (a.gpu_rims.empty()) {
    w.Null();
  } else {
    w.String(a.gpu_rims.c_str(), static_cast<rapidjson::SizeType>(a.gpu_rims.size()));
  }
  Field(w, "reports", a.gpu_reports);
  WriteCounts(w, "verdicts", a.gpu_verdicts);
  w.Key("firmware");
  w.StartArray();
  for (const AttestationSummary::GpuFirmware& f : a.gpu_firmware) {
    w.StartObject();
    Field(w, "driver", f.driver);
    Field(w, "vbios", f.vbios);
    Field(w, "evidences", f.evidences);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

// attestation.dstack: {verdicts, apps: [{app_id, instance_id, compose_hash, os_image_hash,
// key_provider, reports}]}.
void WriteDstackSummary(Writer& w, const AttestationSummary& a) {
  w.Key("dstack");
  w.StartObject();
  WriteCounts(w, "verdicts", a.dstack_verdicts);
  w.Key("apps");
  w.StartArray();
  for (const AttestationSummary::DstackIdentity& d : a.dstack) {
    w.StartObject();
    Field(w, "app_id", d.app_id);
    Field(w, "instance_id", d.instance_id);
    Field(w, "compose_hash", d.compose_hash);
    Field(w, "os_image_hash", d.os_image_hash);
    Field(w, "key_provider", d.key_provider);
    Field(w, "reports", d.reports);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteIdentity(Writer& w, const IdentitySummary& identity) {
  w.Key("identity");
  w.StartObject();
  Field(w, "signing_address", identity.signing_address);
  if (!identity.gateway_address.empty()) Field(w, "gateway_address", identity.gateway_address);
  if (!identity.model_addresses.empty())
    WriteStrings(w, "model_addresses", identity.model_addresses);
  Field(w, "epoch", static_cast<uint64_t>(identity.epoch));
  w.EndObject();
}

void WriteAttestation(Writer& w, const AttestationSummary& a) {
  w.Key("attestation");
  w.StartObject();
  Field(w, "verify", a.verify);
  Field(w, "trust_root", a.trust_root);
  Field(w, "collateral", a.collateral);
  if (!a.collateral_problem.empty()) Field(w, "collateral_problem", a.collateral_problem);
  Field(w, "collateral_fetches", a.collateral_fetches);
  Field(w, "collateral_disk_hits", a.collateral_disk_hits);
  Field(w, "collateral_fetch_failures", a.collateral_fetch_failures);
  Field(w, "tcb_rule", a.tcb_rule);
  Field(w, "quotes_verified", a.quotes);
  WriteCounts(w, "verdicts", a.verdicts);
  WriteCounts(w, "tcb_status", a.tcb_status);
  WriteStrings(w, "advisory_ids", a.advisory_ids);
  WriteStrings(w, "fmspc", a.fmspc);
  WriteStrings(w, "tdx_module_ids", a.tdx_module_ids);
  w.Key("measurements");
  w.StartArray();
  for (const AttestationSummary::Measurements& m : a.measurements) {
    w.StartObject();
    Field(w, "mrtd", m.mrtd);
    Field(w, "rtmr0", m.rtmr0);
    Field(w, "rtmr1", m.rtmr1);
    Field(w, "rtmr2", m.rtmr2);
    Field(w, "rtmr3", m.rtmr3);
    Field(w, "quotes", m.quotes);
    w.EndObject();
  }
  w.EndArray();
  WriteGpuSummary(w, a);
  WriteDstackSummary(w, a);
  w.EndObject();
}

void WriteLatency(Writer& w, const std::map<std::string, LatencySummary>& latency) {
  w.Key("latency_seconds");
  w.StartObject();
  for (const auto& [op, s] : latency) {
    w.Key(op);
    w.StartObject();
    Field(w, "count", s.count);
    Field(w, "mean", s.mean);
    Field(w, "p50", s.p50);
    Field(w, "p90", s.p90);
    Field(w, "p95", s.p95);
    Field(w, "p99", s.p99);
    Field(w, "max", s.max);
    w.EndObject();
  }
  w.EndObject();
}

// `slo` {ttft, tpot, e2e (seconds, null: no bound), met_verified, met_unverified, missed},
// `goodput` and `verified_goodput` (requests/s): all null for a phase without an SLO.
void WriteSlo(Writer& w, const PhaseResult& phase) {
  const PhaseResult::Slo& slo = phase.slo;
  w.Key("slo");
  if (!slo.defined) {
    w.Null();
  } else {
    w.StartObject();
    for (const auto& [name, bound] :
         {std::pair{"ttft", slo.ttft}, {"tpot", slo.tpot}, {"e2e", slo.e2e}}) {
      w.Key(name);
      bound < 0 ? w.Null() : w.Double(bound);
    }
    Field(w, "met_verified", slo.met_verified);
    Field(w, "met_unverified", slo.met_unverified);
    Field(w, "missed", slo.missed);
    w.EndObject();
  }
  w.Key("goodput");
  slo.defined ? w.Double(phase.goodput) : w.Null();
  w.Key("verified_goodput");
  slo.defined ? w.Double(phase.verified_goodput) : w.Null();
}

// A figure that may be absent (-1): null then.
void FieldOrNull(Writer& w, const char* key, double value, bool present) {
  w.Key(key);
  if (present && std::isfinite(value)) {
    w.Double(value);
  } else {
    w.Null();
  }
}

// `sweeps[]` {name, over, planned_steps, steps[] {...}, capacity, capacity_note, stopped_at}.
void WriteSweep(Writer& w, const SweepResult& sweep) {
  w.StartObject();
  Field(w, "name", sweep.name);
  Field(w, "over", sweep.over);
  Field(w, "planned_steps", static_cast<uint64_t>(sweep.planned_steps));
  w.Key("steps");
  w.StartArray();
  for (const SweepStepResult& row : sweep.steps) {
    w.StartObject();
    Field(w, "step", static_cast<uint64_t>(row.step));
    Field(w, "phase", row.phase);
    Field(w, "offered", row.offered);
    Field(w, "achieved_rate", row.achieved_rate);
    FieldOrNull(w, "goodput", row.goodput, row.has_slo);
    FieldOrNull(w, "verified_goodput", row.verified_goodput, row.has_slo);
    FieldOrNull(w, "good_fraction", row.good_fraction, row.has_slo);
    FieldOrNull(w, "ttft_p50", row.ttft_p50, row.ttft_p50 >= 0);
    FieldOrNull(w, "ttft_p95", row.ttft_p95, row.ttft_p95 >= 0);
    FieldOrNull(w, "tpot_p50", row.tpot_p50, row.tpot_p50 >= 0);
    Field(w, "output_tokens_per_second", row.output_tokens_per_second);
    Field(w, "arrivals", row.arrivals);
    Field(w, "errors", row.errors);
    w.Key("met_slo");
    row.has_slo ? w.Bool(row.met_slo) : w.Null();
    Field(w, "stopped", row.stopped);
    w.Key("stop_reason");
    row.stopped ? w.String(row.stop_reason) : w.Null();
    w.EndObject();
  }
  w.EndArray();
  w.Key("capacity");
  if (sweep.capacity) {
    const SweepStepResult& row = sweep.steps[*sweep.capacity];
    w.StartObject();
    Field(w, "step", static_cast<uint64_t>(row.step));
    Field(w, "offered", row.offered);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("capacity_note");
  sweep.capacity ? w.Null() : w.String(sweep.capacity_note);
  w.Key("stopped_at");
  sweep.stopped_at ? w.Uint64(*sweep.stopped_at) : w.Null();
  w.EndObject();
}

void WriteTimelineSample(Writer& w, const TimelineSample& s) {
  w.StartObject();
  Field(w, "t", s.t);
  Field(w, "seconds", s.seconds);
  Field(w, "target_rate", s.target_rate);
  Field(w, "arrivals", s.arrivals);
  Field(w, "dropped", s.dropped);
  Field(w, "completed", s.completed);
  Field(w, "succeeded", s.succeeded);
  WriteCounts(w, "failed", s.failed);
  WriteCounts(w, "errors", s.errors);
  w.Key("in_flight");
  w.Int64(s.in_flight);
  Field(w, "schedule_lag_p99", s.schedule_lag_p99);
  Field(w, "schedule_lag_max", s.schedule_lag_max);
  w.Key("latency_seconds");
  w.StartObject();
  for (const auto& [name, window] : s.latency) {
    w.Key(name);
    w.StartObject();
    Field(w, "count", window.count);
    Field(w, "p50", window.p50);
    Field(w, "p95", window.p95);
    Field(w, "p99", window.p99);
    w.EndObject();
  }
  w.EndObject();
  Field(w, "check_failures", s.check_failures);
  Field(w, "check_passes", s.check_passes);
  Field(w, "prompt_tokens", s.prompt_tokens);
  Field(w, "completion_tokens", s.completion_tokens);
  w.EndObject();
}

void WritePhase(Writer& w, const PhaseResult& phase) {
  w.StartObject();
  Field(w, "name", phase.name);
  Field(w, "kind", phase.kind);
  Field(w, "duration_seconds", phase.duration_seconds);
  Field(w, "requests", phase.requests);
  Field(w, "iterations", phase.iterations);
  Field(w, "rate", phase.achieved_rate);
  Field(w, "target_rate", phase.target_rate);
  Field(w, "dropped", phase.dropped);
  Field(w, "interrupted", phase.interrupted);
  Field(w, "aborted", phase.aborted);
  w.Key("accounting");  // every arrival exactly once: arrivals = succeeded + failed + dropped
  w.StartObject();
  Field(w, "arrivals", phase.arrivals);
  Field(w, "succeeded", phase.succeeded);
  w.Key("failed");
  w.StartObject();
  for (const auto& [kind, count] : phase.failed) Field(w, kind.c_str(), count);
  w.EndObject();
  Field(w, "dropped", phase.dropped);
  w.Key("unaccounted");
  w.Int64(phase.unaccounted());
  w.EndObject();
  WriteLatency(w, phase.latency);
  w.Key("tokens");
  w.StartObject();
  Field(w, "prompt", phase.tokens.prompt);
  Field(w, "completion", phase.tokens.completion);
  Field(w, "estimated", phase.tokens.estimated);
  w.EndObject();
  Field(w, "output_tokens_per_second", phase.output_tokens_per_second);
  WriteSlo(w, phase);
  w.Key("errors");
  w.StartObject();
  for (const auto& [kind, count] : phase.errors) Field(w, kind.c_str(), count);
  w.EndObject();
  Field(w, "retries", phase.retries);
  WriteChecks(w, phase.checks);
  Field(w, "timeline_step_seconds", phase.timeline_step_seconds);
  w.Key("timeline");
  w.StartArray();
  for (const TimelineSample& sample : phase.timeline) WriteTimelineSample(w, sample);
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string RenderJsonReport(const RunResult& run) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  Field(w, "schema_version", kJsonSchemaVersion);
  w.Key("tool");
  w.StartObject();
  Field(w, "name", std::string("teeharness"));
  Field(w, "version", run.tool_version);
  Field(w, "libcurl", run.libcurl_version);
  w.EndObject();
  w.Key("scenario");
  w.StartObject();
  Field(w, "name", run.scenario_name);
  Field(w, "sha256", run.scenario_sha256);
  w.EndObject();
  w.Key("target");
  w.StartObject();
  Field(w, "base_url", run.target_url);
  Field(w, "dialect", run.dialect);
  Field(w, "model", run.model);
  Field(w, "builtin_mock", run.builtin_mock);
  w.EndObject();
  Field(w, "started_at", run.started_at);
  Field(w, "duration_seconds", run.duration_seconds);
  Field(w, "interrupted", run.interrupted);
  Field(w, "aborted", run.aborted);
  w.Key("abort");  // which rule stopped the run, where and why; null when none did
  if (run.aborted) {
    w.StartObject();
    Field(w, "phase", run.abort.phase);
    Field(w, "kind", run.abort.kind);
    Field(w, "condition", run.abort.condition);
    Field(w, "observed", run.abort.observed);
    Field(w, "at_seconds", run.abort.at_seconds);
    Field(w, "reason", run.abort.reason);
    Field(w, "grace_seconds", run.abort.grace_seconds);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("requests_out");  // the --requests-out file and what became of its lines; null without
  if (run.requests_out) {
    w.StartObject();
    Field(w, "path", run.requests_out->path);
    Field(w, "lines", run.requests_out->lines);
    Field(w, "dropped", run.requests_out->dropped);
    Field(w, "write_failed", run.requests_out->write_failed);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("phases");
  w.StartArray();
  for (const PhaseResult& phase : run.phases) WritePhase(w, phase);
  w.EndArray();
  w.Key("sweeps");  // each sweep phase's steps (also in phases[]) and its capacity
  w.StartArray();
  for (const SweepResult& sweep : run.sweeps) WriteSweep(w, sweep);
  w.EndArray();
  WriteChecks(w, run.checks);
  WriteAttestation(w, run.attestation);
  WriteIdentity(w, run.identity);
  w.Key("signing_addresses");  // first seen, then each change (at most 64)
  w.StartArray();
  for (const AddressSighting& s : run.signing_addresses) {
    w.StartObject();
    Field(w, "address", s.address);
    w.Key("epoch");
    w.Int(s.epoch);
    Field(w, "phase", s.phase);
    Field(w, "at_seconds", s.at_seconds);
    w.EndObject();
  }
  w.EndArray();
  Field(w, "signing_address_changes", run.signing_address_changes);
  w.Key("thresholds");
  w.StartArray();
  for (const ThresholdResult& t : run.thresholds) {
    w.StartObject();
    Field(w, "metric", t.metric);
    Field(w, "expression", t.expression);
    Field(w, "observed", t.observed);
    Field(w, "has_data", t.has_data);
    Field(w, "passed", t.passed);
    w.EndObject();
  }
  w.EndArray();
  w.Key("exit_code");
  w.Int(run.exit_code);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace teeharness::reports
