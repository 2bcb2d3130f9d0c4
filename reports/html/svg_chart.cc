#include "reports/html/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "reports/html/html_escape.h"
#include "reports/html/number_format.h"

namespace teeharness::reports::html {
namespace {

constexpr double kWidth = 640, kHeight = 280;
constexpr double kLeft = 70, kRight = 16, kTop = 16, kBottom = 62;
constexpr double kPlotWidth = kWidth - kLeft - kRight, kPlotHeight = kHeight - kTop - kBottom;
// Per-point markers (with a hover title) only for short series: a long phase stays light.
constexpr size_t kMaxMarkers = 120;
// Colour-blind-safe palette (Okabe-Ito).
// A saved report is untrusted: its numbers may be anything finite. Ticks are bounded in number,
// and a log axis spans at most kMaxDecades decades, ending at its largest value.
constexpr int kMaxTicks = 24;
constexpr double kMaxDecades = 12;
constexpr const char* kColors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                   "#E69F00", "#56B4E9", "#000000", "#F0E442"};

bool Drawable(const ChartSpec& spec, double x, double y) {
  return std::isfinite(x) && std::isfinite(y) && (!spec.log_y || y > 0);
}

struct Range {
  double low = std::numeric_limits<double>::infinity();
  double high = -std::numeric_limits<double>::infinity();
  void Add(double v) {
    low = std::min(low, v);
    high = std::max(high, v);
  }
};

// A 1, 2 or 5 times a power of ten near range/target (1 for a span that is not a positive finite
// number).
double NiceStep(double span, int target) {
  const double raw = span / target;
  if (!(raw > 0) || !std::isfinite(raw)) return 1;
  const double power = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (raw <= m * power) return m * power;
  }
  return 10 * power;
}

// Ticks at multiples of a nice step within [low, high], at most kMaxTicks of them (a span too
// small for the magnitude, where adding the step changes nothing, gets the ends only).
void AddLinearTicks(double low, double high, int target, std::vector<double>& ticks) {
  const double step = NiceStep(high - low, target);
  const double first = std::ceil(low / step) * step;
  for (int k = 0; k < kMaxTicks; ++k) {
    const double v = first + k * step;
    if (!std::isfinite(v) || v > high + step / 1000) break;
    if (!ticks.empty() && v <= ticks.back()) {
      ticks = {low, high};
      return;
    }
    ticks.push_back(v);
  }
}

std::string FormatTick(double value, AxisUnit unit) {
  switch (unit) {
    case AxisUnit::kSeconds:
      return FormatSeconds(value);
    case AxisUnit::kRate:
      return FormatNumber(value) + "/s";
    case AxisUnit::kCount:
      break;
  }
  return FormatNumber(value);
}

// Maps data to pixels, linear or log10 on y.
struct Scale {
  Range x, y;
  bool log_y;
  double X(double v) const {
    const double span = x.high - x.low;
    return kLeft + (span > 0 ? (v - x.low) / span : 0.5) * kPlotWidth;
  }
  double Y(double v) const {
    const double value = log_y ? std::log10(std::max(v, y.low)) : v;
    const double low = log_y ? std::log10(y.low) : y.low;
    const double high = log_y ? std::log10(y.high) : y.high;
    const double span = high - low;
    return kTop + kPlotHeight - (span > 0 ? (value - low) / span : 0.5) * kPlotHeight;
  }
};

Scale ScaleOf(const ChartSpec& spec) {
  Scale scale{{}, {}, spec.log_y};
  for (const ChartSeries& s : spec.series) {
    for (const auto& [x, y] : s.points) {
      if (!Drawable(spec, x, y)) continue;
      scale.x.Add(x);
      scale.y.Add(y);
    }
  }
  for (const auto& [x, label] : spec.x_ticks) scale.x.Add(x);
  if (spec.log_y) {
    // Whole decades around the data (points below the lowest one are drawn at the axis).
    const double high = std::ceil(std::log10(scale.y.high));
    const double low = std::max(std::floor(std::log10(scale.y.low)), high - kMaxDecades);
    scale.y.low = std::pow(10, low);
    scale.y.high = std::pow(10, std::max(high, low + 1));
  } else {
    scale.y.low = std::min(0.0, scale.y.low);  // counts and rates start at zero
    if (scale.y.high <= scale.y.low) scale.y.high = scale.y.low + 1;
    const double step = NiceStep(scale.y.high - scale.y.low, 5);
    const double rounded = std::ceil(scale.y.high / step) * step;
    if (std::isfinite(rounded)) scale.y.high = rounded;
  }
  if (scale.x.high <= scale.x.low) scale.x.high = scale.x.low + 1;
  return scale;
}

void Text(std::string& out, double x, double y, const std::string& anchor, const std::string& text,
          const std::string& extra = "") {
  out += "<text x=\"" + FormatCoordinate(x) + "\" y=\"" + FormatCoordinate(y) +
         "\" text-anchor=\"" + anchor + "\"" + extra + ">" + EscapeHtml(text) + "</text>";
}

