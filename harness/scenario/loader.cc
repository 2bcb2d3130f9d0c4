#include "harness/scenario/loader.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "harness/base/duration_parse.h"
#include "harness/base/json_depth.h"
#include "harness/base/read_file.h"
#include "harness/crypto/address.h"
#include "harness/crypto/sha256.h"
#include "harness/scenario/json_positions.h"
#include "harness/scenario/sweep_spec.h"
#include "harness/workload/distribution_parse.h"
#include "scenario_schema.h"

namespace teeharness::scenario {
namespace {

using rapidjson::Value;
// Invalid UTF-8 is rejected here, with its position: RapidJSON 1.1's JSON Pointer stringification
// (used for error messages) reads past the end of a key that is not UTF-8.
constexpr unsigned kParseFlags = rapidjson::kParseCommentsFlag |
                                 rapidjson::kParseTrailingCommasFlag |
                                 rapidjson::kParseValidateEncodingFlag;
// Far deeper than any scenario; the schema validator and the readers recurse.
constexpr size_t kMaxScenarioDepth = 64;

// Collects errors with positions; the pointer names the key in the message ("phases/1/rate").
class Problems {
 public:
  Problems(std::string path, const JsonPositions& positions, LoadErrors* out)
      : path_(std::move(path)), positions_(positions), out_(out) {}

  void Add(const std::string& pointer, const std::string& message) {
    const JsonPositions::Position p = positions_.Find(pointer);
    const std::string key = pointer.empty() ? "(document)" : pointer.substr(1);
    out_->messages.push_back(path_ + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) +
                             ": " + key + ": " + message);
  }
  bool any() const { return !out_->messages.empty(); }

