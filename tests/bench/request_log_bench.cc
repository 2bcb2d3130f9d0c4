// --requests-out (issue 14): what one request's line costs, as the CPU of the whole process (the
// loop thread's Submit and the writer thread's rendering and write), next to the ~40 us of harness
// CPU a verified chat's request takes (engine_throughput.sh): the line must stay far below 5% of
// it.
#include <benchmark/benchmark.h>

#include <string>

#include "reports/request_log/request_line.h"
#include "reports/request_log/request_log.h"

namespace {

using namespace teeharness::reports;

RequestRecord ChatRecord() {
  RequestRecord r;
  r.phase = "chat";
  r.op = "signature";
  r.worker = 0;
  r.iteration = 12345;
  r.intended = r.start = r.first_byte = r.end = std::chrono::steady_clock::now();
  r.status = 200;
  r.bytes = 373;
  r.chat_id = "chatcmpl-28e93bf53a2cf982680638f788202e9d";
  r.completion_tokens = 16;
  return r;
}

// The writer thread's part alone: rendering one line.
void BM_AppendRequestLine(benchmark::State& state) {
  const RequestRecord record = ChatRecord();
  const WallClockAnchor anchor = WallClockAnchor::Now();
  std::string out;
  for (auto _ : state) {
    out.clear();
    AppendRequestLine(record, anchor, out);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_AppendRequestLine);

// Everything a request adds: building its record (the chat id copied as the flows do), Submit,
// and the writer thread rendering and writing it to /dev/null, until Finish has written the last
// line. Process CPU time, so the writer's share counts too; 10,000 records fit the default queue,
// so none is dropped. `per_request` is the CPU per record.
void BM_SubmitAndWrite(benchmark::State& state) {
  constexpr int kRecords = 10'000;
  const RequestRecord proto = ChatRecord();
  uint64_t dropped = 0;
  for (auto _ : state) {
    auto log = RequestLog::Open("/dev/null");
    for (int i = 0; i < kRecords; ++i) {
      RequestRecord r;
      r.phase = proto.phase;
      r.op = proto.op;
      r.chat_id = proto.chat_id;
      r.intended = r.start = r.first_byte = r.end = proto.end;
      r.status = 200;
      r.bytes = 373;
      (*log)->Submit(std::move(r));
    }
    dropped += (*log)->Finish().dropped;
  }
  state.counters["per_request"] = benchmark::Counter(
      kRecords, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.counters["dropped"] = static_cast<double>(dropped);
}
BENCHMARK(BM_SubmitAndWrite)->MeasureProcessCPUTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
