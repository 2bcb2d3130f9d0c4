// teeharness compare: the rule grammar, the comparison in both directions, missing figures,
// regressed checks, unusable reports and the outputs.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "reports/compare/compare_render.h"
#include "reports/compare/compare_rule.h"
#include "reports/compare/comparison.h"
#include "reports/compare/report_figures.h"

namespace teeharness::reports::compare {
namespace {

// A minimal JSON report of one verified_chat phase "chat" (and an attest phase), in the shape
// reports/json_report.cc writes.
struct Sample {
  int schema_version = 1;
  double rate = 100;
  double chat_p95 = 0.2;
  int errors = 0;
  int sig_failed = 0;
  std::string extra_phase_fields;  // e.g. "\"goodput\": 50,"
  std::string phase_name = "chat";
  std::string sweeps;  // e.g. R"("sweeps": [...],)"

  std::string Json() const {
    return R"({"schema_version": )" + std::to_string(schema_version) +
           R"(, "tool": {"name": "teeharness", "version": "0.1.0"},
  "scenario": {"name": "smoke"}, "started_at": "2026-12-03T09:00:00Z",
  "phases": [
    {"name": "attest", "kind": "attest", "rate": 50, "requests": 10, "dropped": 0,
     "accounting": {"arrivals": 10, "succeeded": 10, "failed": {}, "dropped": 0},
     "latency_seconds": {"attest": {"count": 10, "mean": 0.01, "p50": 0.01, "p90": 0.01,
                                    "p95": 0.01, "p99": 0.02, "max": 0.02}},
     "errors": {}, "checks": [{"id": "ATTEST-BIND", "passed": 10, "failed": 0, "skipped": 0}]},
    {"name": ")" +
           phase_name + R"(", "kind": "verified_chat", "rate": )" + std::to_string(rate) + "," +
           extra_phase_fields + R"( "requests": 200, "dropped": 0,
     "accounting": {"arrivals": 100, "succeeded": 100, "failed": {}, "dropped": 0},
     "latency_seconds": {"chat": {"count": 100, "mean": 0.1, "p50": 0.1, "p90": 0.15,
                                  "p95": )" +
           std::to_string(chat_p95) + R"(, "p99": 0.3, "max": null}},
     "errors": {"http_500": )" +
           std::to_string(errors) + R"(},
     "checks": [{"id": "SIG-TEXT", "passed": 100, "failed": )" +
           std::to_string(sig_failed) + R"(, "skipped": 0}]}
  ],
  "checks": [{"id": "ATTEST-BIND", "passed": 10, "failed": 0, "skipped": 0},
             {"id": "SIG-TEXT", "passed": 100, "failed": )" +
           std::to_string(sig_failed) + R"(, "skipped": 0}],)" + sweeps + R"(
  "exit_code": 0})";
  }
};

ReportFigures Figures(const Sample& sample, const std::string& source = "report.json") {
  Result<ReportFigures> figures = ParseReportFigures(sample.Json(), source);
  EXPECT_TRUE(figures.ok()) << figures.error() << sample.Json();
  return figures.ok() ? *figures : ReportFigures{};
}

CompareRule Rule(const std::string& text) {
  Result<CompareRule> rule = ParseCompareRule(text);
  EXPECT_TRUE(rule.ok()) << text << ": " << rule.error();
  return rule.ok() ? *rule : CompareRule{};
}

Comparison CompareOk(const Sample& base, const Sample& now, const std::vector<std::string>& rules) {
  std::vector<CompareRule> parsed;
  for (const std::string& text : rules) parsed.push_back(Rule(text));
  Result<Comparison> c = Compare(Figures(base, "base.json"), Figures(now, "new.json"), parsed);
  EXPECT_TRUE(c.ok()) << c.error();
  return c.ok() ? *c : Comparison{};
}

std::string CompareError(const Sample& base, const Sample& now, const std::string& rule) {
  Result<Comparison> c = Compare(Figures(base), Figures(now), {Rule(rule)});
  EXPECT_FALSE(c.ok());
  return c.ok() ? "" : c.error();
}

TEST(CompareRule, ParsesPercentAbsoluteScopeAndAliases) {
  CompareRule r = Rule("p95(chat_seconds)>+10%");
  EXPECT_EQ(r.metric, "p95(chat_seconds)");
  EXPECT_TRUE(r.greater);
  EXPECT_TRUE(r.percent);
  EXPECT_DOUBLE_EQ(r.change, 10);
  EXPECT_DOUBLE_EQ(r.Limit(2), 2.2);

  r = Rule(" rate < -5% ");
  EXPECT_EQ(r.metric, "rate");
  EXPECT_FALSE(r.greater);
  EXPECT_DOUBLE_EQ(r.Limit(100), 95);

  r = Rule("errors>+0");
  EXPECT_FALSE(r.percent);
  EXPECT_DOUBLE_EQ(r.Limit(3), 3);

  r = Rule("p99(attest_seconds){phase:warm-up.1}>+0.05");
  EXPECT_EQ(r.phase, "warm-up.1");
  EXPECT_DOUBLE_EQ(r.Limit(0.1), 0.15000000000000002);

  EXPECT_EQ(Rule("mean(time_to_first_token_seconds)>+1%").metric, "mean(ttft_seconds)");
  EXPECT_EQ(Rule("goodput<-1%").metric, "goodput");
}

TEST(CompareRule, ErrorsNameTheRuleAndTheColumn) {
  const std::pair<const char*, const char*> cases[] = {
      {"p9(chat_seconds)>+10%", "at column 1: unknown aggregate \"p9\""},
      {"p95(chat)>+10%", "at column 5: expected a latency metric"},
      {"latency>+1", "at column 1: unknown metric \"latency\""},
      {"p95>+1", "at column 4: expected \"(\" after p95"},
      {"rate>=+1", "at column 6: only > and <"},
      {"rate=+1", "at column 5: expected \">\" or \"<\""},
      {"rate>5%", "at column 6: expected a signed change"},
      {"rate>+", "at column 7: expected a number, found the end"},
      {"rate>+-1", "at column 7: expected a number"},
      {"rate>+1%x", "at column 9: unexpected \"x\" after the change"},
      {"rate{host:a}>+1", "at column 6: expected phase:NAME"},
      {"rate{phase:a>+1", "at column 13: expected \"}\""},
      {"", "empty rule"},
  };
  for (const auto& [text, message] : cases) {
    Result<CompareRule> r = ParseCompareRule(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.error().find(message), std::string::npos) << text << ": " << r.error();
    EXPECT_EQ(r.error().rfind("\"" + std::string(text) + "\"", 0), 0u) << r.error();
  }
}

TEST(Compare, PercentRuleFailsOnARegressionAndPassesAnImprovement) {
  Sample base, worse, better;
  worse.chat_p95 = 0.23;  // +15%
  better.chat_p95 = 0.1;  // -50%
  Comparison c = CompareOk(base, worse, {"p95(chat_seconds)>+10%"});
  ASSERT_EQ(c.rules.size(), 1u);  // only the phase that has chat latency
  EXPECT_EQ(c.rules[0].phase, "chat");
  EXPECT_EQ(c.rules[0].verdict, RuleOutcome::Verdict::kFail);
  EXPECT_DOUBLE_EQ(c.rules[0].limit, 0.22000000000000003);
  ASSERT_EQ(c.regressions.size(), 1u);
  EXPECT_NE(c.regressions[0].find("p95(chat_seconds)>+10% in phase chat"), std::string::npos);
  EXPECT_EQ(c.exit_code(), 1);

  c = CompareOk(base, better, {"p95(chat_seconds)>+10%"});
  EXPECT_EQ(c.rules[0].verdict, RuleOutcome::Verdict::kPass);
  EXPECT_EQ(c.exit_code(), 0);
  // Within the limit is no regression either.
  Sample slightly;
  slightly.chat_p95 = 0.21;
  EXPECT_EQ(CompareOk(base, slightly, {"p95(chat_seconds)>+10%"}).exit_code(), 0);
}

TEST(Compare, RateRuleBothDirections) {
  Sample base, slower, faster;
  slower.rate = 90;
  faster.rate = 130;
  Comparison c = CompareOk(base, slower, {"rate{phase:chat}<-5%"});
  ASSERT_EQ(c.rules.size(), 1u);
  EXPECT_EQ(c.rules[0].verdict, RuleOutcome::Verdict::kFail);
  EXPECT_EQ(CompareOk(base, faster, {"rate{phase:chat}<-5%"}).exit_code(), 0);
  // Unscoped, the rule holds in every phase with a rate (the attest phase did not change).
  EXPECT_EQ(CompareOk(base, slower, {"rate<-5%"}).rules.size(), 2u);
}

TEST(Compare, AbsoluteRuleOnErrors) {
  Sample base, one_error;
  one_error.errors = 1;
  Comparison c = CompareOk(base, one_error, {"errors>+0"});
  ASSERT_EQ(c.rules.size(), 2u);
  EXPECT_EQ(c.rules[0].verdict, RuleOutcome::Verdict::kPass);  // attest: 0 -> 0
  EXPECT_EQ(c.rules[1].verdict, RuleOutcome::Verdict::kFail);  // chat: 0 -> 1
  EXPECT_EQ(c.exit_code(), 1);
  // Fewer errors than BASE is an improvement.
  EXPECT_EQ(CompareOk(one_error, base, {"errors>+0"}).exit_code(), 0);
  // An absolute allowance: up to two more errors pass.
  Sample three;
  three.errors = 3;
  EXPECT_EQ(CompareOk(one_error, three, {"errors>+2"}).exit_code(), 0);
  EXPECT_EQ(CompareOk(base, three, {"errors>+2"}).exit_code(), 1);
}

TEST(Compare, MissingFigures) {
  Sample base, with_goodput;
  with_goodput.extra_phase_fields = R"( "goodput": 40, "output_tokens_per_second": 900,)";
  // Only in NEW: nothing to compare with (skipped, not passed, not failed).
  Comparison c = CompareOk(base, with_goodput, {"goodput<-5%"});
  ASSERT_EQ(c.rules.size(), 1u);
  EXPECT_EQ(c.rules[0].verdict, RuleOutcome::Verdict::kSkipped);
  EXPECT_EQ(c.exit_code(), 0);
  // In BASE and missing in NEW: a regression.
  c = CompareOk(with_goodput, base, {"goodput<-5%"});
  EXPECT_EQ(c.rules[0].verdict, RuleOutcome::Verdict::kFail);
  EXPECT_NE(c.rules[0].reason.find("missing in NEW"), std::string::npos);
  // Compared when both have it; the table lists tokens/s too.
  Sample less = with_goodput;
  less.extra_phase_fields = R"( "goodput": 30, "output_tokens_per_second": 900,)";
  EXPECT_EQ(CompareOk(with_goodput, less, {"goodput<-5%"}).exit_code(), 1);
  EXPECT_NE(RenderCompareText(c).find("output_tokens_per_second"), std::string::npos);
  // In neither report: the rule cannot be evaluated anywhere (a typo, or the wrong reports).
  EXPECT_NE(CompareError(base, base, "goodput<-5%").find("no phase of either report has goodput"),
            std::string::npos);
  EXPECT_NE(CompareError(base, base, "p95(chta_seconds)>+1%").find("p95(chta_seconds)"),
            std::string::npos);
  EXPECT_NE(CompareError(base, base, "rate{phase:nope}<-5%").find("phase \"nope\""),
            std::string::npos);
  // A null figure (an undefined percentile) is absent, not zero.
  EXPECT_NE(CompareError(base, base, "max(chat_seconds)>+1%").find("max(chat_seconds)"),
            std::string::npos);
}

TEST(Compare, APhaseOnlyInBaseFailsItsRules) {
  Sample base, renamed;
  renamed.phase_name = "chat-v2";
  Comparison c = CompareOk(base, renamed, {"p95(chat_seconds)>+10%"});
  ASSERT_EQ(c.rules.size(), 2u);
  EXPECT_EQ(c.rules[0].phase, "chat");
  EXPECT_EQ(c.rules[0].verdict, RuleOutcome::Verdict::kFail);
  EXPECT_EQ(c.rules[1].phase, "chat-v2");
  EXPECT_EQ(c.rules[1].verdict, RuleOutcome::Verdict::kSkipped);
  EXPECT_FALSE(c.phases[1].in_new);
  EXPECT_FALSE(c.phases[2].in_base);
}

// A sweep's capacity is gated like a phase figure, in a row of the sweep's own (its steps are
// phases and compared as such).
TEST(Compare, SweepCapacity) {
  auto with_capacity = [](const std::string& capacity) {
    Sample s;
    s.sweeps = R"("sweeps": [{"name": "knee", "over": "rate", "steps": [], "capacity": )" +
               capacity + "}],";
    return s;
  };
  const Sample base = with_capacity(R"({"step": 3, "offered": 40})");
  const Sample same = with_capacity(R"({"step": 3, "offered": 40})");
  const Sample lower = with_capacity(R"({"step": 2, "offered": 20})");
  const Sample none = with_capacity("null");
  Comparison c = CompareOk(base, lower, {"capacity<-10%"});
  ASSERT_EQ(c.rules.size(), 1u);  // only the sweep has a capacity
  EXPECT_EQ(c.rules[0].phase, "knee");
  EXPECT_EQ(c.rules[0].verdict, RuleOutcome::Verdict::kFail);
  EXPECT_NE(c.regressions[0].find("capacity<-10% in phase knee"), std::string::npos);
  EXPECT_EQ(CompareOk(base, same, {"capacity<-10%"}).exit_code(), 0);
  EXPECT_EQ(CompareOk(lower, base, {"capacity{phase:knee}<-10%"}).exit_code(), 0);
  // NEW found no capacity at all (the first step already missed): a regression.
  c = CompareOk(base, none, {"capacity<-10%"});
  EXPECT_EQ(c.rules[0].verdict, RuleOutcome::Verdict::kFail);
  EXPECT_NE(c.rules[0].reason.find("missing in NEW"), std::string::npos);
  EXPECT_NE(RenderCompareText(CompareOk(base, lower, {})).find("capacity"), std::string::npos);
  // A sweep that is not what the report writes is named.
  Sample broken = with_capacity(R"({"step": 3})");
  Result<ReportFigures> r = ParseReportFigures(broken.Json(), "new.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("new.json: sweeps[0].capacity.offered"), std::string::npos) << r.error();
}

TEST(Compare, ACheckThatPassedAndNowFailsAlwaysFails) {
  Sample base, failing;
  failing.sig_failed = 2;
  Comparison c = CompareOk(base, failing, {});
  EXPECT_EQ(c.exit_code(), 1);
  ASSERT_EQ(c.regressions.size(), 1u);
  EXPECT_NE(c.regressions[0].find("check SIG-TEXT passed in BASE"), std::string::npos);
  // Failing in both is no regression of NEW; fixed in NEW is an improvement.
  EXPECT_EQ(CompareOk(failing, failing, {}).exit_code(), 0);
  EXPECT_EQ(CompareOk(failing, base, {}).exit_code(), 0);
}

TEST(ReportFigures, RefusesUnusableInputClearly) {
  Sample v3;
  v3.schema_version = 3;
  Result<ReportFigures> r = ParseReportFigures(v3.Json(), "new.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("new.json: schema_version 3 is not one this teeharness reads (1, 2)"),
            std::string::npos)
      << r.error();
  const std::pair<std::string, const char*> cases[] = {
      {"not json", "x.json: not JSON"},
      {"{\"schema_version\": 1, \"phases\": []}", "not a teeharness report (no tool.name"},
      {R"({"tool": {"name": "teeharness"}, "phases": []})", "no integer schema_version"},
      {R"({"tool": {"name": "teeharness"}, "schema_version": 1})", "no phases array"},
      {R"({"tool": {"name": "teeharness"}, "schema_version": 1, "phases": [{"name": "a",
          "rate": "fast"}]})",
       "x.json: phases[0].rate is not a number"},
      {std::string(100000, '['), "nested too deeply"},
  };
  for (const auto& [text, message] : cases) {
    Result<ReportFigures> parsed = ParseReportFigures(text, "x.json");
    ASSERT_FALSE(parsed.ok()) << text.substr(0, 80);
    EXPECT_NE(parsed.error().find(message), std::string::npos) << parsed.error();
  }
  EXPECT_NE(ReadReportFigures("/nonexistent/r.json").error().find("cannot be read"),
            std::string::npos);
}