 private:
  std::string path_;
  const JsonPositions& positions_;
  LoadErrors* out_;
};

std::string Compact(const Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return buffer.GetString();
}

const Value* Member(const Value& object, const char* name) {
  if (!object.IsObject()) return nullptr;
  const auto it = object.FindMember(name);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string StringOr(const Value& object, const char* name, std::string fallback) {
  const Value* v = Member(object, name);
  return v && v->IsString() ? std::string(v->GetString()) : fallback;
}

Result<bool> ApplyOverride(rapidjson::Document& doc, const Override& o) {
  Value* node = &doc;
  std::string part;
  std::istringstream parts(o.path);
  std::vector<std::string> keys;
  while (std::getline(parts, part, '.')) keys.push_back(part);
  if (keys.empty()) return MakeError("--set: empty key");
  auto& allocator = doc.GetAllocator();
  for (size_t i = 0; i < keys.size(); ++i) {
    const bool last = i + 1 == keys.size();
    const std::string& key = keys[i];
    if (node->IsArray()) {
      char* end = nullptr;
      const unsigned long index = std::strtoul(key.c_str(), &end, 10);
      if (key.empty() || *end != '\0' || index >= node->Size()) {
        return MakeError("--set ", o.path, ": no array element '", key, "'");
      }
      node = &(*node)[static_cast<rapidjson::SizeType>(index)];
    } else {
      if (!node->IsObject()) node->SetObject();
      auto it = node->FindMember(key.c_str());
      if (it == node->MemberEnd()) {
        node->AddMember(Value(key.c_str(), allocator), Value(rapidjson::kObjectType), allocator);
        it = node->FindMember(key.c_str());
      }
      node = &it->value;
    }
    if (last) {
      rapidjson::Document parsed(&allocator);
      if (!JsonTooDeepAt(o.value, kMaxScenarioDepth)) {
        parsed.Parse<rapidjson::kParseValidateEncodingFlag>(o.value.c_str(), o.value.size());
      }
      if (JsonTooDeepAt(o.value, kMaxScenarioDepth) || parsed.HasParseError()) {
        node->SetString(o.value.c_str(), allocator);
      } else {
        node->CopyFrom(parsed, allocator);
      }
    }
  }
  return true;
}

// A readable message for one schema violation.
std::string SchemaMessage(const rapidjson::SchemaValidator& validator,
                          const rapidjson::Document& schema, const Value* instance,
                          const std::string& where_key) {
  const std::string keyword = validator.GetInvalidSchemaKeyword();
  rapidjson::StringBuffer pointer;
  validator.GetInvalidSchemaPointer().StringifyUriFragment(pointer);
  const std::string schema_pointer = std::string(pointer.GetString()).substr(1);  // drop '#'
  const Value* rule = rapidjson::Pointer(schema_pointer.c_str()).Get(schema);
  const Value* detail = rule ? Member(*rule, keyword.c_str()) : nullptr;
  const std::string got = instance ? ", got " + Compact(*instance) : "";
  if (keyword == "required" && detail && detail->IsArray() && instance && instance->IsObject()) {
    for (const Value& name : detail->GetArray()) {
      if (name.IsString() && !instance->HasMember(name.GetString())) {
        return std::string("missing required key \"") + name.GetString() + "\"";
      }
    }
  }
  if (keyword == "additionalProperties" && instance && !instance->IsObject()) {
    // The validator points at the extra property itself.
    return "unknown key \"" + where_key + "\"";
  }
  if (keyword == "additionalProperties" && rule && instance && instance->IsObject()) {
    const Value* known = Member(*rule, "properties");
    for (const auto& member : instance->GetObject()) {
      if (!known || !known->HasMember(member.name.GetString())) {
        return std::string("unknown key \"") + member.name.GetString() + "\"";
      }
    }
  }
  if (detail &&
      (keyword == "enum" || keyword == "type" || keyword == "minimum" || keyword == "maximum" ||
       keyword == "pattern" || keyword == "minItems" || keyword == "minLength")) {
    return "must satisfy " + keyword + " " + Compact(*detail) + got;
  }
  return "violates " + keyword + got;
}

// RapidJSON's schema validator converts every number to an integer when it hashes values (for
// enum and uniqueItems), which is undefined behaviour for a double beyond the int64/uint64
// range (the scenario fuzzer found it). No scenario value is that large, so such numbers are
// refused before validation, naming where. Recursion is bounded by kMaxScenarioDepth.
void RejectHugeNumbers(const Value& value, const std::string& pointer, Problems& problems) {
  constexpr double kInt64Min = -9223372036854775808.0, kUint64End = 18446744073709551616.0;
  if (value.IsDouble()) {
    const double d = value.GetDouble();
    if (!(d >= kInt64Min && d < kUint64End)) problems.Add(pointer, "number out of range");
  } else if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      RejectHugeNumbers(value[i], pointer + "/" + std::to_string(i), problems);
    }
  } else if (value.IsObject()) {
    for (const auto& member : value.GetObject()) {
      RejectHugeNumbers(member.value,
                        pointer + "/" + JsonPositions::PointerToken(member.name.GetString()),
                        problems);
    }
  }
}

void ValidateSchema(const rapidjson::Document& doc, Problems& problems) {
  static const rapidjson::Document* schema_doc = [] {
    auto* d = new rapidjson::Document;  // lives for the process: compiled once
    d->Parse(kScenarioSchema);
    return d;
  }();
  static const rapidjson::SchemaDocument schema(*schema_doc);
  rapidjson::SchemaValidator validator(schema);
  if (doc.Accept(validator)) return;
  rapidjson::StringBuffer where;
  validator.GetInvalidDocumentPointer().StringifyUriFragment(where);
  std::string pointer = std::string(where.GetString()).substr(1);
  const Value* instance = rapidjson::Pointer(pointer.c_str()).Get(doc);
  const std::string last_key = pointer.substr(pointer.rfind('/') + 1);
  problems.Add(pointer, SchemaMessage(validator, *schema_doc, instance, last_key));
}

std::optional<Duration> DurationAt(const Value& object, const char* name,
                                   const std::string& pointer, Problems& problems) {
  const Value* v = Member(object, name);
  if (!v || !v->IsString()) return std::nullopt;
  Result<Duration> d = ParseDurationText(v->GetString());
  if (!d.ok()) {
    problems.Add(pointer + "/" + name, d.error());
    return std::nullopt;
  }
  return *d;
}

