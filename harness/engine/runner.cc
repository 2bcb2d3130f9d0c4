#include "harness/engine/runner.h"

#include <curl/curl.h>
#include <openssl/rand.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

#include "harness/base/duration_parse.h"
#include "harness/base/secrets.h"
#include "harness/crypto/hex.h"
#include "harness/engine/flows/flows.h"
#include "harness/engine/hardware/quote_trust_setup.h"
#include "harness/engine/load/abort_rules.h"
#include "harness/engine/load/sweep_steps.h"
#include "harness/engine/load/thresholds.h"
#include "harness/engine/load/workload.h"
#include "harness/engine/loop/descriptor_limit.h"
#include "harness/engine/mock_child.h"
#include "harness/engine/timeline_sampler.h"
#include "harness/protocol/attestation_response.h"
#include "harness/protocol/chat.h"
#include "harness/protocol/json_body.h"
#include "harness/scenario/request_sources.h"

namespace teeharness::engine {
namespace {

constexpr const char* kToolVersion = "0.1.0";
constexpr const char* kMockModel = "mock/llama-3.1-8b-instruct";
constexpr size_t kMaxEvidence = 5;
// What in-flight requests get to finish when a run is interrupted (and, at most, when aborted).
constexpr std::chrono::milliseconds kGrace = std::chrono::seconds(5);

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buffer;
}

bool HasFlag(const std::vector<std::string>& args, const std::string& flag) {
  for (const std::string& arg : args) {
    if (arg == flag) return true;
  }
  return false;
}

// The mock's flags: the scenario's mock section, with the target's dialect and model by default.
std::vector<std::string> MockArguments(const scenario::Scenario& s) {
  std::vector<std::string> args = s.mock_args;
  if (!HasFlag(args, "--dialect")) {
    args.insert(args.end(), {"--dialect", std::string(protocol::DialectName(s.target.dialect))});
  }
  if (!HasFlag(args, "--model")) args.insert(args.end(), {"--model", s.target.model});
  return args;
}

// One blocking request on worker 0 (start-up lookups such as io.net's model list).
HttpResult BlockingRequest(Workers& workers, const RunConfig& config, protocol::HttpCall call,
                           const TransportOptions* transport = nullptr) {
  std::promise<HttpResult> promise;
  std::future<HttpResult> future = promise.get_future();
  workers.loop(0).Post([&] {
    auto exchange = std::make_unique<HttpExchange>();
    if (!config.auth_header.empty()) call.headers.push_back(config.auth_header);
    exchange->call = call;
    exchange->options = transport != nullptr ? transport : &config.transport;
    exchange->on_done = [&promise](HttpResult& r) { promise.set_value(std::move(r)); };
    workers.loop(0).Send(std::move(exchange));
  });
  return future.get();
}

// io.net addresses models by UUID: find the one named target.model (or the first attested one).
Result<std::string> ResolveIonetModel(Workers& workers, const RunConfig& config) {
  HttpResult r = BlockingRequest(workers, config, config.endpoints.Models());
  if (!r.ok() || r.status != 200) {
    return MakeError(
        "GET /v1/models failed (",
        r.ok() ? "HTTP " + std::to_string(r.status) : std::string(TransportErrorName(r.error)),
        ")");
  }
  rapidjson::Document doc;
  if (!protocol::ParseJsonObject(r.body, "GET /v1/models", doc).ok() || !doc.HasMember("data") ||
      !doc["data"].IsArray()) {
    return Error{"GET /v1/models: no data[] array"};
  }
  for (const auto& model : doc["data"].GetArray()) {
    if (!model.IsObject() || !model.HasMember("model_id") || !model["model_id"].IsString())
      continue;
    const bool named = model.HasMember("name") && model["name"].IsString() &&
                       config.model == model["name"].GetString();
    if (named || config.model.empty()) return std::string(model["model_id"].GetString());
  }
  return MakeError("GET /v1/models: no model named \"", config.model, "\"");
}

reports::LatencySummary Summarize(const reports::LatencyHistogram& h) {
  return {h.count(),        h.mean_seconds(), h.Quantile(0.5), h.Quantile(0.9),
          h.Quantile(0.95), h.Quantile(0.99), h.max_seconds()};
}

WorkloadSpec SpecFor(const scenario::PhaseSpec& phase, uint64_t seed) {
  WorkloadSpec spec;
  spec.seed = seed;
  if (phase.flow == "retention_probe") {
    spec.concurrency = phase.samples;
    spec.iterations = phase.samples;
  } else if (phase.flow == "negative") {
    spec.concurrency = 1;
    spec.iterations = phase.iterations.value_or(1);
  } else if (phase.open()) {
    spec.kind = WorkloadSpec::Kind::kOpen;
    for (const scenario::RateStageSpec& s : phase.stages) {
      spec.stages.push_back({s.from, s.to, std::chrono::duration<double>(s.over).count()});
    }
    spec.poisson = phase.poisson;
    spec.max_in_flight = phase.max_in_flight;
  } else {
    spec.concurrency = phase.concurrency;
    spec.iterations = phase.iterations;
    if (phase.duration)
      spec.duration = std::chrono::duration_cast<Clock::duration>(*phase.duration);
  }
  return spec;
}

// Prints a progress line every second on a TTY (rewritten in place) or every 10 s otherwise.
class Progress {
 public:
  Progress(const LiveCounters& live, const checks::Recorder& recorder, bool tty)
      : live_(live), recorder_(recorder), tty_(tty), thread_([this] { Loop(); }) {}
  ~Progress() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
    if (tty_) std::fputs("\n", stderr);
  }
  void SetPhase(const std::string& phase) {
    std::lock_guard lock(mutex_);
    phase_ = phase;
  }