void Line(std::string& out, double x1, double y1, double x2, double y2, const char* cls) {
  out += "<line class=\"" + std::string(cls) + "\" x1=\"" + FormatCoordinate(x1) + "\" y1=\"" +
         FormatCoordinate(y1) + "\" x2=\"" + FormatCoordinate(x2) + "\" y2=\"" +
         FormatCoordinate(y2) + "\"/>";
}

void YAxis(std::string& out, const ChartSpec& spec, const Scale& scale) {
  std::vector<double> ticks;
  if (spec.log_y) {
    const int decades = static_cast<int>(std::lround(std::log10(scale.y.high / scale.y.low)));
    const int every = decades / kMaxTicks + 1;
    for (int k = 0; k <= decades; k += every) {
      ticks.push_back(scale.y.low * std::pow(10, k));
    }
  } else {
    AddLinearTicks(scale.y.low, scale.y.high, 5, ticks);
  }
  for (double v : ticks) {
    const double y = scale.Y(v);
    Line(out, kLeft, y, kLeft + kPlotWidth, y, "grid");
    Text(out, kLeft - 6, y + 4, "end", FormatTick(v, spec.y_unit));
  }
}

void XAxis(std::string& out, const ChartSpec& spec, const Scale& scale) {
  std::vector<std::pair<double, std::string>> ticks = spec.x_ticks;
  if (ticks.empty()) {
    std::vector<double> values;
    AddLinearTicks(scale.x.low, scale.x.high, 6, values);
    for (double v : values) ticks.emplace_back(v, FormatNumber(v));
  }
  const double bottom = kTop + kPlotHeight;
  for (const auto& [v, label] : ticks) {
    const double x = scale.X(v);
    Line(out, x, bottom, x, bottom + 4, "axis");
    Text(out, x, bottom + 16, "middle", label);
  }
  Line(out, kLeft, bottom, kLeft + kPlotWidth, bottom, "axis");
  Line(out, kLeft, kTop, kLeft, bottom, "axis");
  Text(out, kLeft + kPlotWidth / 2, bottom + 32, "middle", spec.x_label, " class=\"label\"");
}

void Legend(std::string& out, const ChartSpec& spec) {
  double x = kLeft;
  const double y = kHeight - 10;
  for (size_t i = 0; i < spec.series.size(); ++i) {
    const char* color = kColors[i % std::size(kColors)];
    out += "<rect x=\"" + FormatCoordinate(x) + "\" y=\"" + FormatCoordinate(y - 9) +
           "\" width=\"10\" height=\"10\" fill=\"" + color + "\"/>";
    Text(out, x + 14, y, "start", spec.series[i].name);
    x += 24 + 7.0 * static_cast<double>(std::min<size_t>(spec.series[i].name.size(), 40));
  }
}

void Series(std::string& out, const ChartSpec& spec, const Scale& scale, const ChartSeries& s,
            const char* color) {
  std::string points;
  size_t drawn = 0;
  for (const auto& [x, y] : s.points) {
    if (!Drawable(spec, x, y)) continue;
    if (!points.empty()) points += ' ';
    points += FormatCoordinate(scale.X(x)) + "," + FormatCoordinate(scale.Y(y));
    ++drawn;
  }
  if (drawn == 0) return;
  out += "<polyline class=\"series\" fill=\"none\" stroke=\"" + std::string(color) +
         "\" stroke-width=\"1.6\"" + (s.dashed ? " stroke-dasharray=\"5 3\"" : "") +
         " data-points=\"" + std::to_string(drawn) + "\" points=\"" + points + "\"/>";
  if (drawn > kMaxMarkers) return;
  for (const auto& [x, y] : s.points) {
    if (!Drawable(spec, x, y)) continue;
    out += "<circle class=\"point\" r=\"2.5\" fill=\"" + std::string(color) + "\" cx=\"" +
           FormatCoordinate(scale.X(x)) + "\" cy=\"" + FormatCoordinate(scale.Y(y)) + "\"><title>" +
           EscapeHtml(s.name) + ": " + EscapeHtml(FormatTick(y, spec.y_unit)) + " at " +
           FormatNumber(x) + "</title></circle>";
  }
}

}  // namespace

size_t DrawablePoints(const ChartSpec& spec) {
  size_t n = 0;
  for (const ChartSeries& s : spec.series) {
    for (const auto& [x, y] : s.points) n += Drawable(spec, x, y) ? 1 : 0;
  }
  return n;
}

std::string RenderChart(const ChartSpec& spec) {
  const size_t points = DrawablePoints(spec);
  std::string out = "<figure class=\"chart\"><figcaption>" + EscapeHtml(spec.title) +
                    "</figcaption><svg class=\"chart\" "
                    "viewBox=\"0 0 640 280\" role=\"img\" data-points=\"" +
                    std::to_string(points) + "\">";
  if (points == 0) {
    Text(out, kWidth / 2, kHeight / 2, "middle", "no data", " class=\"label\"");
  } else {
    const Scale scale = ScaleOf(spec);
    YAxis(out, spec, scale);
    XAxis(out, spec, scale);
    for (size_t i = 0; i < spec.series.size(); ++i) {
      Series(out, spec, scale, spec.series[i], kColors[i % std::size(kColors)]);
    }
    Legend(out, spec);
  }
  out += "</svg></figure>\n";
  return out;
}

}  // namespace teeharness::reports::html