void ReadTarget(const Value& doc, Scenario& s, Problems& problems, bool check_environment) {
  const Value* t = Member(doc, "target");
  if (!t) return;
  s.target.base_url = StringOr(*t, "base_url", "");
  s.target.dialect = *protocol::ParseDialect(StringOr(*t, "dialect", "phala"));
  s.target.model = StringOr(*t, "model", "");
  s.target.api_key_env = StringOr(*t, "api_key_env", "");
  s.target.signing_algo = StringOr(*t, "signing_algo", "ecdsa");
  s.target.http2 = StringOr(*t, "http_version", "1.1") == "2";
  s.target.native_http1 = StringOr(*t, "http_client", "native") == "native";
  if (auto d = DurationAt(*t, "connect_timeout", "/target", problems))
    s.target.connect_timeout = *d;
  if (auto d = DurationAt(*t, "request_timeout", "/target", problems))
    s.target.request_timeout = *d;
  if (const Value* v = Member(*t, "max_response_bytes"); v && v->IsUint64()) {
    s.target.max_response_bytes = v->GetUint64();
  }
  if (const Value* v = Member(*t, "insecure_tls"); v && v->IsBool())
    s.target.insecure_tls = v->GetBool();
  s.target.ca_file = StringOr(*t, "ca_file", "");
  if (check_environment && !s.target.base_url.empty() && !s.target.api_key_env.empty()) {
    const char* key = std::getenv(s.target.api_key_env.c_str());
    if (key == nullptr || *key == '\0') {
      problems.Add("/target/api_key_env",
                   "environment variable " + s.target.api_key_env + " is not set");
    }
  }
}

// expect's quote policy: tcb_status, allow_*, min_tcb_evaluation_data_number and the tdx pins, read
// with the same rules (and messages) as `attest verify --policy`.
void ReadQuotePolicy(const Value& e, attestation::QuotePolicy& policy, Problems& problems) {
  auto apply = [&](const std::string& pointer, const std::string& key, const std::string& value) {
    if (Result<bool> applied = attestation::ApplyPolicyValue(key, value, policy); !applied.ok()) {
      problems.Add(pointer, applied.error());
    }
  };
  if (const Value* v = Member(e, "tcb_status"); v && v->IsArray()) {
    std::string list;
    for (const Value& status : v->GetArray()) {
      if (status.IsString()) list += (list.empty() ? "" : ",") + std::string(status.GetString());
    }
    apply("/expect/tcb_status", "tcb_status", list);
  }
  for (const char* key : {"allow_debug", "allow_sept_ve", "allow_service_td"}) {
    if (const Value* v = Member(e, key); v && v->IsBool()) {
      apply(std::string("/expect/") + key, key, v->GetBool() ? "true" : "false");
    }
  }
  if (const Value* v = Member(e, "min_tcb_evaluation_data_number"); v && v->IsUint()) {
    apply("/expect/min_tcb_evaluation_data_number", "min_tcb_evaluation_data_number",
          std::to_string(v->GetUint()));
  }
  if (const Value* tdx = Member(e, "tdx"); tdx && tdx->IsObject()) {
    for (const auto& member : tdx->GetObject()) {
      if (!member.value.IsString()) continue;  // the schema said so already
      const std::string key = member.name.GetString();
      apply("/expect/tdx/" + key, key, member.value.GetString());
    }
  }
}

// A path in the scenario is relative to the scenario file's folder; a URL stays as written.
std::string ResolvePath(const std::string& scenario_path, const std::string& path) {
  if (path.empty() || path[0] == '/' || path.rfind("http://", 0) == 0 ||
      path.rfind("https://", 0) == 0) {
    return path;
  }
  const size_t slash = scenario_path.rfind('/');
  return slash == std::string::npos ? path : scenario_path.substr(0, slash + 1) + path;
}

