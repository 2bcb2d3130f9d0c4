#include "harness/scenario/loader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "harness/base/duration_parse.h"
#include "tests/support/files.h"
#include "tests/support/paths.h"

namespace teeharness::scenario {
namespace {

struct Loaded {
  Result<Scenario> scenario;
  std::vector<std::string> errors;
};

Loaded Load(const std::string& text, const std::vector<Override>& overrides = {}) {
  testing::TempDir dir;
  const std::string path = dir.Write("s.json", text);
  LoadErrors errors;
  Result<Scenario> s = LoadScenario(path, overrides, &errors);
  for (std::string& message : errors.messages) {
    if (message.rfind(path, 0) == 0) message = message.substr(path.size());  // ":L:C: ..."
  }
  return {std::move(s), errors.messages};
}

const char* kMinimal = R"({
  // comments are allowed
  "name": "s",
  "phases": [ { "name": "a", "flow": "attest", "iterations": 2, }, ],
})";

TEST(Loader, CommentsTrailingCommasAndDefaults) {
  Loaded l = Load(kMinimal);
  ASSERT_TRUE(l.scenario.ok()) << (l.errors.empty() ? "" : l.errors[0]);
  const Scenario& s = *l.scenario;
  EXPECT_EQ(s.name, "s");
  EXPECT_TRUE(s.target.base_url.empty());
  EXPECT_EQ(s.target.dialect, protocol::Dialect::kPhala);
  EXPECT_EQ(s.expect.retention_seconds, 300);
  EXPECT_EQ(s.phases[0].iterations, 2u);
  EXPECT_EQ(s.sha256.size(), 64u);
  EXPECT_NE(s.request.json.find("messages"), std::string::npos);
}

// NEAR's proxy keeps signatures 1200 s; a near scenario expects that unless it says otherwise. Its
// mock section takes near_version (a string or, through --set, a number) and signature_kind.
TEST(Loader, NearDefaultsAndMockOptions) {
  Loaded near = Load(kMinimal, {{"target.dialect", "near"},
                                {"mock.near_version", "2025"},
                                {"mock.signature_kind", "gateway"}});
  ASSERT_TRUE(near.scenario.ok()) << near.errors[0];
  EXPECT_EQ(near.scenario->expect.retention_seconds, 1200);
  EXPECT_EQ(near.scenario->mock_args,
            (std::vector<std::string>{"--near-version", "2025", "--signature-kind", "gateway"}));
  Loaded pinned = Load(kMinimal, {{"target.dialect", "near"}, {"expect.retention_seconds", "60"}});
  ASSERT_TRUE(pinned.scenario.ok());
  EXPECT_EQ(pinned.scenario->expect.retention_seconds, 60);
  EXPECT_FALSE(Load(kMinimal, {{"mock.near_version", "2024"}}).scenario.ok());
  EXPECT_FALSE(Load(kMinimal, {{"mock.signature_kind", "model"}}).scenario.ok());
}

TEST(Loader, SyntaxErrorNamesLineAndColumn) {
  Loaded l = Load("{\n  \"name\": \"s\",\n  \"phases\": [ 1 2 ]\n}");
  ASSERT_FALSE(l.scenario.ok());
  ASSERT_EQ(l.errors.size(), 1u);
  EXPECT_EQ(l.errors[0].substr(0, 6), ":3:17:") << l.errors[0];
}

TEST(Loader, SchemaErrorsPointAtTheKey) {
  Loaded l = Load(
      "{\n  \"name\": \"s\",\n  \"phases\": [\n    { \"name\": \"a\", \"flow\": \"attest\",\n      "
      "\"concurrency\": 0, \"iterations\": 1 }\n  ]\n}");
  ASSERT_EQ(l.errors.size(), 1u);
  EXPECT_EQ(l.errors[0], ":5:7: phases/0/concurrency: must satisfy minimum 1, got 0");
  l = Load(
      R"({"name": "s", "phases": [{"name": "a", "flow": "attest", "iterations": 1, "colour": 1}]})");
  ASSERT_EQ(l.errors.size(), 1u);
  EXPECT_NE(l.errors[0].find("phases/0/colour: unknown key \"colour\""), std::string::npos)
      << l.errors[0];
  l = Load(R"({"phases": [{"name": "a", "flow": "http", "iterations": 1}]})");
  EXPECT_NE(l.errors[0].find("missing required key \"name\""), std::string::npos) << l.errors[0];
  l = Load(
      R"({"name": "s", "target": {"dialect": "openai"}, "phases": [{"name": "a", "flow": "http", "iterations": 1}]})");
  EXPECT_NE(l.errors[0].find("target/dialect: must satisfy enum"), std::string::npos)
      << l.errors[0];
}