TEST(CompareRender, JsonIsOneObjectWithTheVerdict) {
  Sample base, worse;
  worse.chat_p95 = 0.5;
  const std::string text = RenderCompareJson(CompareOk(base, worse, {"p95(chat_seconds)>+10%"}));
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError()) << text;
  EXPECT_EQ(doc["exit_code"].GetInt(), 1);
  EXPECT_EQ(doc["regressions"].Size(), 1u);
  EXPECT_STREQ(doc["rules"][0]["result"].GetString(), "fail");
  EXPECT_STREQ(doc["phases"][1]["name"].GetString(), "chat");
  EXPECT_STREQ(doc["base"]["path"].GetString(), "base.json");
}

TEST(CompareRender, HtmlEscapesEveryReportString) {
  Sample hostile;
  hostile.phase_name = "<script>alert('x')</script>\xff\xfe";
  const std::string html = RenderCompareHtml(CompareOk(hostile, hostile, {}));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;\xEF\xBF\xBD\xEF\xBF\xBD"),
            std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // self-contained: no URL at all
  EXPECT_EQ(EscapeHtml("a&\"b\" \xC3\xA9 \xE2\x82"),
            "a&amp;&quot;b&quot; \xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(EscapeHtml("x\x01\x1by\xED\xA0\x80"),
            "xy\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
}

}  // namespace
}  // namespace teeharness::reports::compare
