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

// attestation.gpus: {trust_root, reports, verdicts, firmware: [{driver, vbios, evidences}]}.
void WriteGpuSummary(Writer& w, const AttestationSummary& a) {
  w.Key("gpus");
  w.StartObject();
  Field(w, "trust_root", a.gpu_trust_root);
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
  w.Key("errors");
  w.StartObject();
  for (const auto& [kind, count] : phase.errors) Field(w, kind.c_str(), count);
  w.EndObject();
  Field(w, "retries", phase.retries);
  WriteChecks(w, phase.checks);
  w.EndObject();
}

}  // namespace

std::string RenderJsonReport(const RunResult& run) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  Field(w, "schema_version", uint64_t{1});
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
  WriteChecks(w, run.checks);
  WriteAttestation(w, run.attestation);
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