TEST(Loader, SemanticErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([{"name":"a","flow":"attest","iterations":1},{"name":"a","flow":"attest","iterations":1}])",
       "duplicate phase name"},
      {R"([{"name":"a","flow":"attest"}])", "needs \"iterations\" or \"duration\""},
      {R"([{"name":"a","flow":"attest","action":"sleep","duration":"1s"}])", "exactly one of"},
      {R"([{"name":"a","flow":"attest","duration":"ten seconds"}])", "expected a duration"},
      {R"([{"name":"a","flow":"attest","rate":5}])", "needs \"duration\""},
      {R"([{"name":"a","flow":"attest","arrival_rate":{"from":0,"to":0,"over":"1s"}}])",
       "sends nothing"},
      {R"([{"name":"a","flow":"attest","rate":5,"duration":"1s","concurrency":3}])",
       "max_in_flight"},
  };
  for (const auto& [phases, message] : cases) {
    Loaded l = Load(R"({"name":"s","phases":)" + phases + "}");
    ASSERT_FALSE(l.errors.empty()) << phases;
    EXPECT_NE(l.errors[0].find(message), std::string::npos) << l.errors[0];
  }
}

TEST(Loader, ThresholdsParseAndAreChecked) {
  Loaded l = Load(R"({"name":"s","phases":[{"name":"ramp","flow":"attest","iterations":1}],
    "thresholds":{"chat_seconds{phase:ramp}":["p(99.9)<=2.5","avg<1"],"check_failures":["count==0"]}})");
  ASSERT_TRUE(l.scenario.ok()) << l.errors[0];
  ASSERT_EQ(l.scenario->thresholds.size(), 3u);
  const Threshold& t = l.scenario->thresholds[0];
  EXPECT_EQ(t.metric, "chat_seconds");
  EXPECT_EQ(t.phase, "ramp");
  EXPECT_EQ(t.aggregate, Aggregate::kPercentile);
  EXPECT_DOUBLE_EQ(t.parameter, 99.9);
  EXPECT_EQ(t.comparator, Comparator::kLessEqual);
  EXPECT_TRUE(Holds(t, 2.5));
  EXPECT_FALSE(Holds(t, 2.6));
  for (const char* bad :
       {R"({"latency":["p(95)<1"]})", R"({"chat_seconds":["p95<1"]})",
        R"({"chat_seconds":["p(95)~1"]})", R"({"chat_seconds{phase:nope}":["avg<1"]})"}) {
    Loaded b = Load(
        R"({"name":"s","phases":[{"name":"ramp","flow":"attest","iterations":1}],"thresholds":)" +
        std::string(bad) + "}");
    EXPECT_FALSE(b.scenario.ok()) << bad;
  }
}

TEST(Loader, OverridesApplyBeforeValidation) {
  Loaded l = Load(kMinimal, {{"phases.0.iterations", "7"},
                             {"target.base_url", "http://127.0.0.1:9"},
                             {"mock.faults", R"({"slow":0.5})"},
                             {"expect.address", "stable_across_restarts"}});
  ASSERT_TRUE(l.scenario.ok()) << l.errors[0];
  EXPECT_EQ(l.scenario->phases[0].iterations, 7u);
  EXPECT_EQ(l.scenario->target.base_url, "http://127.0.0.1:9");
  EXPECT_EQ(l.scenario->mock_args, (std::vector<std::string>{"--fault", "slow=0.5"}));
  EXPECT_EQ(l.scenario->expect.address.kind,
            checks::AddressExpectation::Kind::kStableAcrossRestarts);
  Loaded bad = Load(kMinimal, {{"phases.0.iterations", "0"}});
  EXPECT_FALSE(bad.scenario.ok());
  Loaded missing = Load(kMinimal, {{"phases.5.iterations", "1"}});
  EXPECT_NE(missing.errors[0].find("no array element '5'"), std::string::npos);
  EXPECT_FALSE(ParseOverride("novalue").ok());
}

