#pragma once

#include <string>
#include <utility>
#include <vector>

namespace teeharness::reports::html {

// A line chart drawn as inline SVG, with no script and no external reference. Value types; the
// renderer is thread-safe (pure).

enum class AxisUnit { kCount, kSeconds, kRate };

struct ChartSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y); non-finite ones are skipped
  bool dashed = false;                            // e.g. the intended rate under the achieved one
};

struct ChartSpec {
  std::string title;
  std::string x_label = "seconds since the phase began";
  AxisUnit y_unit = AxisUnit::kCount;
  bool log_y = false;  // y <= 0 cannot be drawn on it and is skipped
  // Custom x ticks (position, label); empty: evenly spaced numbers.
  std::vector<std::pair<double, std::string>> x_ticks;
  std::vector<ChartSeries> series;
};

// The drawable points of `spec` (those a log axis can show), over every series.
size_t DrawablePoints(const ChartSpec& spec);

// `<figure class="chart">` holding an `<svg class="chart" data-points="N">`: a polyline per series
// (and a marker per point when there are few), axes with ticks, and a legend. Every text is
// escaped. A chart without drawable points says so in place of the plot (data-points="0").
std::string RenderChart(const ChartSpec& spec);

}  // namespace teeharness::reports::html