 private:
  void Loop() {
    const auto start = Clock::now();
    uint64_t last_requests = 0;
    auto last = start;
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, std::chrono::seconds(tty_ ? 1 : 10), [this] { return stop_; })) {
      const auto now = Clock::now();
      const uint64_t requests = live_.requests.load();
      const double rate =
          (requests - last_requests) / std::chrono::duration<double>(now - last).count();
      std::fprintf(
          stderr,
          "%s[%6.1fs] phase %-16s %8llu req %8.1f req/s %6llu errors %6llu check failures%s",
          tty_ ? "\r" : "", std::chrono::duration<double>(now - start).count(), phase_.c_str(),
          static_cast<unsigned long long>(requests), rate,
          static_cast<unsigned long long>(live_.errors.load()),
          static_cast<unsigned long long>(recorder_.TotalFailures()), tty_ ? "" : "\n");
      std::fflush(stderr);
      last_requests = requests;
      last = now;
    }
  }

  const LiveCounters& live_;
  const checks::Recorder& recorder_;
  bool tty_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::string phase_;
  std::thread thread_;
};

// Waits up to `duration`, returning early on interrupt.
void InterruptibleSleep(Clock::duration duration, const std::atomic<bool>& interrupt) {
  const auto until = Clock::now() + duration;
  while (!interrupt.load() && Clock::now() < until) {
    std::this_thread::sleep_for(
        std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(20)));
  }
}

// Counts every check outcome into teeharness_checks_total. Thread-safe (a mutex around the series
// lookup; the Recorder already serialises outcomes).
class MetricsOutcomeSink : public checks::OutcomeSink {
 public:
  MetricsOutcomeSink(const reports::RunMetrics& metrics, std::string scenario)
      : metrics_(metrics), scenario_(std::move(scenario)) {}
  void OnOutcome(std::string_view phase, const checks::Outcome& outcome) override {
    std::lock_guard lock(mutex_);
    // result="pass" | "fail" | "skipped" (a check that could not run).
    const std::string result = outcome.skipped ? "skipped" : std::string(outcome.result());
    auto key = std::make_tuple(std::string(phase), std::string(outcome.id), result);
    auto [it, inserted] = series_.try_emplace(key, nullptr);
    if (inserted) {
      it->second = metrics_.checks->Counter(
          {scenario_, std::string(phase), std::string(outcome.id), result});
    }
    it->second->Add();
  }

 private:
  const reports::RunMetrics& metrics_;
  std::string scenario_;
  std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, std::string>, reports::CounterSeries*> series_;
};

struct Runner {
  Runner(const RunOptions& o, const std::atomic<bool>& stop, reports::RunResult& r,
         scenario::Scenario s)
      : options(o), interrupt(stop), result(r), scenario(std::move(s)) {}