TEST(Loader, ApiKeyVariableMustBeSetAndIsNeverEchoed) {
  const std::string text =
      R"({"name":"s","target":{"base_url":"https://x","api_key_env":"TEEH_TEST_KEY_VAR"},
    "phases":[{"name":"a","flow":"attest","iterations":1}]})";
  unsetenv("TEEH_TEST_KEY_VAR");
  Loaded l = Load(text);
  ASSERT_FALSE(l.scenario.ok());
  EXPECT_NE(l.errors[0].find("TEEH_TEST_KEY_VAR is not set"), std::string::npos);
  setenv("TEEH_TEST_KEY_VAR", "super-secret-value", 1);
  l = Load(text);
  EXPECT_TRUE(l.scenario.ok());
  unsetenv("TEEH_TEST_KEY_VAR");
}

TEST(Loader, QuotePolicyAndAttestationSettings) {
  Loaded l = Load(R"({
  "name": "s",
  "expect": { "tcb_status": ["UpToDate", "OutOfDate"], "allow_debug": true,
              "min_tcb_evaluation_data_number": 17,
              "tdx": { "mrtd": "0x)" +
                  std::string(96, 'a') + R"(", "mr_seam": ")" + std::string(96, 'b') + "," +
                  std::string(96, 'c') + R"(" } },
  "attestation": { "verify": false, "collateral": "c.json", "trust_roots": ["/abs/root.pem"],
                   "tcb_rule": "dcap-qvl" },
  "phases": [ { "name": "a", "flow": "attest", "iterations": 1 } ]
})");
  ASSERT_TRUE(l.scenario.ok()) << (l.errors.empty() ? "" : l.errors[0]);
  const Scenario& s = *l.scenario;
  const attestation::QuotePolicy& p = s.expect.quote_policy;
  EXPECT_EQ(p.accepted_tcb_statuses, (std::vector<std::string>{"UpToDate", "OutOfDate"}));
  EXPECT_TRUE(p.allow_debug);
  EXPECT_FALSE(p.allow_sept_ve);
  EXPECT_EQ(p.min_tcb_evaluation_data_number, 17);
  ASSERT_TRUE(p.pins.count("mrtd"));
  EXPECT_EQ(p.pins.at("mrtd").at(0), crypto::Bytes(48, 0xaa));
  EXPECT_EQ(p.pins.at("mr_seam").size(), 2u);
  EXPECT_FALSE(s.attestation.verify);
  EXPECT_TRUE(s.attestation.dcap_qvl_tcb_rule);
  // Relative paths are the scenario folder's; absolute ones stay.
  EXPECT_EQ(s.attestation.collateral, s.path.substr(0, s.path.rfind('/') + 1) + "c.json");
  EXPECT_EQ(s.attestation.trust_roots, std::vector<std::string>{"/abs/root.pem"});
}

TEST(Loader, GpuAndDstackExpectations) {
  testing::TempDir rims;
  Loaded l = Load(R"({
  "name": "s",
  "expect": { "gpus": 8, "gpu_rims": ")" +
                  rims.path() + R"(",
              "dstack": { "compose_hash": "ab", "key_provider": "kms" } },
  "attestation": { "gpu_trust_roots": ["nv.pem"], "gpu_rim_trust_roots": ["rim.pem"] },
  "phases": [ { "name": "a", "flow": "attest", "iterations": 1 } ]
})");
  ASSERT_TRUE(l.scenario.ok()) << (l.errors.empty() ? "" : l.errors[0]);
  const Scenario& s = *l.scenario;
  EXPECT_EQ(s.expect.gpu_policy.expected_count, std::optional<size_t>(8));
  EXPECT_EQ(s.expect.gpu_policy.rim_dir, rims.path());
  EXPECT_EQ(s.expect.dstack_pins.compose_hash, std::optional<std::string>("ab"));
  EXPECT_EQ(s.expect.dstack_pins.key_provider, std::optional<std::string>("kms"));
  EXPECT_FALSE(s.expect.dstack_pins.app_id);
  EXPECT_EQ(s.attestation.gpu_trust_roots,
            std::vector<std::string>{s.path.substr(0, s.path.rfind('/') + 1) + "nv.pem"});
  EXPECT_EQ(s.attestation.gpu_rim_trust_roots,
            std::vector<std::string>{s.path.substr(0, s.path.rfind('/') + 1) + "rim.pem"});
  // Unset, nothing is expected: GPU-COUNT and GPU-MEASURE are then skipped, saying why.
  Loaded plain = Load(kMinimal);
  ASSERT_TRUE(plain.scenario.ok());
  EXPECT_FALSE(plain.scenario->expect.gpu_policy.expected_count);
  EXPECT_TRUE(plain.scenario->expect.dstack_pins.empty());
}

