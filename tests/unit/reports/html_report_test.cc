// The HTML report page: server-provided text is escaped and made valid UTF-8, a saved report with
// unknown or missing members renders what it has, input that is not a report is refused, and the
// page holds no external reference.
#include "reports/html/html_report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <vector>

#include "reports/html/html_escape.h"
#include "reports/html/report_document.h"
#include "reports/html/svg_chart.h"
#include "reports/json_report.h"

namespace teeharness::reports::html {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

// True when `text` is well-formed UTF-8 (independent of the escaper's own decoder: via
// std::mbrtowc would depend on the locale, so a plain table check).
bool ValidUtf8(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = b(i);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > text.size()) return false;
    uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
    for (size_t k = 1; k < n; ++k) {
      if ((b(i + k) & 0xC0) != 0x80) return false;
      cp = cp << 6 | (b(i + k) & 0x3F);
    }
    const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

TEST(EscapeHtml, MarkupAndQuotesBecomeReferences) {
  EXPECT_EQ(EscapeHtml("<script>alert(\"x\")</script>"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  EXPECT_EQ(EscapeHtml("a'b&c"), "a&#39;b&amp;c");
  EXPECT_EQ(EscapeHtml("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
  EXPECT_EQ(EscapeHtml("tab\tline\nret\r"), "tab\tline\nret\r");
}

TEST(EscapeHtml, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(EscapeHtml("\xFF"), kFffd);
  EXPECT_EQ(EscapeHtml("a\xFF\xFE"
                       "b"),
            "a" + kFffd + kFffd + "b");
  EXPECT_EQ(EscapeHtml("\xE2\x82"), kFffd);                                  // truncated: one
  EXPECT_EQ(EscapeHtml("\xE2\x82x"), kFffd + "x");                           // cut short by ASCII
  EXPECT_EQ(EscapeHtml("\xC0\xAF"), kFffd + kFffd);                          // overlong '/'
  EXPECT_EQ(EscapeHtml("\xED\xA0\x80"), kFffd + kFffd + kFffd);              // a surrogate
  EXPECT_EQ(EscapeHtml("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // past U+10FFFF
  EXPECT_EQ(EscapeHtml(std::string("a\0b\x1b", 4)), "a" + kFffd + "b" + kFffd);
  // Well-formed text of every length stays as it is.
  EXPECT_EQ(EscapeHtml("\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  std::string all;
  for (int i = 0; i < 256; ++i) {
    for (int j = 0; j < 256; j += 3) all += {static_cast<char>(i), static_cast<char>(j)};
  }
  EXPECT_TRUE(ValidUtf8(EscapeHtml(all)));
}

RunResult HostileRun() {
  RunResult run;
  run.tool_version = "0.1.0";
  run.scenario_name = "<script>alert('name')</script>";
  run.scenario_sha256 = std::string(64, 'b');
  run.target_url = "https://tee.example.com/v1?x=\"><script>";
  run.dialect = "phala";
  run.started_at = "2026-12-03T09:00:00Z";
  run.duration_seconds = 2;
  PhaseResult phase;
  phase.name = "chat\xFF<b>";
  phase.kind = "verified_chat";
  phase.duration_seconds = 2;
  phase.arrivals = 4;
  phase.succeeded = 2;
  phase.failed["<i>kind</i>"] = 2;
  phase.errors["<i>kind</i>"] = 2;
  phase.latency["chat"] = {4, 0.1, 0.1, 0.2, 0.3, 0.4, 0.5};
  phase.checks.push_back(
      {"SIG-TEXT",
       2,
       2,
       {"server said <script>document.title='pwned'</script> \"quoted\" 'single'",
        "bad bytes \xC0\xAF\xFF end"},
       0,
       ""});
  phase.timeline_step_seconds = 1;
  for (int i = 1; i <= 3; ++i) {
    TimelineSample s;
    s.t = i;
    s.seconds = 1;
    s.arrivals = 2;
    s.completed = 2;
    s.succeeded = 1;
    s.errors["<i>kind</i>"] = 1;
    s.latency["chat"] = {2, 0.1 * i, 0.2 * i, 0.3 * i};
    s.latency["ttft"] = {2, 0.01 * i, 0.02 * i, 0.03 * i};
    phase.timeline.push_back(s);
  }
  run.phases.push_back(phase);
  run.checks = MergeCheckTallies(run.phases, 5);
  run.thresholds.push_back({"chat_seconds", "p(95)<0.1", 0.3, true, false});
  run.signing_addresses.push_back({"0xabc<script>", 0, "chat\xFF", 0.5});
  run.signing_addresses.push_back({"0xdef", 1, "after-restart", 7.25});
  run.signing_address_changes = 1;
  run.exit_code = 1;
  return run;
}

TEST(HtmlReport, EscapesEveryServerString) {
  Result<std::string> page = RenderHtmlFromJson(RenderJsonReport(HostileRun()));
  ASSERT_TRUE(page.ok()) << page.error();
  // The only markup is the page's own: no script element at all, nothing from the run as tags.
  EXPECT_EQ(page->find("<script"), std::string::npos);
  EXPECT_EQ(page->find("<i>"), std::string::npos);
  EXPECT_EQ(page->find("<b>"), std::string::npos);
  EXPECT_NE(page->find("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt; "
                       "&quot;quoted&quot;"),
            std::string::npos);
  EXPECT_NE(page->find("bad bytes " + kFffd + kFffd + kFffd + " end"), std::string::npos);
  EXPECT_NE(page->find("chat" + kFffd + "&lt;b&gt;"), std::string::npos);
  EXPECT_TRUE(ValidUtf8(*page));
  EXPECT_NE(page->find("FAILED"), std::string::npos);
}

TEST(HtmlReport, ListsTheSigningAddressesAndWhenTheyChanged) {
  Result<std::string> page = RenderHtmlFromJson(RenderJsonReport(HostileRun()));
  ASSERT_TRUE(page.ok());
  EXPECT_NE(page->find("1 change(s) in all"), std::string::npos);
  EXPECT_NE(page->find("<code>0xabc&lt;script&gt;</code>"), std::string::npos);
  EXPECT_NE(page->find("after-restart</td><td class=\"n\">7.25 s</td>"), std::string::npos)
      << *page;
}

// No http:// or https:// anywhere but the target's URL, shown as text (never an href or src).
TEST(HtmlReport, HoldsNoExternalReference) {
  Result<std::string> page = RenderHtmlFromJson(RenderJsonReport(HostileRun()));
  ASSERT_TRUE(page.ok());
  const std::regex url("https?://");
  size_t urls = 0;
  for (auto it = std::sregex_iterator(page->begin(), page->end(), url);
       it != std::sregex_iterator(); ++it) {
    ++urls;
    EXPECT_EQ(page->compare(it->position(), 24, "https://tee.example.com/"), 0)
        << page->substr(it->position(), 40);
  }
  EXPECT_EQ(urls, 1u);
  EXPECT_EQ(page->find("href=\"http"), std::string::npos);
  EXPECT_EQ(page->find("src="), std::string::npos);
}

TEST(HtmlReport, DrawsChartsWithPoints) {
  Result<std::string> page = RenderHtmlFromJson(RenderJsonReport(HostileRun()));
  ASSERT_TRUE(page.ok());
  const std::regex chart("<svg class=\"chart\"[^>]*data-points=\"([0-9]+)\"");
  size_t charts = 0;
  for (auto it = std::sregex_iterator(page->begin(), page->end(), chart);
       it != std::sregex_iterator(); ++it) {
    ++charts;
    EXPECT_GT(std::stoul((*it)[1]), 0u);
  }
  // rate, chat over time, errors, in-flight, ttft over time, the distribution.
  EXPECT_EQ(charts, 6u);
  EXPECT_NE(page->find("ttft over time"), std::string::npos);
  EXPECT_NE(page->find("arrivals = 2 succeeded"), std::string::npos);
}

TEST(SvgChart, SkipsWhatALogAxisCannotShow) {
  ChartSpec spec;
  spec.log_y = true;
  spec.series.push_back({"a", {{0, 0}, {1, -1}, {2, 0.5}, {3, std::nan("")}}, false});
  EXPECT_EQ(DrawablePoints(spec), 1u);
  spec.log_y = false;
  EXPECT_EQ(DrawablePoints(spec), 3u);
  spec.series[0].points.clear();
  const std::string empty = RenderChart(spec);
  EXPECT_NE(empty.find("data-points=\"0\""), std::string::npos);
  EXPECT_NE(empty.find("no data"), std::string::npos);
}

size_t Occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A saved report's numbers may be anything finite: the axes stay a bounded number of ticks.
TEST(SvgChart, ExtremeNumbersGiveBoundedAxes) {
  ChartSpec log;
  log.log_y = true;
  log.series.push_back({"a", {{0, 5e-324}, {1, 1e300}, {1e15, 1}, {1e15 + 0.001, 2}}, false});
  const std::string log_chart = RenderChart(log);
  EXPECT_NE(log_chart.find("data-points=\"4\""), std::string::npos);
  EXPECT_LT(Occurrences(log_chart, "<text"), 80u);
  ChartSpec linear;
  linear.series.push_back({"b", {{-1.7e308, 0}, {1.7e308, 1.7e308}, {1e15, 1e15 + 0.5}}, false});
  EXPECT_LT(Occurrences(RenderChart(linear), "<text"), 80u);
  ChartSpec narrow;
  narrow.series.push_back({"c", {{1e15, 1}, {1e15 + 0.001, 2}}, false});
  EXPECT_LT(Occurrences(RenderChart(narrow), "<text"), 80u);
}

// However many error kinds a timeline holds, the errors chart draws the six most frequent.
TEST(HtmlReport, ErrorsChartDrawsTheMostFrequentKinds) {
  RunResult run = HostileRun();
  for (TimelineSample& s : run.phases[0].timeline) {
    for (int k = 0; k < 50; ++k) s.errors["kind_" + std::to_string(k)] = k < 3 ? 100 : 1;
  }
  Result<std::string> page = RenderHtmlFromJson(RenderJsonReport(run));
  ASSERT_TRUE(page.ok());
  const size_t start = page->find("Errors and check failures");
  ASSERT_NE(start, std::string::npos);
  const std::string chart = page->substr(start, page->find("</svg>", start) - start);
  EXPECT_EQ(Occurrences(chart, "<polyline"), 8u);  // all errors, check failures, six kinds
  EXPECT_NE(chart.find("kind_0"), std::string::npos);
  EXPECT_NE(chart.find("kind_2"), std::string::npos);
}

TEST(HtmlReport, RendersWhatAnUnknownOrDamagedReportHas) {
  const std::string json = R"({"schema_version": 99, "exit_code": "zero",
    "scenario": {"name": ["not", "a", "string"]}, "target": 5,
    "phases": [7, {"name": 5, "kind": "verified_chat", "timeline": [1, {"t": "x", "arrivals": -3},
                   {"t": 2, "latency_seconds": {"chat": {"p50": "fast"}, "x": 1}}],
                   "tokens_per_second": 812.5, "accounting": {"arrivals": 1e300}},
               {"latency_seconds": {"chat": {"count": 3, "p50": null, "p99": 0.2}}}],
    "checks": [{"id": "SIG-TEXT", "failed": 1, "evidence": [{"nested": "<b>x</b>"}, 3]}, "junk"],
    "thresholds": [{"metric": 1}], "attestation": [], "from_the_future": {"a": [1, 2]}})";
  Result<std::string> page = RenderHtmlFromJson(json);
  ASSERT_TRUE(page.ok()) << page.error();
  EXPECT_NE(page->find("newer than this teeharness knows"), std::string::npos);
  EXPECT_NE(page->find("UNKNOWN"), std::string::npos);  // exit_code is not a number
  EXPECT_NE(page->find("from_the_future"), std::string::npos);
  EXPECT_NE(page->find("tokens_per_second"), std::string::npos);
  EXPECT_NE(page->find("812.5"), std::string::npos);
  EXPECT_NE(page->find("&lt;b&gt;x&lt;/b&gt;"), std::string::npos);
  EXPECT_EQ(page->find("<b>x"), std::string::npos);
  // A report with only a few members renders too.
  EXPECT_TRUE(RenderHtmlFromJson(R"({"schema_version": 1})").ok());
  EXPECT_TRUE(RenderHtmlFromJson(R"({"phases": []})").ok());
}

TEST(HtmlReport, RefusesWhatIsNotAReport) {
  for (const std::string& bad :
       std::vector<std::string>{"", "not json", "[]", "{}", "{\"name\": 1}", "\"text\"",
                                "{\"a\":", std::string(100000, '[')}) {
    Result<std::string> page = RenderHtmlFromJson(bad);
    EXPECT_FALSE(page.ok()) << bad.substr(0, 20);
  }
  EXPECT_NE(RenderHtmlFromJson("[]").error().find("not an object"), std::string::npos);
  EXPECT_NE(RenderHtmlFromJson("{\"a\":").error().find("not JSON"), std::string::npos);
}

}  // namespace
}  // namespace teeharness::reports::html

namespace teeharness::reports::html {
namespace {

// A sweep's steps become a table and two charts (latency against throughput, goodput against
// offered load), with the capacity found; its names are escaped like every other string.
TEST(HtmlReport, SweepsGetTheirTableCapacityAndCharts) {
  const std::string json = R"({"schema_version": 2, "phases": [], "checks": [],
    "sweeps": [{"name": "knee<script>", "over": "rate", "capacity": {"step": 2, "offered": 20},
      "capacity_note": "",
      "steps": [
        {"phase": "knee/step-1", "offered": 10, "achieved_rate": 10, "goodput": 10,
         "verified_goodput": 10, "ttft_p95": 0.02, "output_tokens_per_second": 300,
         "met_slo": true, "stopped": false},
        {"phase": "knee/step-2", "offered": 20, "achieved_rate": 19.6, "goodput": 19.6,
         "verified_goodput": 19.6, "ttft_p95": 0.021, "met_slo": true, "stopped": false},
        {"phase": "knee/step-3", "offered": 40, "achieved_rate": 31, "goodput": 8,
         "verified_goodput": 7, "ttft_p95": 2.5, "met_slo": false, "stopped": true}]}]})";
  Result<std::string> page = RenderHtmlFromJson(json);
  ASSERT_TRUE(page.ok()) << page.error();
  EXPECT_NE(page->find("<h2 id=\"sweeps\">Sweeps</h2>"), std::string::npos);
  EXPECT_NE(page->find("knee&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(page->find("knee<script>"), std::string::npos);
  EXPECT_NE(page->find("Capacity: <b>20</b>"), std::string::npos) << *page;
  EXPECT_NE(page->find("TTFT p95 against achieved rate"), std::string::npos);
  EXPECT_NE(page->find("Goodput against offered load"), std::string::npos);
  EXPECT_NE(page->find("data-points=\"3\""), std::string::npos);  // TTFT p95 at each step
  EXPECT_NE(page->find("data-points=\"6\""), std::string::npos);  // goodput and verified
  EXPECT_NE(page->find("knee/step-3"), std::string::npos);
  // Without sweeps there is no such section.
  Result<std::string> plain = RenderHtmlFromJson(R"({"schema_version": 2, "phases": []})");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->find("id=\"sweeps\""), std::string::npos);
}

}  // namespace
}  // namespace teeharness::reports::html