  const RunOptions& options;
  const std::atomic<bool>& interrupt;
  reports::RunResult& result;
  scenario::Scenario scenario;
  RunConfig config;
  std::unique_ptr<workload::RequestSource> requests;
  // One per worker, for the whole run: a sequential dataset continues where the last phase ended.
  std::vector<std::unique_ptr<workload::BodyCursor>> body_cursors;
  std::unique_ptr<MockChild> mock;
  std::unique_ptr<AttestationState> attestation;
  std::unique_ptr<QuoteTrust> quote_trust;
  std::vector<std::unique_ptr<QuoteTrust>> retired_trust;
  checks::Recorder recorder{kMaxEvidence};
  LiveCounters live;
  std::vector<PhaseMeasurements> measured;

  // The signing address families: changes since the last update, and the current address as the
  // only series of teeharness_signing_address_info with value 1.
  void UpdateAddressMetrics() {
    const uint64_t changes = attestation->address_changes();
    config.metrics->address_changes->Counter({scenario.name})->Add(changes - reported_changes);
    reported_changes = changes;
    const std::string current = attestation->Current().address;
    if (current.empty() || current == reported_address) return;
    if (!reported_address.empty()) {
      config.metrics->address_info->Gauge({scenario.name, reported_address})->Set(0);
    }
    config.metrics->address_info->Gauge({scenario.name, current})->Set(1);
    reported_address = current;
  }
  uint64_t reported_changes = 0;
  std::string reported_address;

  // The attested signing addresses for the reports: each in the phase it was seen in.
  std::vector<reports::AddressSighting> SigningAddresses() const {
    std::vector<reports::AddressSighting> out;
    if (!attestation) return out;
    for (const AttestationState::Sighting& s : attestation->Sightings()) {
      std::string phase;
      for (const auto& [began, name] : phase_starts) {
        if (began <= s.at) phase = name;
      }
      out.push_back({s.address, s.epoch, phase,
                     std::max(0.0, std::chrono::duration<double>(s.at - run_start).count())});
    }
    return out;
  }
  Clock::time_point run_start;
  std::vector<std::pair<Clock::time_point, std::string>> phase_starts;

  Result<bool> Prepare() {
    if (Result<uint64_t> room = EnsureDescriptorsFor(PeakConnectionsOf(scenario)); !room.ok()) {
      return Error{room.error()};
    }
    config.transport.connect_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(scenario.target.connect_timeout);
    config.transport.total_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(scenario.target.request_timeout);
    config.transport.max_response_bytes = scenario.target.max_response_bytes;
    // Bytes past max_response_bytes are still hashed (SIG-TEXT covers them), up to 16 times as
    // many; a server that sends more is attacking, and the transfer is aborted (too_large).
    config.transport.hard_limit_bytes = 16 * scenario.target.max_response_bytes;
    config.transport.http2 = scenario.target.http2;
    config.transport.native_http1 = scenario.target.native_http1;
    config.transport.insecure_tls = scenario.target.insecure_tls;
    config.transport.ca_file = scenario.target.ca_file;
    if (!scenario.target.api_key_env.empty()) {
      const char* key = std::getenv(scenario.target.api_key_env.c_str());
      if (key == nullptr || *key == '\0') {
        return MakeError("target.api_key_env: environment variable ", scenario.target.api_key_env,
                         " is not set");
      }
      RegisterSecret(key);
      config.auth_header = std::string("Authorization: Bearer ") + key;
    }
    if (scenario.target.base_url.empty() && scenario.target.model.empty()) {
      scenario.target.model = kMockModel;
    }
    config.model = scenario.target.model;
    config.signing_algo = scenario.target.signing_algo;
    config.expect = scenario.expect;
    config.stream = scenario.request.stream;
    if (Result<bool> opened = OpenRequests(); !opened.ok()) return opened;
    attestation = std::make_unique<AttestationState>(scenario.expect.address);
    return true;
  }

  // The scenario's request source: every body it will send is checked (a dataset read through)
  // before anything is sent.
  Result<bool> OpenRequests() {
    Result<std::unique_ptr<workload::RequestSource>> source =
        scenario::OpenScenarioRequests(scenario, config.model);
    if (!source.ok()) return Error{source.error()};
    requests = std::move(source).value();
    requests->Partition(options.segment_index - 1, options.segment_count);
    Result<workload::BodyRef> first = requests->Body(0);
    if (!first.ok()) return Error{first.error()};
    config.chat_body = first->get().bytes;
    config.requests = requests.get();
    return true;
  }