TEST(Loader, BadGpuAndDstackExpectationsNameTheField) {
  Loaded missing = Load(kMinimal, {{"expect.gpu_rims", "/nonexistent/rims"}});
  ASSERT_FALSE(missing.scenario.ok());
  ASSERT_FALSE(missing.errors.empty());
  EXPECT_NE(missing.errors[0].find("expect/gpu_rims: not a folder: /nonexistent/rims"),
            std::string::npos)
      << missing.errors[0];
  Loaded negative = Load(kMinimal, {{"expect.gpus", "-1"}});
  EXPECT_FALSE(negative.scenario.ok());
  Loaded not_hex = Load(kMinimal, {{"expect.dstack", R"({"app_id": "zz"})"}});
  EXPECT_FALSE(not_hex.scenario.ok());
}

TEST(Loader, BadQuotePolicyValuesNameTheKeyAndWhy) {
  Loaded l = Load(R"({
  "name": "s",
  "expect": { "tdx": { "mrtd": "abcd" } },
  "phases": [ { "name": "a", "flow": "attest", "iterations": 1 } ]
})");
  ASSERT_FALSE(l.scenario.ok());
  ASSERT_EQ(l.errors.size(), 1u);
  EXPECT_NE(l.errors[0].find(":3:"), std::string::npos) << l.errors[0];
  EXPECT_NE(l.errors[0].find("expect/tdx/mrtd: policy mrtd: expected 48 bytes"), std::string::npos)
      << l.errors[0];
  Loaded unknown = Load(kMinimal, {{"expect.tcb_status", "[\"Fine\"]"}});
  EXPECT_FALSE(unknown.scenario.ok());
}

// request: inline, dataset (path relative to the scenario file) or synthetic; exactly one.
TEST(Loader, RequestSources) {
  Loaded dataset = Load(kMinimal, {{"request", R"({"stream":true,"max_tokens":9,"temperature":0,
      "dataset":{"path":"data/p.jsonl","format":"sharegpt","order":"shuffle"}})"},
                                   {"seed", "42"}});
  ASSERT_TRUE(dataset.scenario.ok()) << dataset.errors[0];
  const Scenario& d = *dataset.scenario;
  ASSERT_TRUE(d.request.dataset.has_value());
  EXPECT_EQ(d.request.dataset->path.substr(d.request.dataset->path.size() - 13), "/data/p.jsonl");
  EXPECT_EQ(d.request.dataset->path.substr(0, d.path.rfind('/')),
            d.path.substr(0, d.path.rfind('/')));
  EXPECT_EQ(d.request.dataset->format, workload::DatasetSpec::Format::kShareGpt);
  EXPECT_EQ(d.request.dataset->order, workload::DatasetSpec::Order::kShuffle);
  EXPECT_EQ(d.request.json, R"({"temperature":0})");  // the defaults of every body
  EXPECT_EQ(d.seed, 42u);
  EXPECT_TRUE(d.request.stream_usage);
  // --set request.dataset.path works like any override; an absolute path stays as written.
  Loaded moved = Load(kMinimal, {{"request", R"({"dataset":{"path":"a.jsonl"}})"},
                                 {"request.dataset.path", "/tmp/other.jsonl"},
                                 {"request.stream_usage", "false"}});
  ASSERT_TRUE(moved.scenario.ok()) << moved.errors[0];
  EXPECT_EQ(moved.scenario->request.dataset->path, "/tmp/other.jsonl");
  EXPECT_FALSE(moved.scenario->request.stream_usage);
  Loaded synthetic = Load(kMinimal, {{"request", R"({"synthetic":{
      "prompt_tokens":{"dist":"uniform","min":50,"max":500},
      "output_tokens":{"dist":"normal","mean":200,"sd":50},"unique_prefix":true,
      "shared_prefix_tokens":16}})"}});
  ASSERT_TRUE(synthetic.scenario.ok()) << synthetic.errors[0];
  const workload::SyntheticSpec& spec = *synthetic.scenario->request.synthetic;
  EXPECT_EQ(spec.prompt_tokens.kind, workload::Distribution::Kind::kUniform);
  EXPECT_EQ(spec.prompt_tokens.max, 500);
  ASSERT_TRUE(spec.output_tokens.has_value());
  EXPECT_EQ(spec.output_tokens->sd, 50);
  EXPECT_EQ(spec.output_tokens->min, 1);  // a normal length is at least one token
  EXPECT_TRUE(spec.unique_prefix);
  EXPECT_EQ(spec.shared_prefix_tokens, 16u);
}