// expect.gpus, expect.gpu_rims and expect.dstack: what GPU-COUNT, GPU-MEASURE and COMPOSE-HASH
// hold every report to. The RIM folder must exist now: a typo would otherwise only show as a
// skipped GPU-MEASURE at the end of the run.
void ReadHardwarePolicy(const Value& e, Scenario& s, Problems& problems) {
  if (const Value* v = Member(e, "gpus"); v && v->IsUint()) {
    s.expect.gpu_policy.expected_count = v->GetUint();
  }
  if (const Value* v = Member(e, "gpu_rims"); v && v->IsString()) {
    s.expect.gpu_policy.rim_dir = ResolvePath(s.path, v->GetString());
    std::error_code error;
    if (!std::filesystem::is_directory(s.expect.gpu_policy.rim_dir, error)) {
      problems.Add("/expect/gpu_rims", "not a folder: " + s.expect.gpu_policy.rim_dir);
    }
  }
  if (const Value* v = Member(e, "tls_binding"); v && v->IsBool()) {
    s.expect.tls_binding = v->GetBool();
    if (s.expect.tls_binding && s.target.dialect != protocol::Dialect::kNear) {
      problems.Add("/expect/tls_binding",
                   "TLS binding is defined for the near dialect (include_tls_fingerprint) only");
    }
  }
  const Value* d = Member(e, "dstack");
  if (!d || !d->IsObject()) return;
  attestation::dstack::DstackPins& pins = s.expect.dstack_pins;
  for (auto [key, pin] :
       {std::pair{"compose_hash", &pins.compose_hash},
        std::pair{"os_image_hash", &pins.os_image_hash}, std::pair{"app_id", &pins.app_id},
        std::pair{"key_provider", &pins.key_provider}}) {
    if (const Value* v = Member(*d, key); v && v->IsString()) *pin = v->GetString();
  }
}

void ReadExpect(const Value& doc, Scenario& s, Problems& problems) {
  // NEAR's proxy keeps signatures 1200 s (PROTOCOLS.md "NEAR 2026"); the others document 300 s.
  if (s.target.dialect == protocol::Dialect::kNear) s.expect.retention_seconds = 1200;
  const Value* e = Member(doc, "expect");
  if (!e) return;
  if (const Value* v = Member(*e, "retention_seconds"); v && v->IsNumber()) {
    s.expect.retention_seconds = v->GetDouble();
  }
  const std::string address = StringOr(*e, "address", "stable_until_restart");
  using Kind = checks::AddressExpectation::Kind;
  if (address == "stable_until_restart") {
    s.expect.address.kind = Kind::kStableUntilRestart;
  } else if (address == "stable_across_restarts") {
    s.expect.address.kind = Kind::kStableAcrossRestarts;
  } else if (crypto::ParseAddress(address).ok() || (address.size() == 64)) {
    s.expect.address = {Kind::kPinned, address};
  } else {
    problems.Add("/expect/address",
                 "expected stable_until_restart, stable_across_restarts or an address, got \"" +
                     address + "\"");
  }
  s.expect.image_digest = StringOr(*e, "image_digest", "");
  if (const Value* v = Member(*e, "signature_ready_ms"); v && v->IsInt64()) {
    s.expect.signature_ready_ms = v->GetInt64();
  }
  ReadQuotePolicy(*e, s.expect.quote_policy, problems);
  ReadHardwarePolicy(*e, s, problems);
}

void ReadAttestation(const Value& doc, Scenario& s) {
  const Value* a = Member(doc, "attestation");
  if (!a) return;
  if (const Value* v = Member(*a, "verify"); v && v->IsBool()) s.attestation.verify = v->GetBool();
  s.attestation.collateral = ResolvePath(s.path, StringOr(*a, "collateral", ""));
  if (const Value* roots = Member(*a, "trust_roots"); roots && roots->IsArray()) {
    for (const Value& root : roots->GetArray()) {
      if (root.IsString())
        s.attestation.trust_roots.push_back(ResolvePath(s.path, root.GetString()));
    }
  }
  if (const Value* roots = Member(*a, "gpu_trust_roots"); roots && roots->IsArray()) {
    for (const Value& root : roots->GetArray()) {
      if (root.IsString())
        s.attestation.gpu_trust_roots.push_back(ResolvePath(s.path, root.GetString()));
    }
  }
  if (const Value* roots = Member(*a, "gpu_rim_trust_roots"); roots && roots->IsArray()) {
    for (const Value& root : roots->GetArray()) {
      if (root.IsString())
        s.attestation.gpu_rim_trust_roots.push_back(ResolvePath(s.path, root.GetString()));
    }
  }
  s.attestation.dcap_qvl_tcb_rule = StringOr(*a, "tcb_rule", "intel") == "dcap-qvl";
}

