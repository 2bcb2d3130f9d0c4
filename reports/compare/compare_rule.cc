#include "reports/compare/compare_rule.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

namespace teeharness::reports::compare {
namespace {

constexpr std::array<std::string_view, 6> kAggregates = {"p50", "p90", "p95", "p99", "mean", "max"};
constexpr std::array<std::string_view, 10> kCounters = {"rate",
                                                        "errors",
                                                        "dropped",
                                                        "requests",
                                                        "failed",
                                                        "check_failures",
                                                        "output_tokens_per_second",
                                                        "goodput",
                                                        "verified_goodput",
                                                        "capacity"};

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::string_view n : names) {
    if (n == name) return true;
  }
  return false;
}

template <size_t N>
std::string Listed(const std::array<std::string_view, N>& names) {
  std::string out;
  for (std::string_view n : names) out += (out.empty() ? "" : " ") + std::string(n);
  return out;
}

// A cursor over the rule text; every error carries the rule and the column where it arose.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  void SkipSpaces() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool AtEnd() {
    SkipSpaces();
    return pos_ >= text_.size();
  }
  char Peek() {
    SkipSpaces();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  bool Take(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  // [A-Za-z0-9_.-]+ (a phase name may hold '.' and '-'; metric names never do).
  std::string_view Word(bool phase_name = false) {
    SkipSpaces();
    const size_t start = pos_;
    while (pos_ < text_.size()) {
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (!std::isalnum(c) && c != '_' && !(phase_name && (c == '.' || c == '-'))) break;
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }
  size_t column() const { return pos_ + 1; }
  size_t pos() const { return pos_; }
  void set_pos(size_t pos) { pos_ = pos; }
  std::string_view rest() const { return text_.substr(pos_); }
  void Advance(size_t n) { pos_ += n; }

  template <typename... Parts>
  Error Fail(size_t column, const Parts&... parts) const {
    return MakeError("\"", text_, "\" at column ", column, ": ", parts...);
  }
  // What stands at the cursor, for messages.
  std::string Found() const {
    if (pos_ >= text_.size()) return "the end";
    return "\"" + std::string(text_.substr(pos_, 1)) + "\"";
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

Result<bool> ParseMetric(Cursor& in, CompareRule& rule) {
  const size_t column = in.column();
  const std::string name(in.Word());
  if (name.empty()) {
    return in.Fail(column, "expected a metric (", Listed(kCounters),
                   ", or AGG(OP_seconds)), found ", in.Found());
  }
  if (!in.Take('(')) {
    if (OneOf(kAggregates, name)) {
      return in.Fail(in.column(), "expected \"(\" after ", name, ", found ", in.Found());
    }
    if (!OneOf(kCounters, name)) {
      return in.Fail(column, "unknown metric \"", name, "\" (one of ", Listed(kCounters),
                     ", or AGG(OP_seconds))");
    }
    rule.metric = name;
    return true;
  }
  if (!OneOf(kAggregates, name)) {
    return in.Fail(column, "unknown aggregate \"", name, "\" (one of ", Listed(kAggregates), ")");
  }
  const size_t op_column = in.column();
  const std::string latency(in.Word());
  constexpr std::string_view kSuffix = "_seconds";
  if (latency.size() <= kSuffix.size() ||
      latency.compare(latency.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    return in.Fail(op_column,
                   "expected a latency metric OP_seconds (chat_seconds, "
                   "attest_seconds, ...), found ",
                   latency.empty() ? in.Found() : "\"" + latency + "\"");
  }
  if (!in.Take(')')) return in.Fail(in.column(), "expected \")\", found ", in.Found());
  const std::string op = latency == "time_to_first_token_seconds"
                             ? "ttft"
                             : latency.substr(0, latency.size() - kSuffix.size());
  rule.metric = LatencyFigureName(name, op);
  return true;
}

Result<bool> ParseScope(Cursor& in, CompareRule& rule) {
  if (!in.Take('{')) return true;
  const size_t column = in.column();
  if (in.Word() != "phase" || !in.Take(':')) {
    in.set_pos(column - 1);
    return in.Fail(column, "expected phase:NAME inside {}, found ", in.Found());
  }
  const size_t name_column = in.column();
  rule.phase = std::string(in.Word(/*phase_name=*/true));
  if (rule.phase.empty()) return in.Fail(name_column, "expected a phase name, found ", in.Found());
  if (!in.Take('}')) return in.Fail(in.column(), "expected \"}\", found ", in.Found());
  return true;
}

Result<bool> ParseChange(Cursor& in, CompareRule& rule) {
  const size_t op_column = in.column();
  if (in.Take('>')) {
    rule.greater = true;
  } else if (in.Take('<')) {
    rule.greater = false;
  } else {
    return in.Fail(op_column, "expected \">\" or \"<\", found ", in.Found());
  }
  if (in.Peek() == '=') {
    return in.Fail(in.column(), "only > and < are rules (the limit itself passes)");
  }
  const size_t sign_column = in.column();
  double sign = 0;
  if (in.Take('+')) {
    sign = 1;
  } else if (in.Take('-')) {
    sign = -1;
  } else {
    return in.Fail(sign_column, "expected a signed change (+10%, -5%, +0), found ", in.Found());
  }
  in.SkipSpaces();
  const size_t number_column = in.column();
  const std::string_view rest = in.rest();
  double value = 0;
  const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
  // from_chars takes no sign of its own here: the sign was read above.
  if (ec != std::errc() || end == rest.data() || !std::isfinite(value) || value < 0 ||
      rest.front() == '+' || rest.front() == '-') {
    return in.Fail(number_column, "expected a number, found ", in.Found());
  }
  in.Advance(static_cast<size_t>(end - rest.data()));
  rule.change = sign * value;
  rule.percent = in.Take('%');
  if (!in.AtEnd()) return in.Fail(in.column(), "unexpected ", in.Found(), " after the change");
  return true;
}

}  // namespace

std::string LatencyFigureName(std::string_view aggregate, std::string_view op) {
  return std::string(aggregate) + "(" + std::string(op) + "_seconds)";
}

Result<CompareRule> ParseCompareRule(std::string_view text) {
  CompareRule rule;
  rule.text = std::string(text);
  Cursor in(text);
  if (in.AtEnd()) return MakeError("\"", text, "\": empty rule");
  for (auto step : {ParseMetric, ParseScope, ParseChange}) {
    if (Result<bool> ok = step(in, rule); !ok.ok()) return Error{ok.error()};
  }
  return rule;
}

}  // namespace teeharness::reports::compare
