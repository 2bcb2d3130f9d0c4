#pragma once

#include <string>
#include <vector>

#include "harness/workload/dataset_reader.h"
#include "harness/workload/request_source.h"

namespace teeharness::workload {

// A dataset too large to hold built: the offset and length of each prompt line (16 bytes a line,
// plus 4 when shuffled), the file kept open, and each body read (pread), parsed, built and hashed
// when it is due. Thread-safe (pread at an offset; everything else immutable).
class DatasetFileSource : public RequestSource {
 public:
  DatasetFileSource(int fd, std::string path, DatasetSpec::Format format, BodyDefaults defaults,
                    std::vector<DatasetLine> lines, std::vector<uint32_t> order);
  ~DatasetFileSource() override;
  DatasetFileSource(const DatasetFileSource&) = delete;
  DatasetFileSource& operator=(const DatasetFileSource&) = delete;

  Result<BodyRef> Body(uint64_t sequence) const override;
  uint64_t distinct() const override { return lines_.size(); }
  std::string_view kind() const override { return "dataset"; }

 private:
  int fd_;
  std::string path_;
  DatasetSpec::Format format_;
  BodyDefaults defaults_;
  std::vector<DatasetLine> lines_;
  std::vector<uint32_t> order_;  // empty: sequential
};

}  // namespace teeharness::workload