  Result<bool> StartTarget(Workers& workers) {
    std::string base = scenario.target.base_url;
    result.builtin_mock = base.empty();
    if (base.empty()) {
      mock = std::make_unique<MockChild>(MockArguments(scenario));
      if (Result<bool> started = mock->Start(); !started.ok()) {
        return MakeError("built-in mock: ", started.error());
      }
      base = mock->base_url();
    }
    result.target_url = base;
    config.endpoints = protocol::Endpoints(scenario.target.dialect, base);
    if (scenario.target.dialect == protocol::Dialect::kIonet) {
      const auto start = Clock::now();
      Result<std::string> id = ResolveIonetModel(workers, config);
      if (!id.ok()) {
        // Something was sent and the target failed it: not a usage error but a run that ended
        // before its first phase, reported like an abort (a dead or hung endpoint gets a report).
        result.aborted = true;
        result.abort = {"",
                        "start_up",
                        "io.net model lookup (GET /v1/models)",
                        0,
                        std::chrono::duration<double>(Clock::now() - start).count(),
                        id.error(),
                        0};
        return Error{id.error()};
      }
      config.ionet_model_id = *id;
    }
    return true;
  }

  // The built-in mock's PKI, root, collateral and reference measurements, over HTTP.
  BuiltinMockPki FetchMockPki(Workers& workers) {
    auto fetch = [&](const std::string& path) -> Result<std::string> {
      HttpResult r = BlockingRequest(workers, config, {"GET", mock->base_url() + path, {}, {}});
      if (!r.ok()) return MakeError("GET ", path, ": ", TransportErrorName(r.error));
      if (r.status != 200) return MakeError("GET ", path, ": HTTP ", r.status);
      return r.body;
    };
    BuiltinMockPki pki;
    pki.base_url = mock->base_url();
    pki.root_pem = fetch("/mock/pki/root.pem");
    pki.reference_json = fetch("/mock/pki/reference.json");
    pki.nvidia_root_pem = fetch("/mock/pki/nvidia-root.pem");
    pki.rim_root_pem = fetch("/mock/pki/nvidia-rim-root.pem");
    pki.driver_rim = fetch("/mock/pki/rims/driver.swidtag");
    pki.vbios_rim = fetch("/mock/pki/rims/vbios.swidtag");
    return pki;
  }

  // What each report's quote is verified against; again after the built-in mock restarts (a new
  // process, a new PKI).
  Result<bool> SetUpQuoteTrust(Workers& workers) {
    std::optional<BuiltinMockPki> pki;
    if (mock && scenario.attestation.verify) pki = FetchMockPki(workers);
    Result<QuoteTrust::Settings> settings =
        MakeQuoteTrustSettings(scenario, pki ? &*pki : nullptr, UnixSecondsNow());
    if (!settings.ok()) return Error{settings.error()};
    // The previous trust (if any) keeps its counts in the run's summary.
    if (quote_trust) retired_trust.push_back(std::move(quote_trust));
    quote_trust = std::make_unique<QuoteTrust>(std::move(settings).value());
    config.quote_trust = quote_trust.get();
    if (quote_trust->verify() && quote_trust->fetches_collateral()) PrefetchCollateral(workers);
    return true;
  }

  // One attestation outside every phase (not measured, not checked) tells the target's platform,
  // whose collateral is then fetched before the first phase: no worker waits for the PCS, and the
  // first reports are not verified without collateral. The whole pre-flight is bounded
  // (kPreflight): a hung target or an unreachable PCS must not delay the run and its abort rules.
  // When it does not finish in time, the first report of the run starts (or finds) the fetch,
  // and until it completes QUOTE-TCB is skipped, saying so.
  void PrefetchCollateral(Workers& workers) {
    constexpr std::chrono::milliseconds kPreflight(4000);
    const auto deadline = Clock::now() + kPreflight;
    TransportOptions transport = config.transport;
    transport.total_timeout = std::min(transport.total_timeout, kPreflight);
    transport.connect_timeout = std::min(transport.connect_timeout, kPreflight);
    crypto::Bytes nonce(32);
    RAND_bytes(nonce.data(), static_cast<int>(nonce.size()));
    const std::string algo =
        scenario.target.dialect == protocol::Dialect::kIonet ? "" : config.signing_algo;
    HttpResult r = BlockingRequest(
        workers, config, AttestationCall(config, crypto::EncodeHex(nonce), algo), &transport);
    if (!r.ok() || r.status != 200) return;
    Result<protocol::AttestationResponse> response =
        protocol::ParseAttestationResponse(scenario.target.dialect, r.body);
    if (!response.ok()) return;
    for (const protocol::AttestationEntry& entry : response->entries) {
      if (!entry.report.quote.empty()) {
        quote_trust->Prefetch(entry.report.quote, UnixSecondsNow(), deadline);
      }
    }
  }

