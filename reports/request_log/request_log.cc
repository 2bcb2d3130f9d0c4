#include "reports/request_log/request_log.h"

#include <cerrno>
#include <cstring>

namespace teeharness::reports {

Result<std::unique_ptr<RequestLog>> RequestLog::Open(const std::string& path, size_t capacity,
                                                     std::chrono::milliseconds poll) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return MakeError("--requests-out ", path, ": cannot be written (", std::strerror(errno), ")");
  }
  return std::unique_ptr<RequestLog>(new RequestLog(path, file, capacity, poll));
}

RequestLog::RequestLog(std::string path, std::FILE* file, size_t capacity,
                       std::chrono::milliseconds poll)
    : path_(std::move(path)),
      file_(file),
      queue_(capacity, poll),
      writer_([this] { WriteLoop(); }) {}

RequestLog::~RequestLog() { Finish(); }

void RequestLog::WriteLoop() {
  std::vector<RequestRecord> batch;
  std::string text;
  while (queue_.TakeAll(batch)) {
    if (batch.empty()) continue;
    text.clear();
    for (const RequestRecord& record : batch) AppendRequestLine(record, anchor_, text);
    // One write and a flush per batch (every `poll`, or sooner when the queue is half full): the
    // file follows the run, and a batch stays small enough to stay in cache.
    if (!write_failed_ && (std::fwrite(text.data(), 1, text.size(), file_) != text.size() ||
                           std::fflush(file_) != 0)) {
      write_failed_ = true;
    }
    if (!write_failed_) lines_ += batch.size();
  }
}

RequestLogSummary RequestLog::Finish() {
  if (!finished_) {
    finished_ = true;
    queue_.Close();
    writer_.join();
    if (std::fclose(file_) != 0) write_failed_ = true;
  }
  return {path_, lines_, queue_.dropped(), write_failed_};
}

}  // namespace teeharness::reports
