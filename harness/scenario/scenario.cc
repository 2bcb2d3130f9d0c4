#include "harness/scenario/scenario.h"

#include <array>
#include <charconv>
#include <cmath>

namespace teeharness::scenario {
namespace {

constexpr std::array<std::string_view, 18> kMetrics = {"attest_seconds",
                                                       "chat_seconds",
                                                       "signature_seconds",
                                                       "verify_seconds",
                                                       "time_to_first_token_seconds",
                                                       "signature_ready_seconds",
                                                       "schedule_lag_seconds",
                                                       "check_failures",
                                                       "requests",
                                                       "errors",
                                                       "retries",
                                                       "dropped",
                                                       "time_per_output_token_seconds",
                                                       "output_tokens_per_second",
                                                       "prompt_tokens",
                                                       "completion_tokens",
                                                       "goodput",
                                                       "verified_goodput"};

Result<double> Number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return MakeError("'", text, "' is not a number");
  }
  return value;
}

// Share `total` among `count` instances: instance `index` (1-based) gets its part of the remainder.
uint64_t Share(uint64_t total, unsigned index, unsigned count) {
  return total / count + (index <= total % count ? 1 : 0);
}

}  // namespace

bool IsThresholdMetric(const std::string& metric) {
  for (std::string_view known : kMetrics) {
    if (known == metric) return true;
  }
  return false;
}

Result<Threshold> ParseThresholdExpression(const std::string& expression) {
  Threshold t;
  t.expression = expression;
  size_t op = expression.find_first_of("<>=!");
  if (op == std::string::npos)
    return MakeError("'", expression, "': no comparator (<, <=, >, >=, ==, !=)");
  const std::string head = expression.substr(0, op);
  std::string_view rest = std::string_view(expression).substr(op);
  struct Op {
    std::string_view text;
    Comparator comparator;
  };
  static constexpr Op kOps[] = {{"<=", Comparator::kLessEqual}, {">=", Comparator::kGreaterEqual},
                                {"==", Comparator::kEqual},     {"!=", Comparator::kNotEqual},
                                {"<", Comparator::kLess},       {">", Comparator::kGreater}};
  bool matched = false;
  for (const Op& candidate : kOps) {
    if (rest.substr(0, candidate.text.size()) == candidate.text) {
      t.comparator = candidate.comparator;
      rest.remove_prefix(candidate.text.size());
      matched = true;
      break;
    }
  }
  if (!matched) return MakeError("'", expression, "': unknown comparator");
  Result<double> value = Number(rest);
  if (!value.ok()) return MakeError("'", expression, "': ", value.error());
  t.value = *value;
  if (head.size() > 3 && head.substr(0, 2) == "p(" && head.back() == ')') {
    Result<double> percentile = Number(std::string_view(head).substr(2, head.size() - 3));
    if (!percentile.ok() || *percentile < 0 || *percentile > 100) {
      return MakeError("'", expression, "': p(N) needs 0 <= N <= 100");
    }
    t.aggregate = Aggregate::kPercentile;
    t.parameter = *percentile;
  } else if (head == "avg") {
    t.aggregate = Aggregate::kAvg;
  } else if (head == "min") {
    t.aggregate = Aggregate::kMin;
  } else if (head == "max") {
    t.aggregate = Aggregate::kMax;
  } else if (head == "med") {
    t.aggregate = Aggregate::kMed;
  } else if (head == "count") {
    t.aggregate = Aggregate::kCount;
  } else if (head == "rate") {
    t.aggregate = Aggregate::kRate;
  } else {
    return MakeError("'", expression, "': unknown aggregate '", head,
                     "' (p(N), avg, med, min, max, count, rate)");
  }
  return t;
}

bool Holds(const Threshold& t, double observed) {
  switch (t.comparator) {
    case Comparator::kLess:
      return observed < t.value;
    case Comparator::kLessEqual:
      return observed <= t.value;
    case Comparator::kGreater:
      return observed > t.value;
    case Comparator::kGreaterEqual:
      return observed >= t.value;
    case Comparator::kEqual:
      return observed == t.value;
    case Comparator::kNotEqual:
      return observed != t.value;
  }
  return false;
}

void ApplySegment(Scenario& scenario, unsigned index, unsigned count) {
  if (count <= 1) return;
  for (PhaseSpec& phase : scenario.phases) {
    if (!phase.action.empty()) continue;
    phase.concurrency = static_cast<unsigned>(Share(phase.concurrency, index, count));
    if (phase.iterations) phase.iterations = Share(*phase.iterations, index, count);
    phase.samples = static_cast<unsigned>(Share(phase.samples, index, count));
    phase.max_in_flight = std::max<uint64_t>(1, Share(phase.max_in_flight, index, count));
    for (RateStageSpec& stage : phase.stages) {
      stage.from /= count;
      stage.to /= count;
    }
  }
}

}  // namespace teeharness::scenario