std::string FolderOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

std::optional<workload::Distribution> DistributionAt(const Value& object, const char* name,
                                                     const std::string& pointer,
                                                     const std::string& scenario_path,
                                                     Problems& problems) {
  const Value* v = Member(object, name);
  if (v == nullptr) return std::nullopt;
  Result<workload::Distribution> d = workload::ParseDistributionJson(*v, FolderOf(scenario_path));
  if (!d.ok()) {
    problems.Add(pointer + "/" + name, d.error());
    return std::nullopt;
  }
  return *d;
}

void ReadDataset(const Value& d, Scenario& s) {
  workload::DatasetSpec spec;
  spec.path = ResolvePath(s.path, StringOr(d, "path", ""));
  if (StringOr(d, "format", "openai") == "sharegpt") {
    spec.format = workload::DatasetSpec::Format::kShareGpt;
  }
  if (StringOr(d, "order", "sequential") == "shuffle") {
    spec.order = workload::DatasetSpec::Order::kShuffle;
  }
  s.request.dataset = spec;
}

void ReadSynthetic(const Value& v, Scenario& s, Problems& problems) {
  const std::string pointer = "/request/synthetic";
  workload::SyntheticSpec spec;
  std::optional<workload::Distribution> prompt =
      DistributionAt(v, "prompt_tokens", pointer, s.path, problems);
  if (!prompt) return;  // required by the schema: an error was added
  spec.prompt_tokens = *prompt;
  spec.output_tokens = DistributionAt(v, "output_tokens", pointer, s.path, problems);
  if (const Value* u = Member(v, "unique_prefix"); u && u->IsBool()) {
    spec.unique_prefix = u->GetBool();
  }
  if (const Value* n = Member(v, "shared_prefix_tokens"); n && n->IsUint()) {
    spec.shared_prefix_tokens = n->GetUint();
  }
  s.request.synthetic = spec;
}

void ReadRequest(const Value& doc, Scenario& s, Problems& problems) {
  const Value* r = Member(doc, "request");
  rapidjson::Document body;
  body.SetObject();
  if (const Value* seed = Member(doc, "seed"); seed && seed->IsUint64()) s.seed = seed->GetUint64();
  if (r && r->IsObject()) {
    for (const auto& member : r->GetObject()) {
      const std::string name = member.name.GetString();
      if (name == "max_tokens" && member.value.IsInt()) {
        s.request.max_tokens = member.value.GetInt();
      } else if (name == "stream" && member.value.IsBool()) {
        s.request.stream = member.value.GetBool();
      } else if (name == "stream_usage" && member.value.IsBool()) {
        s.request.stream_usage = member.value.GetBool();
      } else if (name == "dataset") {
        ReadDataset(member.value, s);
      } else if (name == "synthetic") {
        ReadSynthetic(member.value, s, problems);
      } else if (name != "model") {
        body.AddMember(Value(name.c_str(), body.GetAllocator()),
                       Value(member.value, body.GetAllocator()), body.GetAllocator());
      }
    }
    const int sources =
        r->HasMember("messages") + r->HasMember("dataset") + r->HasMember("synthetic");
    if (sources != 1) {
      problems.Add("/request", sources == 0 ? "needs one of messages, dataset or synthetic"
                                            : "give only one of messages, dataset or synthetic");
    }
  } else {
    rapidjson::Document messages;
    messages.Parse(R"([{"role":"user","content":"Say hello in five words."}])");
    body.AddMember("messages", Value(messages, body.GetAllocator()), body.GetAllocator());
    s.request.max_tokens = 16;
  }
  s.request.json = Compact(body);
}

void ReadMock(const Value& doc, Scenario& s) {
  const Value* m = Member(doc, "mock");
  if (!m || !m->IsObject()) return;
  for (const auto& member : m->GetObject()) {
    std::string flag = std::string("--") + member.name.GetString();
    for (char& c : flag) c = c == '_' ? '-' : c;
    const Value& v = member.value;
    if (flag == "--faults") {
      if (v.IsObject()) {
        for (const auto& fault : v.GetObject()) {
          s.mock_args.push_back("--fault");
          s.mock_args.push_back(std::string(fault.name.GetString()) + "=" + Compact(fault.value));
        }
      } else if (v.IsArray()) {
        for (const Value& fault : v.GetArray()) {
          if (!fault.IsString()) continue;
          s.mock_args.push_back("--fault");
          s.mock_args.push_back(fault.GetString());
        }
      }
      continue;
    }
    s.mock_args.push_back(flag);
    s.mock_args.push_back(v.IsString() ? std::string(v.GetString()) : Compact(v));
  }
}

