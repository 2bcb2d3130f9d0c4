// Completion bodies, SSE event payloads, and the same bytes as a dataset line or request body.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/checks/error_checks.h"
#include "harness/protocol/chat.h"
#include "harness/protocol/sse_stream.h"
#include "harness/workload/dataset_record.h"
#include "harness/workload/prepared_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teeharness;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)protocol::ParseChatCompletion(input);
  workload::BodyDefaults defaults{"m", true, 8, true, "{\"temperature\":0}"};
  (void)workload::BuildPreparedBodyFromText(input, defaults);
  for (auto format :
       {workload::DatasetSpec::Format::kOpenAi, workload::DatasetSpec::Format::kShareGpt}) {
    rapidjson::Document request;
    if (workload::ParseDatasetLine(input, format, request).ok()) {
      (void)workload::BuildPreparedBody(request, defaults);
    }
  }
  protocol::ChatStreamAccumulator stream;
  const auto now = std::chrono::steady_clock::now();
  size_t start = 0;
  while (start <= input.size()) {
    const size_t end = input.find('\n', start);
    stream.OnEvent(input.substr(start, end == std::string_view::npos ? end : end - start), now);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  // The same bytes as an SSE stream, split at a data-dependent point.
  protocol::ChatStreamAccumulator from_sse;
  protocol::SseStream sse(
      [&from_sse](std::string_view data, protocol::SseStream::TimePoint t) {
        from_sse.OnEvent(data, t);
      },
      4096);
  const size_t split = size > 0 ? data[0] % (size + 1) : 0;
  sse.Feed(input.substr(0, split), now);
  sse.Feed(input.substr(split), now);
  (void)checks::CheckErrorShape(protocol::Dialect::kPhala,
                                {"fuzz", 400, "application/json", std::string(input)});
  return 0;
}
