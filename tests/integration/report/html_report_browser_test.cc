// The HTML report in a real browser: the smoke scenario run against the built-in mock with
// --report-html, opened in Debian's headless Chromium with no network (its own network
// namespace): no console message, every chart's SVG has drawn points, the screenshot is not blank,
// and the file holds no http:// or https:// but the target's URL shown as text. `teeharness report`
// renders the same page from the saved JSON, and refuses input that is not a report.
// TEEHARNESS_REPORT_SCREENSHOT=FILE also copies the screenshot there (the README's
// docs/report.png).
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>

#include "tests/support/files.h"
#include "tests/support/paths.h"
#include "tests/support/png_image.h"
#include "tests/support/run_report.h"
#include "tests/support/subprocess.h"

namespace teeharness {
namespace {

using testing::ProcessResult;
using testing::ReadFileOrFail;
using testing::RunProcess;
using testing::TeeharnessBinary;

constexpr const char* kChromium = "/usr/bin/chromium";

bool HaveChromium() { return access(kChromium, X_OK) == 0; }

// Chromium without network: a new network namespace (as root; otherwise a user namespace as well),
// so nothing the page might reference could be fetched. Chromium prints every console message of
// the page to stderr as "...:CONSOLE:<line>] "<message>", source: <url> (<line>)" with these
// logging flags.
ProcessResult Chromium(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/unshare",
                                   geteuid() == 0 ? "-n" : "-rn",
                                   kChromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--no-first-run",
                                   "--disable-extensions",
                                   "--enable-logging=stderr",
                                   "--v=0"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, {}, std::chrono::seconds(90));
}

std::vector<std::string> ConsoleLines(const std::string& err) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < err.size()) {
    size_t end = err.find('\n', start);
    if (end == std::string::npos) end = err.size();
    const std::string line = err.substr(start, end - start);
    // Chromium's own pages (chrome://resources, e.g. its new-tab UI under load) log too: those
    // are not the report's.
    if (line.find(":CONSOLE") != std::string::npos &&
        line.find("source: chrome://") == std::string::npos) {
      lines.push_back(line);
    }
    start = end + 1;
  }
  return lines;
}

// One smoke run for the whole suite (a few seconds): its JSON, its page and its target URL.
class HtmlReportInBrowser : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    json_ = dir_->path() + "/smoke.json";
    html_ = dir_->path() + "/smoke.html";
    // A 100 ms step gives the 3 s open-loop phase a timeline of about 30 samples. Only the
    // correctness gates as thresholds: a loaded machine must not turn the verdict.
    std::vector<std::string> args = {TeeharnessBinary(),
                                     "run",
                                     testing::SourceDir() + "/scenarios/smoke.json",
                                     "--quiet",
                                     "--timeline-step",
                                     "100ms",
                                     "--report-json",
                                     json_,
                                     "--report-html",
                                     html_};
    for (const std::string& arg : testing::CorrectnessOverrides()) args.push_back(arg);
    run_ = new ProcessResult(RunProcess(args, {}, std::chrono::seconds(120)));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete dir_;
  }
  void SetUp() override {
    ASSERT_EQ(run_->exit_code, 0) << run_->err << run_->out;
    page_ = ReadFileOrFail(html_);
    rapidjson::Document doc = testing::ReadJsonOrFail(json_);
    ASSERT_TRUE(doc["target"]["base_url"].IsString());
    target_ = doc["target"]["base_url"].GetString();
  }

  static testing::TempDir* dir_;
  static std::string json_, html_;
  static ProcessResult* run_;
  std::string page_;
  std::string target_;
};
testing::TempDir* HtmlReportInBrowser::dir_ = nullptr;
std::string HtmlReportInBrowser::json_, HtmlReportInBrowser::html_;
ProcessResult* HtmlReportInBrowser::run_ = nullptr;

TEST_F(HtmlReportInBrowser, ReportCommandRendersTheSamePage) {
  const std::string again = dir_->path() + "/again.html";
  const ProcessResult r = RunProcess({TeeharnessBinary(), "report", json_, "--html", again});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFileOrFail(again), page_);
}

// The timeline the charts are drawn from: every arrival and every ended iteration of a phase is in
// exactly one sample, and the 3 s open-loop phase has one sample per 100 ms step (a loaded machine
// may merge a late one into the next).
TEST_F(HtmlReportInBrowser, TimelineAddsUpToThePhase) {
  rapidjson::Document doc = testing::ReadJsonOrFail(json_);
  ASSERT_EQ(doc["schema_version"].GetInt(), 2);
  for (const auto& phase : doc["phases"].GetArray()) {
    const std::string name = phase["name"].GetString();
    uint64_t arrivals = 0, completed = 0;
    for (const auto& s : phase["timeline"].GetArray()) {
      arrivals += s["arrivals"].GetUint64();
      completed += s["completed"].GetUint64();
    }
    const auto& accounting = phase["accounting"];
    EXPECT_EQ(arrivals, accounting["arrivals"].GetUint64()) << name;
    EXPECT_EQ(completed, accounting["succeeded"].GetUint64()) << name;  // none failed
    EXPECT_GE(phase["timeline"].Size(), 1u) << name;
    if (name == "open-loop") {
      EXPECT_GE(phase["timeline"].Size(), 10u);
      EXPECT_LE(phase["timeline"].Size(), 32u);
      EXPECT_DOUBLE_EQ(phase["timeline_step_seconds"].GetDouble(), 0.1);
    }
  }
}