std::optional<RateStageSpec> Stage(const Value& v, const std::string& pointer, Problems& problems) {
  RateStageSpec stage;
  stage.from = Member(v, "from")->GetDouble();
  stage.to = Member(v, "to")->GetDouble();
  std::optional<Duration> over = DurationAt(v, "over", pointer, problems);
  if (!over) return std::nullopt;
  if (over->count() <= 0) {
    problems.Add(pointer + "/over", "must be positive");
    return std::nullopt;
  }
  if (stage.from == 0 && stage.to == 0) problems.Add(pointer, "a ramp from 0 to 0 sends nothing");
  stage.over = *over;
  return stage;
}

void ReadPhase(const Value& v, const std::string& pointer, PhaseSpec& phase, Problems& problems) {
  phase.name = StringOr(v, "name", "");
  phase.flow = StringOr(v, "flow", "");
  phase.action = StringOr(v, "action", "");
  if (phase.flow.empty() == phase.action.empty()) {
    problems.Add(pointer, "needs exactly one of \"flow\" or \"action\"");
    return;
  }
  auto uint = [&](const char* name) -> std::optional<uint64_t> {
    const Value* m = Member(v, name);
    return m && m->IsUint64() ? std::optional<uint64_t>(m->GetUint64()) : std::nullopt;
  };
  if (auto n = uint("concurrency")) phase.concurrency = static_cast<unsigned>(*n);
  phase.iterations = uint("iterations");
  if (auto n = uint("max_in_flight")) phase.max_in_flight = *n;
  if (auto n = uint("samples")) phase.samples = static_cast<unsigned>(*n);
  phase.duration = DurationAt(v, "duration", pointer, problems);
  if (auto d = DurationAt(v, "probe_interval", pointer, problems)) phase.probe_interval = *d;
  phase.command = StringOr(v, "command", "");
  if (const Value* p = Member(v, "poisson"); p && p->IsBool()) phase.poisson = p->GetBool();
  if (const Value* p = Member(v, "honor_retry_after"); p && p->IsBool()) {
    phase.honor_retry_after = p->GetBool();
  }
  if (phase.action == "sleep") {
    if (!phase.duration) problems.Add(pointer, "a sleep action needs \"duration\"");
    phase.sleep = phase.duration.value_or(Duration{0});
    return;
  }
  // A sweep's steps get their load from the sweep (sweep_spec.h), which refuses one given here.
  if (!phase.action.empty() || Member(v, "sweep")) return;
  const Value* rate = Member(v, "rate");
  const Value* ramp = Member(v, "arrival_rate");
  const Value* stages = Member(v, "stages");
  const int open_forms = (rate != nullptr) + (ramp != nullptr) + (stages != nullptr);
  if (open_forms > 1) problems.Add(pointer, "give only one of rate, arrival_rate or stages");
  if (rate) {
    if (!phase.duration) {
      problems.Add(pointer + "/rate", "a constant rate needs \"duration\"");
    } else {
      phase.stages.push_back({rate->GetDouble(), rate->GetDouble(), *phase.duration});
    }
  }
  if (ramp) {
    if (auto s = Stage(*ramp, pointer + "/arrival_rate", problems)) phase.stages.push_back(*s);
  }
  if (stages) {
    for (rapidjson::SizeType i = 0; i < stages->Size(); ++i) {
      if (auto s = Stage((*stages)[i], pointer + "/stages/" + std::to_string(i), problems)) {
        phase.stages.push_back(*s);
      }
    }
  }
  if (open_forms > 0 && Member(v, "concurrency")) {
    problems.Add(pointer + "/concurrency",
                 "an open (rate) phase has no virtual users; use max_in_flight");
  }
  if (open_forms == 0 && phase.flow != "retention_probe" && phase.flow != "negative" &&
      !phase.iterations && !phase.duration) {
    problems.Add(pointer, "a closed phase needs \"iterations\" or \"duration\"");
  }
}

