// `teeharness run SCENARIO.json ...`: drive a scenario against a target (or the built-in mock),
// check every response, and report. See DESIGN.md "Command line".
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <thread>

#include "harness/base/duration_parse.h"
#include "harness/base/flags.h"
#include "harness/cli/commands.h"
#include "harness/engine/runner.h"
#include "reports/html/html_report.h"
#include "reports/json_report.h"
#include "reports/junit_report.h"
#include "reports/metrics_server.h"
#include "reports/pushgateway.h"
#include "reports/request_log/request_log.h"
#include "reports/run_metrics.h"
#include "reports/terminal_report.h"

namespace teeharness::cli {
namespace {

constexpr const char* kRunUsage =
    "usage: teeharness run SCENARIO.json [--target URL] [--set key.path=value]... [--workers N]\n"
    "                      [--report-json FILE] [--junit FILE] [--segment I/N] [--quiet]\n"
    "                      [--metrics-listen HOST:PORT] [--linger DURATION] [--pushgateway URL]\n"
    "                      [--collateral FILE] [--report-html FILE] [--timeline-step DURATION]\n"
    "                      [--requests-out FILE.jsonl]\n"
    "\n"
    "Without a target (in the scenario or --target) the built-in mock is started.\n"
    "--collateral (attestation.collateral) is the QuoteCollateralV3 JSON every report's quote is\n"
    "verified with.\n"
    "--report-html writes the report as one self-contained page (the same page `teeharness report\n"
    "RUN.json --html FILE` renders); --timeline-step (default 1s) is each phase's sampling step.\n"
    "--requests-out writes one JSON line per request as the run goes (lines the writer could not\n"
    "keep up with are dropped and counted in the reports).\n"
    "Exit 0: every check passed and every threshold held; 1: a check or threshold failed (or the\n"
    "run was interrupted, or an abort rule stopped it); 2: bad usage or invalid scenario (nothing\n"
    "sent).\n";

std::atomic<bool> g_interrupt{false};

extern "C" void OnSignal(int) { g_interrupt.store(true); }

// The scenario's name for the Pushgateway grouping key, overrides applied (read before the run;
// "unknown" when unreadable, in which case the run itself reports the problem).
std::string ScenarioNameOf(const std::string& path,
                           const std::vector<scenario::Override>& overrides) {
  scenario::LoadErrors errors;
  Result<scenario::Scenario> s =
      scenario::LoadScenario(path, overrides, &errors, /*check_environment=*/false);
  return s.ok() ? s->name : "unknown";
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "teeharness run: %s\n\n%s", message.c_str(), kRunUsage);
  return 2;
}

Result<std::pair<unsigned, unsigned>> ParseSegment(const std::string& text) {
  unsigned index = 0, count = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%u/%u%c", &index, &count, &tail) != 2 || count == 0 ||
      index == 0 || index > count) {
    return MakeError("--segment expects I/N with 1 <= I <= N, got '", text, "'");
  }
  return std::pair{index, count};
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) std::fprintf(stderr, "teeharness run: cannot write %s\n", path.c_str());
  return static_cast<bool>(out);
}

}  // namespace