  reports::IdentitySummary IdentitySummary() const {
    reports::IdentitySummary out;
    if (!attestation) return out;
    const AttestationState::Identity current = attestation->Current();
    out.signing_address = current.address;
    out.gateway_address = current.gateway_address;
    out.model_addresses = current.model_addresses;
    out.epoch = current.epoch;
    return out;
  }

  // The hardware summary over every trust the run used (one per mock start).
  reports::AttestationSummary AttestationSummary() const {
    if (!quote_trust) return {};
    reports::AttestationSummary total = quote_trust->Summary();
    for (const auto& old : retired_trust) MergeAttestationSummary(old->Summary(), total);
    return total;
  }

  void RunAction(Workers& workers, const scenario::PhaseSpec& phase, reports::PhaseResult& out) {
    const auto start = Clock::now();
    if (phase.action == "sleep") {
      InterruptibleSleep(std::chrono::duration_cast<Clock::duration>(phase.sleep), interrupt);
    } else if (mock) {
      // The built-in mock is really restarted: a new process, new ephemeral keys (unless a key
      // file keeps them), a new port.
      if (Result<bool> restarted = mock->Restart(); !restarted.ok()) {
        ++out.errors["restart_failed"];
        std::fprintf(stderr, "teeharness run: restart of the built-in mock failed: %s\n",
                     restarted.error().c_str());
      } else {
        config.endpoints = protocol::Endpoints(scenario.target.dialect, mock->base_url());
        result.target_url = mock->base_url();
        if (Result<bool> trusted = SetUpQuoteTrust(workers); !trusted.ok()) {
          ++out.errors["restart_failed"];
          std::fprintf(stderr, "teeharness run: after the restart: %s\n", trusted.error().c_str());
        }
      }
      attestation->OnRestart();
    } else if (!phase.command.empty()) {
      if (Result<bool> ran = RunShellCommand(phase.command, std::chrono::minutes(10)); !ran.ok()) {
        ++out.errors["restart_failed"];
        std::fprintf(stderr, "teeharness run: phase %s: %s\n", phase.name.c_str(),
                     ran.error().c_str());
      }
      attestation->OnRestart();
    } else {
      // Without a command the restart happens outside the harness (an operator, a rollout): the
      // next phase must re-attest.
      attestation->OnRestart();
    }
    out.duration_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  }