// An `slo` object at `pointer` over `into`: each duration given replaces the one there.
void ReadSlo(const Value* slo, const std::string& pointer, const Scenario& s, SloSpec& into,
             Problems& problems) {
  if (slo == nullptr || !slo->IsObject()) return;
  const std::pair<const char*, std::optional<Duration>*> bounds[] = {
      {"ttft", &into.ttft}, {"tpot", &into.tpot}, {"e2e", &into.e2e}};
  for (const auto& [name, target] : bounds) {
    if (std::optional<Duration> d = DurationAt(*slo, name, pointer, problems)) *target = *d;
  }
  for (const char* name : {"ttft", "tpot"}) {
    if (Member(*slo, name) && !s.request.stream) {
      problems.Add(pointer + "/" + name,
                   "needs request.stream true (a plain response has no first token)");
    }
  }
}

// The sweep phases' plans by index in `phases` (expanded once the abort rules, which are read by
// that index, are in place).
using SweepPlans = std::map<size_t, SweepPlan>;

void ReadPhases(const Value& doc, Scenario& s, Problems& problems, SweepPlans& sweeps) {
  const Value& phases = *Member(doc, "phases");
  ReadSlo(Member(doc, "slo"), "/slo", s, s.slo, problems);
  std::set<std::string> names;
  for (rapidjson::SizeType i = 0; i < phases.Size(); ++i) {
    const std::string pointer = "/phases/" + std::to_string(i);
    PhaseSpec phase;
    phase.slo = s.slo;
    ReadPhase(phases[i], pointer, phase, problems);
    ReadSlo(Member(phases[i], "slo"), pointer + "/slo", s, phase.slo, problems);
    if (Member(phases[i], "sweep")) {
      std::optional<SweepPlan> plan =
          ReadSweepPlan(phases[i], pointer,
                        [&](const std::string& at, const std::string& m) { problems.Add(at, m); });
      if (plan) sweeps[i] = std::move(*plan);
    } else {
      for (const char* key : {"step_duration", "stop_when"}) {
        if (Member(phases[i], key)) problems.Add(pointer + "/" + key, "only in a sweep phase");
      }
    }
    if (!names.insert(phase.name).second) {
      problems.Add(pointer + "/name", "duplicate phase name \"" + phase.name + "\"");
    }
    s.phases.push_back(std::move(phase));
  }
}

// Replaces each sweep phase by its steps; a step's name must not be taken by another phase.
void ExpandSweeps(const SweepPlans& sweeps, Scenario& s, Problems& problems) {
  if (sweeps.empty()) return;
  std::vector<PhaseSpec> phases;
  std::set<std::string> names;
  for (const PhaseSpec& phase : s.phases) names.insert(phase.name);
  for (size_t i = 0; i < s.phases.size(); ++i) {
    const auto plan = sweeps.find(i);
    if (plan == sweeps.end()) {
      phases.push_back(std::move(s.phases[i]));
      continue;
    }
    for (PhaseSpec& step : ExpandSweep(s.phases[i], plan->second)) {
      if (!names.insert(step.name).second) {
        problems.Add("/phases/" + std::to_string(i) + "/name",
                     "the sweep's step \"" + step.name + "\" has the name of another phase");
      }
      phases.push_back(std::move(step));
    }
  }
  s.phases = std::move(phases);
}