TEST_F(HtmlReportInBrowser, HoldsNoUrlButTheTargetsAsText) {
  ASSERT_EQ(target_.rfind("http://127.0.0.1:", 0), 0u) << target_;
  const std::regex url("https?://[^\"'<>\\s]*");
  size_t urls = 0;
  for (auto it = std::sregex_iterator(page_.begin(), page_.end(), url);
       it != std::sregex_iterator(); ++it) {
    ++urls;
    // The target's URL (also the collateral source's prefix, the mock's PCS routes), as text.
    EXPECT_EQ(it->str().rfind(target_, 0), 0u) << it->str();
    const std::string before = page_.substr(it->position() > 8 ? it->position() - 8 : 0, 8);
    EXPECT_EQ(before.find('='), std::string::npos) << "an attribute value: " << before;
  }
  EXPECT_GE(urls, 1u);
  EXPECT_NE(page_.find("<code>" + target_ + "</code>"), std::string::npos);
}

// The detection below would see a console message: a page that logs one is caught.
TEST_F(HtmlReportInBrowser, ConsoleMessagesWouldBeSeen) {
  if (!HaveChromium()) GTEST_SKIP() << kChromium << " is not installed (scripts/install-deps.sh)";
  const std::string page = dir_->Write(
      "noisy.html", "<!DOCTYPE html><html><body><script>console.error('noisy')</script></body>");
  const ProcessResult r = Chromium({"--dump-dom", "file://" + page});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = ConsoleLines(r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  EXPECT_NE(lines[0].find("noisy"), std::string::npos);
}

TEST_F(HtmlReportInBrowser, OpensWithoutConsoleMessagesAndEveryChartHasPoints) {
  if (!HaveChromium()) GTEST_SKIP() << kChromium << " is not installed (scripts/install-deps.sh)";
  const ProcessResult r = Chromium({"--dump-dom", "file://" + html_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ConsoleLines(r.err).empty()) << r.err;
  const std::string& dom = r.out;  // the document as the browser parsed it
  EXPECT_NE(dom.find("id=\"verdict\">PASSED<"), std::string::npos) << dom.substr(0, 2000);
  // Every chart: an svg with polylines whose points the browser kept.
  const std::regex svg("<svg class=\"chart\"[^>]*data-points=\"([0-9]+)\"[^>]*>([\\s\\S]*?)</svg>");
  const std::regex polyline("<polyline[^>]*points=\"([^\"]+)\"");
  size_t charts = 0;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), svg); it != std::sregex_iterator();
       ++it) {
    ++charts;
    const size_t declared = std::stoul((*it)[1]);
    EXPECT_GT(declared, 0u);
    const std::string body = (*it)[2];
    size_t drawn = 0;
    for (auto p = std::sregex_iterator(body.begin(), body.end(), polyline);
         p != std::sregex_iterator(); ++p) {
      const std::string points = (*p)[1];
      drawn += static_cast<size_t>(std::count(points.begin(), points.end(), ','));
    }
    EXPECT_EQ(drawn, declared) << body.substr(0, 400);
  }
  // Each phase's latency distribution, and for the 3 s open-loop phase the charts over time:
  // rate, chat and signature latency, errors, in-flight, schedule lag, TTFT and ITL.
  EXPECT_GE(charts, 4u + 8u);
}

TEST_F(HtmlReportInBrowser, ScreenshotIsNotBlank) {
  if (!HaveChromium()) GTEST_SKIP() << kChromium << " is not installed (scripts/install-deps.sh)";
  const std::string png = dir_->path() + "/report.png";
  const ProcessResult r = Chromium(
      {"--screenshot=" + png, "--window-size=1400,4200", "--hide-scrollbars", "file://" + html_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ConsoleLines(r.err).empty()) << r.err;
  const std::string bytes = ReadFileOrFail(png);
  Result<testing::PngImage> image = testing::DecodePng(bytes);
  ASSERT_TRUE(image.ok()) << image.error();
  EXPECT_EQ(image->width, 1400u);
  EXPECT_EQ(image->height, 4200u);
  // A blank page is one colour; text, tables and coloured lines give many and a spread of
  // luminance.
  EXPECT_GT(image->DistinctColours(), 50u);
  EXPECT_GT(image->LuminanceVariance(), 100.0);
  if (const char* copy = std::getenv("TEEHARNESS_REPORT_SCREENSHOT"); copy && *copy) {
    std::ofstream(copy, std::ios::binary) << bytes;
  }
}

TEST(ReportCommand, RefusesWhatIsNotAReport) {
  testing::TempDir dir;
  const std::string out = dir.path() + "/out.html";
  const std::string not_json = dir.Write("bad.json", "{\"phases\": [");
  ProcessResult r = RunProcess({TeeharnessBinary(), "report", not_json, "--html", out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not JSON"), std::string::npos) << r.err;
  const std::string other = dir.Write("other.json", "{\"name\": \"a scenario, not a report\"}");
  r = RunProcess({TeeharnessBinary(), "report", other, "--html", out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a teeharness JSON report"), std::string::npos) << r.err;
  r = RunProcess({TeeharnessBinary(), "report", dir.path() + "/missing.json", "--html", out});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos) << r.err;
  r = RunProcess({TeeharnessBinary(), "report", other});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--html FILE is required"), std::string::npos) << r.err;
  EXPECT_EQ(access(out.c_str(), F_OK), -1);  // nothing written
  // A minimal report renders (to stdout with '-').
  const std::string minimal = dir.Write("min.json", "{\"schema_version\": 2, \"exit_code\": 0}");
  r = RunProcess({TeeharnessBinary(), "report", minimal, "--html", "-"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("PASSED"), std::string::npos);
}

}  // namespace
}  // namespace teeharness