  void RunFlow(Workers& workers, const scenario::PhaseSpec& phase, size_t index,
               reports::PhaseResult& out) {
    std::vector<FlowEnv> envs(workers.size());
    std::vector<std::unique_ptr<SeriesCache>> series;
    for (unsigned w = 0; w < workers.size(); ++w) {
      series.push_back(std::make_unique<SeriesCache>(config, phase.name));
      envs[w] =
          FlowEnv{&workers.loop(w),    w, &config, attestation.get(), &recorder, &live, &phase,
                  series.back().get(), 0};
      envs[w].bodies = body_cursors[w].get();
    }
    WorkloadSpec spec = SpecFor(phase, 1000 + index);
    const reports::Labels labels = {scenario.name, phase.name};
    reports::HistogramSeries* lag = config.metrics->schedule_lag->Histogram(labels);
    spec.on_lag = [lag](double seconds) { lag->Observe(seconds); };
    spec.on_drop = [this] { live.dropped.fetch_add(1, std::memory_order_relaxed); };
    reports::GaugeSeries* in_flight = config.metrics->in_flight->Gauge(labels);
    config.metrics->target_rate->Gauge(labels)->Set(0);
    // Exposed at 0 from the start: no retries is a value, not an absent series.
    config.metrics->signature_retries->Counter(labels);
    if (spec.kind == WorkloadSpec::Kind::kOpen) {
      double seconds = 0, arrivals = 0;
      for (const RateStage& s : spec.stages) {
        seconds += s.seconds;
        arrivals += (s.from + s.to) / 2 * s.seconds;
      }
      config.metrics->target_rate->Gauge(labels)->Set(seconds > 0 ? arrivals / seconds : 0);
    }
    // The abort rules (README "Abort rules"), watched from the first iteration on. When one trips,
    // sending stops and in-flight requests get the usual 5 s, or request_timeout when that is
    // shorter (every request in flight at the trip has ended by then on its own, so waiting longer
    // only waits on the steps an iteration would take next), before they are cut.
    const std::chrono::milliseconds abort_grace =
        std::min<std::chrono::milliseconds>(kGrace, config.transport.total_timeout);
    std::atomic<bool> abort{false};
    if (phase.abort.any()) {
      for (const char* kind : {"threshold", "consecutive_failures", "no_success_for"}) {
        config.metrics->aborts->Counter({scenario.name, phase.name, kind});  // exposed at 0
      }
    }
    live.StartPhase();
    // Only verified_chat iterations are judged against an SLO (flows.cc JudgeSlo).
    const bool has_slo = phase.slo.any() && phase.flow == "verified_chat";
    const auto phase_start = Clock::now();
    AbortWatch watch(
        phase.abort, live,
        [&] {
          // The phase so far: per-second figures (tokens/s, goodput) over its time until now.
          PhaseMeasurements so_far = ReadPhase(*config.metrics, scenario.name, phase.name);
          so_far.seconds = std::chrono::duration<double>(Clock::now() - phase_start).count();
          so_far.has_slo = has_slo;
          return so_far;
        },
        interrupt, abort,
        [&](const AbortTrip& trip) {
          config.metrics->aborts->Counter({scenario.name, phase.name, trip.kind})->Add();
          std::fprintf(stderr,
                       "teeharness run: ABORTING in phase %s after %.1fs: %s (%s); no new "
                       "requests, in-flight ones get %.1fs before they are cut\n",
                       phase.name.c_str(), trip.at_seconds, trip.reason.c_str(),
                       trip.condition.c_str(), abort_grace.count() / 1000.0);
        });
    // The timeline reads the same registry every step, on its own thread.
    TimelineSampler timeline(options.timeline_step, kMaxTimelineSamples, spec.stages, live,
                             [&] { return ReadPhase(*config.metrics, scenario.name, phase.name); });
    // The in-flight gauge follows the live counter while the phase runs.
    std::atomic<bool> phase_done{false};
    std::thread gauge([&] {
      while (!phase_done.load()) {
        in_flight->Set(static_cast<double>(live.in_flight.load()));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      in_flight->Set(0);
    });
    WorkloadResult load = RunWorkload(
        workers, spec,
        [&envs](unsigned w, Clock::time_point intended, std::function<void()> done) {
          StartIteration(envs[w], intended, std::move(done));
        },
        interrupt, kGrace, &abort, abort_grace);
    const std::optional<AbortTrip> trip = watch.Finish();
    reports::BoundedTimeline samples = timeline.Finish();
    out.timeline_step_seconds = samples.step_seconds();
    out.timeline = samples.Take();
    phase_done = true;
    gauge.join();
    config.metrics->dropped->Counter(labels)->Add(load.dropped);
    config.metrics->arrivals->Counter(labels)->Add(load.scheduled);
    UpdateAddressMetrics();
    // Everything below is read back from the registry: the report, the thresholds and a scrape
    // show the same numbers.
    PhaseMeasurements m = ReadPhase(*config.metrics, scenario.name, phase.name);
    out.duration_seconds = load.seconds;
    out.requests = m.requests;
    out.iterations = load.completed;
    out.dropped = m.dropped;
    out.arrivals = m.arrivals;
    out.succeeded = m.succeeded();
    for (const auto& [outcome, count] : m.outcomes) {
      if (outcome != "succeeded") out.failed[outcome] = count;
    }
    out.target_rate = load.target_rate;
    out.achieved_rate = load.seconds > 0 ? load.started / load.seconds : 0;
    out.interrupted = load.interrupted;
    out.aborted = trip.has_value();
    if (trip) {
      result.aborted = true;
      result.abort = {phase.name,
                      trip->kind,
                      trip->condition,
                      trip->observed,
                      trip->at_seconds,
                      trip->reason,
                      abort_grace.count() / 1000.0};
    }
    for (const auto& [op, histogram] : m.latency) out.latency[op] = Summarize(histogram);
    out.errors = m.errors;
    out.retries = m.retries;
    m.seconds = load.seconds;
    m.has_slo = has_slo;
    out.tokens = {m.prompt_tokens, m.completion_tokens, m.estimated_tokens};
    out.output_tokens_per_second = load.seconds > 0 ? m.completion_tokens / load.seconds : 0;
    if (m.has_slo) {
      auto seconds = [](const std::optional<scenario::Duration>& d) {
        return d ? std::chrono::duration<double>(*d).count() : -1.0;
      };
      out.slo = {true,
                 seconds(phase.slo.ttft),
                 seconds(phase.slo.tpot),
                 seconds(phase.slo.e2e),
                 m.slo_met_verified,
                 m.slo_met_unverified,
                 m.slo_missed};
      const uint64_t met = m.slo_met_verified + m.slo_met_unverified;
      out.goodput = load.seconds > 0 ? met / load.seconds : 0;
      out.verified_goodput = load.seconds > 0 ? m.slo_met_verified / load.seconds : 0;
    }
    for (auto& [id, tally] : recorder.PhaseTallies(phase.name)) {
      out.checks.push_back({id, tally.passed, tally.failed, std::move(tally.evidence),
                            tally.skipped, std::move(tally.skip_reason)});
    }
    // A phase in which no iteration succeeded proves nothing: it fails the run, visibly (an
    // aborted phase says why already).
    if (load.started > 0 && m.succeeded() == 0 && !load.interrupted && !trip) {
      result.thresholds.push_back(
          {"iterations{phase:" + phase.name + "}", "succeeded>0", 0, true, false});
    }
    measured.push_back(std::move(m));
  }

  // After a sweep's step: its row, whether stop_when ends the sweep here, and the capacity so far.
  void RecordSweepStep(const scenario::PhaseSpec& phase, const reports::PhaseResult& out) {
    const scenario::SweepStep& step = *phase.sweep;
    if (result.sweeps.empty() || result.sweeps.back().name != step.sweep) {
      reports::SweepResult sweep;
      sweep.name = step.sweep;
      sweep.over = step.over_rate ? "rate" : "concurrency";
      sweep.planned_steps = step.count;
      result.sweeps.push_back(std::move(sweep));
    }
    reports::SweepResult& sweep = result.sweeps.back();
    const double offered =
        step.over_rate && !phase.stages.empty() ? phase.stages.front().from : phase.concurrency;
    reports::SweepStepResult row = StepRow(out, step, offered);
    row.stop_reason = StopWhenHolds(step.stop_when, measured.back());
    row.stopped = !row.stop_reason.empty();
    if (row.stopped) {
      sweep.stopped_at = step.index;
      stopped_sweeps.insert(step.sweep);
      if (step.index < step.count) {
        std::fprintf(stderr, "teeharness run: sweep %s stops after step %zu of %zu: %s\n",
                     step.sweep.c_str(), step.index, step.count, row.stop_reason.c_str());
      }
    }
    const std::string step_label = std::to_string(step.index);
    if (row.has_slo) {
      config.metrics->sweep_step_goodput->Gauge({scenario.name, step.sweep, step_label, "all"})
          ->Set(row.goodput);
      config.metrics->sweep_step_goodput->Gauge({scenario.name, step.sweep, step_label, "verified"})
          ->Set(row.verified_goodput);
    }
    sweep.steps.push_back(std::move(row));
    DecideCapacity(sweep);
    if (sweep.capacity) {
      config.metrics->sweep_capacity->Gauge({scenario.name, step.sweep})
          ->Set(sweep.steps[*sweep.capacity].offered);
    }
  }
  std::set<std::string>
      stopped_sweeps;  // sweeps whose stop_when held: their next steps are skipped

  int Run() {
    Workers workers(options.workers ? options.workers
                                    : std::max(1u, std::thread::hardware_concurrency()));
    for (unsigned w = 0; w < workers.size(); ++w) {
      body_cursors.push_back(std::make_unique<workload::BodyCursor>(requests.get()));
    }
    const auto setup = Clock::now();
    if (Result<bool> started = StartTarget(workers); !started.ok()) {
      std::fprintf(stderr, "teeharness run: %s%s\n",
                   result.aborted ? "ABORTED before the first phase: " : "",
                   started.error().c_str());
      result.duration_seconds = std::chrono::duration<double>(Clock::now() - setup).count();
      return result.aborted ? 0 : 2;  // aborted: reported, exit 1; otherwise nothing was sent
    }
    if (Result<bool> trusted = SetUpQuoteTrust(workers); !trusted.ok()) {
      std::fprintf(stderr, "teeharness run: %s\n", trusted.error().c_str());
      return 2;
    }
    const auto start = Clock::now();
    run_start = start;
    {
      std::unique_ptr<Progress> progress;
      if (!options.quiet)
        progress = std::make_unique<Progress>(live, recorder, options.progress_tty);
      for (size_t i = 0; i < scenario.phases.size() && !interrupt.load() && !result.aborted; ++i) {
        const scenario::PhaseSpec& phase = scenario.phases[i];
        if (phase.sweep && stopped_sweeps.count(phase.sweep->sweep)) continue;
        if (progress) progress->SetPhase(phase.name);
        phase_starts.emplace_back(Clock::now(), phase.name);
        reports::PhaseResult out;
        out.name = phase.name;
        out.kind = phase.flow.empty() ? phase.action : phase.flow;
        if (phase.action.empty()) {
          RunFlow(workers, phase, i, out);
          if (phase.sweep) RecordSweepStep(phase, out);
        } else {
          RunAction(workers, phase, out);
        }
        result.phases.push_back(std::move(out));
      }
    }
    result.duration_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    result.interrupted = interrupt.load();
    return 0;
  }
};

}  // namespace