void ReadThresholds(const Value& doc, Scenario& s, Problems& problems) {
  const Value* thresholds = Member(doc, "thresholds");
  if (!thresholds) return;
  std::set<std::string> phase_names;
  for (const PhaseSpec& phase : s.phases) phase_names.insert(phase.name);
  for (const auto& member : thresholds->GetObject()) {
    const std::string key = member.name.GetString();
    const std::string pointer = "/thresholds/" + key;
    std::string metric = key;
    std::string phase;
    if (const size_t brace = key.find('{'); brace != std::string::npos) {
      metric = key.substr(0, brace);
      const std::string scope = key.substr(brace);
      if (scope.size() < 9 || scope.substr(0, 7) != "{phase:" || scope.back() != '}') {
        problems.Add(pointer, "scope must be {phase:NAME}");
        continue;
      }
      phase = scope.substr(7, scope.size() - 8);
      if (!phase_names.count(phase)) problems.Add(pointer, "no phase named \"" + phase + "\"");
    }
    if (!IsThresholdMetric(metric)) {
      problems.Add(pointer,
                   "unknown metric \"" + metric +
                       "\" (attest_seconds, chat_seconds, signature_seconds, "
                       "verify_seconds, time_to_first_token_seconds, "
                       "signature_ready_seconds, schedule_lag_seconds, check_failures, "
                       "requests, errors, retries, dropped, time_per_output_token_seconds, "
                       "output_tokens_per_second, prompt_tokens, completion_tokens, goodput, "
                       "verified_goodput)");
      continue;
    }
    for (const Value& expression : member.value.GetArray()) {
      Result<Threshold> t = ParseThresholdExpression(expression.GetString());
      if (!t.ok()) {
        problems.Add(pointer, t.error());
        continue;
      }
      t.value().metric = metric;
      t.value().phase = phase;
      t.value().key = key;
      s.thresholds.push_back(*t);
    }
  }
}

}  // namespace

Result<Override> ParseOverride(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    return MakeError("--set expects key.path=value, got '", text, "'");
  return Override{text.substr(0, eq), text.substr(eq + 1)};
}

Result<Scenario> LoadScenario(const std::string& path, const std::vector<Override>& overrides,
                              LoadErrors* errors, bool check_environment) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) {
    errors->messages.push_back(path + ": cannot read the scenario file");
    return Error{errors->messages.back()};
  }
  return LoadScenarioText(*text, path, overrides, errors, check_environment);
}

Result<Scenario> LoadScenarioText(const std::string& text, const std::string& path,
                                  const std::vector<Override>& overrides, LoadErrors* errors,
                                  bool check_environment) {
  if (const std::optional<size_t> at = JsonTooDeepAt(text, kMaxScenarioDepth)) {
    const auto p = JsonPositions::OffsetToPosition(text, *at);
    errors->messages.push_back(path + ":" + std::to_string(p.line) + ":" +
                               std::to_string(p.column) + ": nested deeper than " +
                               std::to_string(kMaxScenarioDepth) + " levels");
    return Error{errors->messages.back()};
  }
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(text.c_str(), text.size());
  if (doc.HasParseError()) {
    const auto p = JsonPositions::OffsetToPosition(text, doc.GetErrorOffset());
    errors->messages.push_back(path + ":" + std::to_string(p.line) + ":" +
                               std::to_string(p.column) + ": " +
                               rapidjson::GetParseError_En(doc.GetParseError()));
    return Error{errors->messages.back()};
  }
  JsonPositions positions;
  positions.Build(text);
  Problems problems(path, positions, errors);
  for (const Override& o : overrides) {
    if (Result<bool> applied = ApplyOverride(doc, o); !applied.ok()) {
      errors->messages.push_back(applied.error());
    }
  }
  if (problems.any()) return Error{errors->messages.front()};
  RejectHugeNumbers(doc, "", problems);
  if (problems.any()) return Error{errors->messages.front()};
  ValidateSchema(doc, problems);
  if (problems.any()) return Error{errors->messages.front()};
  Scenario s;
  s.path = path;
  s.sha256 = crypto::Sha256::HashHex(text);
  s.name = StringOr(doc, "name", "");
  ReadTarget(doc, s, problems, check_environment);
  ReadExpect(doc, s, problems);
  ReadAttestation(doc, s);
  ReadRequest(doc, s, problems);
  ReadMock(doc, s);
  SweepPlans sweeps;
  ReadPhases(doc, s, problems, sweeps);
  ReadAbortRules(doc, s, [&](const std::string& at, const std::string& m) { problems.Add(at, m); });
  ExpandSweeps(sweeps, s, problems);
  ReadThresholds(doc, s, problems);
  if (problems.any()) return Error{errors->messages.front()};
  return s;
}

}  // namespace teeharness::scenario
