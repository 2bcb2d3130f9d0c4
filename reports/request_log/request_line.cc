#include "reports/request_log/request_line.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdio>

namespace teeharness::reports {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void OptionalUint(Writer& w, const char* key, const std::optional<uint64_t>& value) {
  w.Key(key);
  if (value) {
    w.Uint64(*value);
  } else {
    w.Null();
  }
}

}  // namespace

double WallClockAnchor::UnixSeconds(std::chrono::steady_clock::time_point t) const {
  const auto wall_at =
      wall + std::chrono::duration_cast<std::chrono::system_clock::duration>(t - steady);
  return std::chrono::duration<double>(wall_at.time_since_epoch()).count();
}

void AppendRequestLine(const RequestRecord& r, const WallClockAnchor& anchor, std::string& out) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("phase");
  w.String(r.phase);
  w.Key("op");
  w.String(r.op);
  w.Key("worker");
  w.Uint(r.worker);
  w.Key("iteration");
  w.Uint64(r.iteration);
  for (const auto& [key, t] : {std::pair{"intended", r.intended}, std::pair{"start", r.start},
                               std::pair{"first_byte", r.first_byte}, std::pair{"end", r.end}}) {
    // Microseconds, fixed-point: what the steady clock resolves usefully (RapidJSON's Double
    // would print up to 17 digits).
    char number[32];
    const int n = std::snprintf(number, sizeof(number), "%.6f", anchor.UnixSeconds(t));
    w.Key(key);
    w.RawValue(number, static_cast<size_t>(n), rapidjson::kNumberType);
  }
  w.Key("status");
  w.Int64(r.status);
  w.Key("bytes");
  w.Uint64(r.bytes);
  w.Key("chat_id");
  if (r.chat_id.empty()) {
    w.Null();
  } else {
    w.String(r.chat_id);
  }
  w.Key("ttft_seconds");
  if (r.ttft_seconds && std::isfinite(*r.ttft_seconds)) {
    w.Double(*r.ttft_seconds);
  } else {
    w.Null();
  }
  w.Key("tokens");
  w.StartObject();
  OptionalUint(w, "prompt", r.prompt_tokens);
  OptionalUint(w, "completion", r.completion_tokens);
  w.Key("estimated");
  w.Bool(r.tokens_estimated);
  w.EndObject();
  w.Key("error");
  if (r.error.empty()) {
    w.Null();
  } else {
    w.String(r.error);
  }
  w.Key("failed_checks");
  w.StartArray();
  for (const std::string& id : r.failed_checks) w.String(id);
  w.EndArray();
  w.EndObject();
  out.append(buffer.GetString(), buffer.GetSize());
  out += '\n';
}

}  // namespace teeharness::reports