int ExecuteRun(const RunOptions& options, const std::atomic<bool>& interrupt,
               const reports::RunMetrics& metrics, reports::RunResult* result) {
  result->tool_version = kToolVersion;
  result->libcurl_version = curl_version_info(CURLVERSION_NOW)->version;
  result->started_at = UtcNow();
  scenario::LoadErrors errors;
  Result<scenario::Scenario> loaded =
      scenario::LoadScenario(options.scenario_path, options.overrides, &errors);
  if (!loaded.ok()) {
    for (const std::string& message : errors.messages)
      std::fprintf(stderr, "%s\n", message.c_str());
    return 2;
  }
  Runner runner(options, interrupt, *result, std::move(loaded).value());
  runner.config.metrics = &metrics;
  runner.config.scenario_name = runner.scenario.name;
  runner.config.request_log = options.request_log;
  MetricsOutcomeSink sink(metrics, runner.scenario.name);
  runner.recorder.set_sink(&sink);
  scenario::ApplySegment(runner.scenario, options.segment_index, options.segment_count);
  result->scenario_name = runner.scenario.name;
  result->scenario_sha256 = runner.scenario.sha256;
  result->dialect = std::string(protocol::DialectName(runner.scenario.target.dialect));
  if (Result<bool> prepared = runner.Prepare(); !prepared.ok()) {
    std::fprintf(stderr, "teeharness run: %s\n", prepared.error().c_str());
    return 2;
  }
  result->model = runner.config.model;
  if (const int code = runner.Run(); code != 0) return code;
  result->checks = reports::MergeCheckTallies(result->phases, kMaxEvidence);
  result->attestation = runner.AttestationSummary();
  result->identity = runner.IdentitySummary();
  result->signing_addresses = runner.SigningAddresses();
  result->signing_address_changes = runner.attestation->address_changes();
  std::vector<reports::ThresholdResult> thresholds =
      EvaluateThresholds(runner.scenario.thresholds, runner.measured);
  result->thresholds.insert(result->thresholds.begin(), thresholds.begin(), thresholds.end());
  bool passed = result->check_failures() == 0 && !result->interrupted && !result->aborted;
  for (const reports::ThresholdResult& t : result->thresholds) passed = passed && t.passed;
  for (const reports::PhaseResult& p : result->phases)
    passed = passed && !p.errors.count("restart_failed");
  result->exit_code = passed ? 0 : 1;
  return result->exit_code;
}

}  // namespace teeharness::engine
