#include "reports/metrics_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace teeharness::reports {

size_t MetricShard() {
  static std::atomic<size_t> next{0};
  thread_local const size_t shard = next.fetch_add(1, std::memory_order_relaxed) % kMetricShards;
  return shard;
}

uint64_t CounterSeries::Value() const {
  uint64_t total = 0;
  for (const Cell& cell : cells_) total += cell.value.load(std::memory_order_relaxed);
  return total;
}

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> kBounds = [] {
    std::vector<double> bounds;
    for (int k = -34; k <= 14; ++k) bounds.push_back(std::pow(2.0, k / 2.0));
    return bounds;
  }();
  return kBounds;
}

HistogramSeries::HistogramSeries(const std::vector<double>* bounds) : bounds_(bounds) {
  for (Cell& cell : cells_) {
    cell.buckets.reset(new std::atomic<uint64_t>[bounds_->size() + 1]);
    for (size_t i = 0; i <= bounds_->size(); ++i) cell.buckets[i].store(0);
  }
}

HistogramSeries::~HistogramSeries() {
  for (Cell& cell : cells_) delete[] cell.fine.load(std::memory_order_acquire);
}

std::atomic<uint64_t>* HistogramSeries::FineBuckets(Cell& cell) {
  std::atomic<uint64_t>* fine = cell.fine.load(std::memory_order_acquire);
  if (fine != nullptr) return fine;
  auto* fresh = new std::atomic<uint64_t>[LatencyHistogram::BucketCount()];
  for (size_t i = 0; i < LatencyHistogram::BucketCount(); ++i) fresh[i].store(0);
  // Two threads sharing a shard may race to allocate: the loser frees its copy.
  if (cell.fine.compare_exchange_strong(fine, fresh, std::memory_order_acq_rel)) return fresh;
  delete[] fresh;
  return fine;
}

void HistogramSeries::Observe(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  const auto it = std::lower_bound(bounds_->begin(), bounds_->end(), seconds);  // le is inclusive
  const uint64_t nanos = LatencyHistogram::ToNanos(seconds);
  Cell& cell = cells_[MetricShard()];
  cell.buckets[static_cast<size_t>(it - bounds_->begin())].fetch_add(1, std::memory_order_relaxed);
  FineBuckets(cell)[LatencyHistogram::Index(nanos)].fetch_add(1, std::memory_order_relaxed);
  cell.count.fetch_add(1, std::memory_order_relaxed);
  cell.sum_nanos.fetch_add(nanos, std::memory_order_relaxed);
  uint64_t seen = cell.max_nanos.load(std::memory_order_relaxed);
  while (nanos > seen &&
         !cell.max_nanos.compare_exchange_weak(seen, nanos, std::memory_order_relaxed)) {
  }
  seen = cell.min_nanos.load(std::memory_order_relaxed);
  while (nanos < seen &&
         !cell.min_nanos.compare_exchange_weak(seen, nanos, std::memory_order_relaxed)) {
  }
}

LatencyHistogram HistogramSeries::Detail() const {
  std::vector<uint64_t> buckets(LatencyHistogram::BucketCount(), 0);
  long double sum_nanos = 0;
  uint64_t min_nanos = UINT64_MAX, max_nanos = 0;
  for (const Cell& cell : cells_) {
    const std::atomic<uint64_t>* fine = cell.fine.load(std::memory_order_acquire);
    if (fine == nullptr) continue;
    for (size_t i = 0; i < buckets.size(); ++i)
      buckets[i] += fine[i].load(std::memory_order_relaxed);
    sum_nanos += cell.sum_nanos.load(std::memory_order_relaxed);
    min_nanos = std::min(min_nanos, cell.min_nanos.load(std::memory_order_relaxed));
    max_nanos = std::max(max_nanos, cell.max_nanos.load(std::memory_order_relaxed));
  }
  return LatencyHistogram::FromBuckets(std::move(buckets), sum_nanos, min_nanos, max_nanos);
}

HistogramSeries::Snapshot HistogramSeries::Read() const {
  Snapshot snapshot;
  snapshot.cumulative.assign(bounds_->size() + 1, 0);
  uint64_t sum_nanos = 0;
  for (const Cell& cell : cells_) {
    for (size_t i = 0; i <= bounds_->size(); ++i) {
      snapshot.cumulative[i] += cell.buckets[i].load(std::memory_order_relaxed);
    }
    sum_nanos += cell.sum_nanos.load(std::memory_order_relaxed);
  }
  for (size_t i = 1; i < snapshot.cumulative.size(); ++i)
    snapshot.cumulative[i] += snapshot.cumulative[i - 1];
  // The count is the +Inf bucket, so the exposition is consistent even while workers record.
  snapshot.count = snapshot.cumulative.back();
  snapshot.sum = sum_nanos * 1e-9;
  return snapshot;
}