int RunCommand(CommandArgs args) {
  Flags flags;
  for (const char* name :
       {"target", "workers", "report-json", "junit", "segment", "metrics-listen", "linger",
        "pushgateway", "collateral", "report-html", "timeline-step", "requests-out"}) {
    flags.Define(name, Flags::Kind::kValue);
  }
  flags.Define("set", Flags::Kind::kRepeated)
      .Define("quiet", Flags::Kind::kBool)
      .Define("help", Flags::Kind::kBool);
  if (Result<bool> parsed = flags.Parse(args); !parsed.ok()) return Usage(parsed.error());
  if (flags.Has("help")) {
    std::fputs(kRunUsage, stdout);
    return 0;
  }
  if (flags.positional().size() != 1) return Usage("expected one scenario file");
  engine::RunOptions options;
  options.scenario_path = flags.positional()[0];
  for (const std::string& set : flags.Values("set")) {
    Result<scenario::Override> o = scenario::ParseOverride(set);
    if (!o.ok()) return Usage(o.error());
    options.overrides.push_back(*o);
  }
  if (flags.Has("target")) options.overrides.push_back({"target.base_url", *flags.Value("target")});
  if (flags.Has("collateral")) {
    // Given on the command line, a relative path is the caller's, not the scenario folder's.
    std::string source = *flags.Value("collateral");
    const bool url = source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0;
    if (!url && !source.empty() && source[0] != '/') {
      char cwd[4096];
      if (getcwd(cwd, sizeof(cwd)) != nullptr) source = std::string(cwd) + "/" + source;
    }
    options.overrides.push_back({"attestation.collateral", source});
  }
  if (flags.Has("workers")) {
    const int workers = std::atoi(flags.Value("workers")->c_str());
    if (workers < 1 || workers > 256) return Usage("--workers expects 1..256");
    options.workers = static_cast<unsigned>(workers);
  }
  if (flags.Has("segment")) {
    Result<std::pair<unsigned, unsigned>> segment = ParseSegment(*flags.Value("segment"));
    if (!segment.ok()) return Usage(segment.error());
    std::tie(options.segment_index, options.segment_count) = *segment;
  }
  if (flags.Has("timeline-step")) {
    Result<std::chrono::nanoseconds> step = ParseDurationText(*flags.Value("timeline-step"));
    if (!step.ok()) return Usage("--timeline-step: " + step.error());
    if (*step < std::chrono::milliseconds(10) || *step > std::chrono::hours(1)) {
      return Usage("--timeline-step expects 10ms..1h");
    }
    options.timeline_step = *step;
  }
  options.quiet = flags.Has("quiet");
  options.progress_tty = isatty(STDERR_FILENO) == 1;

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  std::chrono::nanoseconds linger{0};
  if (flags.Has("linger")) {
    Result<std::chrono::nanoseconds> parsed = ParseDurationText(*flags.Value("linger"));
    if (!parsed.ok()) return Usage("--linger: " + parsed.error());
    linger = *parsed;
  }
  reports::MetricsRegistry registry;
  const reports::RunMetrics metrics(registry);
  reports::MetricsServer server(registry);
  if (flags.Has("metrics-listen")) {
    if (Result<bool> started = server.Start(*flags.Value("metrics-listen")); !started.ok()) {
      return Usage(started.error());
    }
    // The real port (the kernel's choice when 0 was asked), for scrapers and tests.
    std::fprintf(stderr, "metrics on http://%s:%d/metrics\n", server.host().c_str(), server.port());
  }
  reports::Pushgateway pushgateway(registry, registry
                                                 .Add("teeharness_pushgateway_failures_total",
                                                      "Pushes to the Pushgateway that failed.",
                                                      reports::MetricType::kCounter, {})
                                                 ->Counter({}));
  if (flags.Has("pushgateway")) {
    // The instance grouping label: this host and, for sharded runs, the segment.
    char host[256] = "localhost";
    gethostname(host, sizeof(host) - 1);
    std::string instance = host;
    if (options.segment_count > 1) {
      instance += "-" + std::to_string(options.segment_index) + "of" +
                  std::to_string(options.segment_count);
    }
    pushgateway.Start(*flags.Value("pushgateway"),
                      ScenarioNameOf(options.scenario_path, options.overrides), instance,
                      std::chrono::seconds(10));
  }
  std::unique_ptr<reports::RequestLog> request_log;
  if (flags.Has("requests-out")) {
    Result<std::unique_ptr<reports::RequestLog>> opened =
        reports::RequestLog::Open(*flags.Value("requests-out"));
    if (!opened.ok()) return Usage(opened.error());
    request_log = std::move(opened).value();
    options.request_log = request_log.get();
  }
  reports::RunResult result;
  const int code = engine::ExecuteRun(options, g_interrupt, metrics, &result);
  // Every worker has stopped: the log has all it will get.
  if (request_log) result.requests_out = request_log->Finish();
  if (flags.Has("pushgateway")) {
    pushgateway.Finish();
    if (pushgateway.failures() > 0) {
      // Never fatal: the run's verdict stands; the failure is reported.
      std::fprintf(stderr, "teeharness run: %llu of %llu pushes to the Pushgateway failed\n",
                   static_cast<unsigned long long>(pushgateway.failures()),
                   static_cast<unsigned long long>(pushgateway.pushes()));
    }
  }
  if (code == 2 && result.phases.empty()) return 2;  // nothing was measured
  // Every report is written, also for an interrupted or aborted run: nothing measured is lost.
  if (!options.quiet) std::fputs(reports::RenderTerminalSummary(result).c_str(), stdout);
  bool written = true;
  // The page is rendered from the JSON document, as `teeharness report` renders a saved one.
  const std::string json = reports::RenderJsonReport(result);
  if (flags.Has("report-json")) written &= WriteFile(*flags.Value("report-json"), json);
  if (flags.Has("report-html")) {
    Result<std::string> page = reports::html::RenderHtmlFromJson(json);
    if (page.ok()) {
      written &= WriteFile(*flags.Value("report-html"), *page);
    } else {
      std::fprintf(stderr, "teeharness run: --report-html: %s\n", page.error().c_str());
      written = false;
    }
  }
  if (flags.Has("junit"))
    written &= WriteFile(*flags.Value("junit"), reports::RenderJunitReport(result));
  // Keep /metrics up so the final values are scraped (SIGINT/SIGTERM end the wait).
  const auto until = std::chrono::steady_clock::now() + linger;
  while (flags.Has("metrics-listen") && !g_interrupt.load() &&
         std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  server.Stop();
  if (result.requests_out && result.requests_out->write_failed) {
    std::fprintf(stderr, "teeharness run: cannot write %s\n", result.requests_out->path.c_str());
    written = false;
  }
  if (!written && code == 0) return 2;
  return code;
}

}  // namespace teeharness::cli