// slo: scenario level for every phase, a phase's keys on top; ttft and tpot need streaming.
TEST(Loader, SloPerScenarioAndPhase) {
  Loaded l = Load(R"({
    "name": "s",
    "request": { "messages": [{"role": "user", "content": "hi"}], "stream": true },
    "slo": { "ttft": "500ms", "e2e": "10s" },
    "phases": [ { "name": "a", "flow": "verified_chat", "iterations": 2 },
                { "name": "b", "flow": "verified_chat", "iterations": 2,
                  "slo": { "tpot": "50ms", "e2e": "2s" } } ],
    "thresholds": { "verified_goodput{phase:b}": ["avg>1"], "goodput": ["avg>1"] }
  })");
  ASSERT_TRUE(l.scenario.ok()) << l.errors[0];
  const Scenario& s = *l.scenario;
  EXPECT_EQ(s.phases[0].slo.ttft, std::chrono::milliseconds(500));
  EXPECT_FALSE(s.phases[0].slo.tpot.has_value());
  EXPECT_EQ(s.phases[0].slo.e2e, std::chrono::seconds(10));
  EXPECT_EQ(s.phases[1].slo.ttft, std::chrono::milliseconds(500));
  EXPECT_EQ(s.phases[1].slo.tpot, std::chrono::milliseconds(50));
  EXPECT_EQ(s.phases[1].slo.e2e, std::chrono::seconds(2));
  EXPECT_EQ(s.thresholds.size(), 2u);
  Loaded plain = Load(kMinimal, {{"slo", R"({"ttft":"1s"})"}});
  ASSERT_FALSE(plain.scenario.ok());
  EXPECT_NE(plain.errors[0].find("slo/ttft: needs request.stream true"), std::string::npos)
      << plain.errors[0];
  Loaded bad = Load(kMinimal, {{"slo", R"({"e2e":"soon"})"}});
  ASSERT_FALSE(bad.scenario.ok());
  EXPECT_NE(bad.errors[0].find("slo/e2e: "), std::string::npos) << bad.errors[0];
  Loaded unknown = Load(kMinimal, {{"slo", R"({"itl":"1s"})"}});
  EXPECT_FALSE(unknown.scenario.ok());
}

TEST(Loader, RequestSourceErrorsNameTheKey) {
  Loaded both = Load(kMinimal, {{"request", R"({"messages":[{}],"dataset":{"path":"a"}})"}});
  ASSERT_FALSE(both.scenario.ok());
  EXPECT_NE(both.errors[0].find("request: give only one of messages, dataset or synthetic"),
            std::string::npos)
      << both.errors[0];
  Loaded none = Load(kMinimal, {{"request", R"({"max_tokens":3})"}});
  ASSERT_FALSE(none.scenario.ok());
  EXPECT_NE(none.errors[0].find("request: needs one of messages, dataset or synthetic"),
            std::string::npos);
  Loaded format = Load(kMinimal, {{"request", R"({"dataset":{"path":"a","format":"csv"}})"}});
  ASSERT_FALSE(format.scenario.ok());
  EXPECT_NE(format.errors[0].find("request/dataset/format"), std::string::npos) << format.errors[0];
  Loaded dist =
      Load(kMinimal,
           {{"request", R"({"synthetic":{"prompt_tokens":{"dist":"uniform","min":9,"max":3}}})"}});
  ASSERT_FALSE(dist.scenario.ok());
  EXPECT_NE(dist.errors[0].find("request/synthetic/prompt_tokens: min: greater than max"),
            std::string::npos)
      << dist.errors[0];
}