MetricFamily::MetricFamily(std::string name, std::string help, MetricType type,
                           std::vector<std::string> labels)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(labels)) {}

MetricFamily::Series& MetricFamily::Get(const Labels& values) {
  std::lock_guard lock(mutex_);
  Series& series = series_[values];
  if (!series.counter && !series.gauge && !series.histogram) {
    switch (type_) {
      case MetricType::kCounter:
        series.counter = std::make_unique<CounterSeries>();
        break;
      case MetricType::kGauge:
        series.gauge = std::make_unique<GaugeSeries>();
        break;
      case MetricType::kHistogram:
        series.histogram = std::make_unique<HistogramSeries>(&LatencyBuckets());
        break;
    }
  }
  return series;
}

CounterSeries* MetricFamily::Counter(const Labels& values) { return Get(values).counter.get(); }
GaugeSeries* MetricFamily::Gauge(const Labels& values) { return Get(values).gauge.get(); }
HistogramSeries* MetricFamily::Histogram(const Labels& values) {
  return Get(values).histogram.get();
}

MetricFamily* MetricsRegistry::Add(std::string name, std::string help, MetricType type,
                                   std::vector<std::string> labels) {
  std::lock_guard lock(mutex_);
  families_.push_back(
      std::make_unique<MetricFamily>(std::move(name), std::move(help), type, std::move(labels)));
  return families_.back().get();
}

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

std::string LabelText(const std::vector<std::string>& names, const Labels& values,
                      const std::string& extra_name = "", const std::string& extra_value = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    out += (out.empty() ? "" : ",") + names[i] + "=\"" + EscapeLabelValue(values[i]) + "\"";
  }
  if (!extra_name.empty())
    out += (out.empty() ? "" : ",") + extra_name + "=\"" + extra_value + "\"";
  return out.empty() ? "" : "{" + out + "}";
}

// HELP text escaping: backslash and newline.
std::string EscapeHelp(const std::string& help) {
  std::string out;
  for (char c : help) out += c == '\\' ? "\\\\" : (c == '\n' ? "\\n" : std::string(1, c));
  return out;
}

}  // namespace

std::string MetricsRegistry::Render(bool openmetrics) const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& family : families_) {
    const std::string& name = family->name();
    const char* type = family->type() == MetricType::kCounter ? "counter"
                       : family->type() == MetricType::kGauge ? "gauge"
                                                              : "histogram";
    // OpenMetrics names a counter family without its _total suffix.
    std::string family_name = name;
    if (openmetrics && family->type() == MetricType::kCounter && name.size() > 6 &&
        name.compare(name.size() - 6, 6, "_total") == 0) {
      family_name = name.substr(0, name.size() - 6);
    }
    out += "# HELP " + family_name + " " + EscapeHelp(family->help()) + "\n";
    out += "# TYPE " + family_name + " " + type + "\n";
    const auto& names = family->label_names();
    family->ForEach([&](const Labels& labels, const MetricFamily::Series& series) {
      if (series.counter) {
        out +=
            name + LabelText(names, labels) + " " + std::to_string(series.counter->Value()) + "\n";
      } else if (series.gauge) {
        out +=
            name + LabelText(names, labels) + " " + FormatMetricValue(series.gauge->Value()) + "\n";
      } else if (series.histogram) {
        const HistogramSeries::Snapshot s = series.histogram->Read();
        const auto& bounds = series.histogram->bounds();
        for (size_t i = 0; i < bounds.size(); ++i) {
          out += name + "_bucket" + LabelText(names, labels, "le", FormatMetricValue(bounds[i])) +
                 " " + std::to_string(s.cumulative[i]) + "\n";
        }
        out += name + "_bucket" + LabelText(names, labels, "le", "+Inf") + " " +
               std::to_string(s.count) + "\n";
        out += name + "_sum" + LabelText(names, labels) + " " + FormatMetricValue(s.sum) + "\n";
        out += name + "_count" + LabelText(names, labels) + " " + std::to_string(s.count) + "\n";
      }
    });
  }
  if (openmetrics) out += "# EOF\n";
  return out;
}

std::string MetricsRegistry::RenderPrometheus() const { return Render(false); }
std::string MetricsRegistry::RenderOpenMetrics() const { return Render(true); }

}  // namespace teeharness::reports
