#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "harness/base/result.h"
#include "reports/request_log/bounded_queue.h"
#include "reports/request_log/request_line.h"
#include "reports/request_log/request_log_summary.h"
#include "reports/request_log/request_record.h"

namespace teeharness::reports {

// `--requests-out FILE.jsonl`: one JSON line per request (request_line.h), written as the run
// goes by a writer thread of its own. The loop threads only Submit: a record is moved into a
// bounded queue, or dropped and counted when it is full, so a slow disk never stalls the event
// loop and memory stays bounded by the queue, not by the run. Thread-safe: Submit from any thread;
// Finish once, from the owner.
class RequestLog {
 public:
  static constexpr size_t kDefaultCapacity = 16384;

  // Opens (truncates) `path` and starts the writer, which writes what is queued every `poll` (or
  // once the queue is half full); an Error names the path when it cannot.
  static Result<std::unique_ptr<RequestLog>> Open(
      const std::string& path, size_t capacity = kDefaultCapacity,
      std::chrono::milliseconds poll = std::chrono::milliseconds(25));

  RequestLog(const RequestLog&) = delete;
  RequestLog& operator=(const RequestLog&) = delete;
  ~RequestLog();

  // Never blocks on the writer: false when the record was dropped (counted).
  bool Submit(RequestRecord&& record) { return queue_.TryPush(std::move(record)); }

  // Writes what is queued, stops the writer, closes the file. Later Submits are dropped.
  RequestLogSummary Finish();

 private:
  RequestLog(std::string path, std::FILE* file, size_t capacity, std::chrono::milliseconds poll);
  void WriteLoop();

  const std::string path_;
  std::FILE* file_;
  const WallClockAnchor anchor_ = WallClockAnchor::Now();
  BoundedQueue<RequestRecord> queue_;
  uint64_t lines_ = 0;  // writer thread until joined
  bool write_failed_ = false;
  bool finished_ = false;
  std::thread writer_;
};

}  // namespace teeharness::reports