TEST(Loader, EveryShippedScenarioIsValid) {
  for (const char* name :
       {"smoke", "conformance-phala", "conformance-near", "conformance-ionet", "retention",
        "restart", "load-ramp", "soak", "calibrate-http", "load-dataset", "sweep"}) {
    LoadErrors errors;
    const std::string path = testing::SourceDir() + "/scenarios/" + name + ".json";
    EXPECT_TRUE(LoadScenario(path, {}, &errors).ok())
        << path << ": " << (errors.messages.empty() ? "" : errors.messages[0]);
  }
}

TEST(Segment, SharesUsersIterationsAndRates) {
  Scenario s;
  PhaseSpec closed;
  closed.concurrency = 10;
  closed.iterations = 11;
  PhaseSpec open;
  open.stages = {{30, 90, std::chrono::seconds(10)}};
  s.phases = {closed, open};
  uint64_t iterations = 0;
  unsigned users = 0;
  for (unsigned i = 1; i <= 3; ++i) {
    Scenario part = s;
    ApplySegment(part, i, 3);
    iterations += *part.phases[0].iterations;
    users += part.phases[0].concurrency;
    EXPECT_DOUBLE_EQ(part.phases[1].stages[0].from, 10);
    EXPECT_DOUBLE_EQ(part.phases[1].stages[0].to, 30);
  }
  EXPECT_EQ(iterations, 11u);
  EXPECT_EQ(users, 10u);
}

TEST(Duration, ParseAndFormat) {
  EXPECT_EQ(*ParseDurationText("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(*ParseDurationText("1.5s"), std::chrono::milliseconds(1500));
  EXPECT_EQ(*ParseDurationText("2m"), std::chrono::minutes(2));
  EXPECT_EQ(*ParseDurationText("90"), std::chrono::seconds(90));
  EXPECT_FALSE(ParseDurationText("-1s").ok());
  EXPECT_FALSE(ParseDurationText("5 days").ok());
  EXPECT_FALSE(ParseDurationText("").ok());
  EXPECT_EQ(FormatDuration(std::chrono::seconds(300)), "5m");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(250)), "250ms");
}

}  // namespace
}  // namespace teeharness::scenario

namespace teeharness::scenario {
namespace {

// Found by scenario_fuzz: a key that is not UTF-8 made RapidJSON's pointer stringification read
// past the key (heap overflow); deep nesting overflowed the recursive parser and validator.
TEST(LoaderHostileInput, RejectsInvalidUtf8AndDeepNestingWithPositions) {
  LoadErrors errors;
  EXPECT_FALSE(
      LoadScenarioText("{\"name\": \"x\", \"ph\xC3ses\": []}", "bad.json", {}, &errors, false)
          .ok());
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0].rfind("bad.json:1:", 0), 0u) << errors.messages[0];
  EXPECT_NE(errors.messages[0].find("encoding"), std::string::npos) << errors.messages[0];
  LoadErrors deep;
  EXPECT_FALSE(
      LoadScenarioText("{\n\"phases\": " + std::string(100000, '['), "deep.json", {}, &deep, false)
          .ok());
  ASSERT_EQ(deep.messages.size(), 1u);
  EXPECT_EQ(deep.messages[0], "deep.json:2:74: nested deeper than 64 levels");
}

// A number beyond the integer range where an enum is validated: undefined behaviour inside
// RapidJSON's schema validator, found by the scenario fuzzer (kept in its corpus).
TEST(LoaderHostileInput, RejectsNumbersBeyondTheIntegerRangeByPosition) {
  LoadErrors errors;
  EXPECT_FALSE(LoadScenarioText("{\"name\": \"x\",\n \"target\": {\"dialect\": 5" +
                                    std::string(93, '5') + "}, \"phases\": []}",
                                "huge.json", {}, &errors, false)
                   .ok());
  ASSERT_EQ(errors.messages.size(), 1u);
  EXPECT_EQ(errors.messages[0], "huge.json:2:13: target/dialect: number out of range");
  LoadErrors negative;
  EXPECT_FALSE(
      LoadScenarioText("{\"name\": -1e300, \"phases\": []}", "neg.json", {}, &negative, false)
          .ok());
  ASSERT_EQ(negative.messages.size(), 1u);
  EXPECT_NE(negative.messages[0].find("name: number out of range"), std::string::npos);
}

}  // namespace
}  // namespace teeharness::scenario
