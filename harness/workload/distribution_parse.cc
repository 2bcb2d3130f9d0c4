#include "harness/workload/distribution_parse.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include "harness/base/duration_parse.h"

namespace teeharness::workload {
namespace {

using Kind = Distribution::Kind;

Result<Kind> KindNamed(std::string_view name) {
  if (name == "constant") return Kind::kConstant;
  if (name == "uniform") return Kind::kUniform;
  if (name == "normal") return Kind::kNormal;
  if (name == "histogram") return Kind::kHistogram;
  return MakeError("dist: expected constant, uniform, normal or histogram, got \"", name, "\"");
}

Result<double> Number(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return MakeError("'", text, "' is not a number");
  }
  return value;
}

// A number, or with `durations` a duration in seconds.
Result<double> Amount(std::string_view text, bool durations) {
  if (!durations) return Number(text);
  Result<std::chrono::nanoseconds> d = ParseDurationText(text);
  if (!d.ok()) return Error{d.error()};
  return std::chrono::duration<double>(*d).count();
}

std::string JoinPath(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path[0] == '/' || base_dir.empty()) return path;
  return base_dir + (base_dir.back() == '/' ? "" : "/") + path;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == separator) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

Result<bool> Validated(const Distribution& d) { return ValidateDistribution(d); }

}  // namespace

Result<Distribution> ParseDistributionJson(const rapidjson::Value& value,
                                           const std::string& base_dir) {
  if (!value.IsObject()) return Error{"must be an object with \"dist\""};
  const auto dist = value.FindMember("dist");
  if (dist == value.MemberEnd() || !dist->value.IsString()) {
    return Error{"dist: missing (constant, uniform, normal or histogram)"};
  }
  Result<Kind> kind = KindNamed(dist->value.GetString());
  if (!kind.ok()) return Error{kind.error()};
  Distribution d;
  d.kind = *kind;
  auto number = [&](const char* name, bool required, double fallback) -> Result<double> {
    const auto m = value.FindMember(name);
    if (m == value.MemberEnd()) {
      if (required) return MakeError(name, ": missing for dist ", dist->value.GetString());
      return fallback;
    }
    if (!m->value.IsNumber()) return MakeError(name, ": must be a number");
    return m->value.GetDouble();
  };
  std::vector<std::pair<const char*, double*>> wanted;
  switch (d.kind) {
    case Kind::kConstant:
      wanted = {{"value", &d.value}};
      break;
    case Kind::kUniform:
      wanted = {{"min", &d.min}, {"max", &d.max}};
      break;
    case Kind::kNormal:
      wanted = {{"mean", &d.mean}, {"sd", &d.sd}};
      break;
    case Kind::kHistogram: {
      const auto file = value.FindMember("file");
      if (file == value.MemberEnd() || !file->value.IsString()) {
        return Error{"file: missing for dist histogram"};
      }
      Result<Distribution> loaded = LoadHistogramFile(JoinPath(base_dir, file->value.GetString()));
      if (!loaded.ok()) return Error{"file: " + loaded.error()};
      return loaded;
    }
  }
  for (auto [name, target] : wanted) {
    Result<double> v = number(name, true, 0);
    if (!v.ok()) return Error{v.error()};
    *target = *v;
  }
  if (d.kind == Kind::kNormal) {
    Result<double> low = number("min", false, 1);
    Result<double> high = number("max", false, 0);
    if (!low.ok()) return Error{low.error()};
    if (!high.ok()) return Error{high.error()};
    d.min = *low;
    d.max = *high;
  }
  if (Result<bool> ok = Validated(d); !ok.ok()) return Error{ok.error()};
  return d;
}

Result<Distribution> ParseDistributionText(std::string_view text, bool durations) {
  const std::vector<std::string_view> parts = Split(text, ':');
  Distribution d;
  // A bare amount is a constant.
  if (parts.size() == 1) {
    Result<double> v = Amount(parts[0], durations);
    if (!v.ok()) return Error{v.error()};
    d.value = *v;
    return d;
  }
  Result<Kind> kind = KindNamed(parts[0]);
  if (!kind.ok()) return Error{kind.error()};
  d.kind = *kind;
  if (d.kind == Kind::kHistogram) {
    Result<Distribution> loaded = LoadHistogramFile(std::string(text.substr(parts[0].size() + 1)));
    if (loaded.ok() && durations) return Error{"histogram: not available for durations"};
    return loaded;
  }
  std::vector<double> values;
  for (size_t i = 1; i < parts.size(); ++i) {
    Result<double> v = Amount(parts[i], durations);
    if (!v.ok()) return Error{v.error()};
    values.push_back(*v);
  }
  const size_t want = d.kind == Kind::kConstant ? 1 : 2;
  const bool normal_bounds = d.kind == Kind::kNormal && values.size() == 4;
  if (values.size() != want && !normal_bounds) {
    return MakeError("'", text, "': ", parts[0], " takes ",
                     d.kind == Kind::kConstant  ? "one value"
                     : d.kind == Kind::kUniform ? "MIN:MAX"
                                                : "MEAN:SD or MEAN:SD:MIN:MAX");
  }
  if (d.kind == Kind::kConstant) d.value = values[0];
  if (d.kind == Kind::kUniform) d.min = values[0], d.max = values[1];
  if (d.kind == Kind::kNormal) {
    d.mean = values[0];
    d.sd = values[1];
    d.min = normal_bounds ? values[2] : 0;
    d.max = normal_bounds ? values[3] : 0;
  }
  if (Result<bool> ok = Validated(d); !ok.ok()) return MakeError("'", text, "': ", ok.error());
  return d;
}

Result<Distribution> LoadHistogramFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return MakeError(path, ": cannot read the histogram file");
  // Bounded: a histogram is a few lines, and /dev/zero or a dataset given by mistake must not
  // take the loader's memory.
  std::string text(kMaxHistogramBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  if (text.size() > kMaxHistogramBytes) {
    return MakeError(path, ": larger than ", kMaxHistogramBytes, " bytes");
  }
  std::istringstream in(text);
  Distribution d;
  d.kind = Kind::kHistogram;
  d.histogram_file = path;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    std::string_view text = Trim(line);
    if (text.empty() || text[0] == '#') continue;
    std::vector<std::string_view> fields;
    for (std::string_view part :
         Split(text, text.find(',') != std::string_view::npos ? ',' : ' ')) {
      if (!Trim(part).empty()) fields.push_back(Trim(part));
    }
    if (fields.empty() || fields.size() > 2) {
      return MakeError(path, ":", number, ": expected \"VALUE WEIGHT\"");
    }
    Result<double> value = Number(fields[0]);
    Result<double> weight = fields.size() == 2 ? Number(fields[1]) : Result<double>(1.0);
    if (!value.ok() || *value < 0)
      return MakeError(path, ":", number, ": value: not a number >= 0");
    if (!weight.ok() || !(*weight > 0)) {
      return MakeError(path, ":", number, ": weight: not a number > 0");
    }
    d.buckets.emplace_back(*value, *weight);
  }
  if (d.buckets.empty()) return MakeError(path, ": no buckets");
  return d;
}

}  // namespace teeharness::workload
