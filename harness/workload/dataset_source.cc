#include "harness/workload/dataset_source.h"

#include <unistd.h>

#include "harness/workload/dataset_record.h"

namespace teeharness::workload {

DatasetFileSource::DatasetFileSource(int fd, std::string path, DatasetSpec::Format format,
                                     BodyDefaults defaults, std::vector<DatasetLine> lines,
                                     std::vector<uint32_t> order)
    : fd_(fd),
      path_(std::move(path)),
      format_(format),
      defaults_(std::move(defaults)),
      lines_(std::move(lines)),
      order_(std::move(order)) {}

DatasetFileSource::~DatasetFileSource() { ::close(fd_); }

Result<BodyRef> DatasetFileSource::Body(uint64_t sequence) const {
  const uint64_t slot = sequence % lines_.size();
  const DatasetLine& line = lines_[order_.empty() ? slot : order_[slot]];
  std::string text(line.length, '\0');
  size_t got = 0;
  while (got < text.size()) {
    const ssize_t n =
        ::pread(fd_, text.data() + got, text.size() - got, static_cast<off_t>(line.offset + got));
    if (n <= 0) return MakeError(path_, ":", line.number, ": cannot be read again");
    got += static_cast<size_t>(n);
  }
  rapidjson::Document request;
  if (Result<bool> ok = ParseDatasetLine(text, format_, request); !ok.ok()) {
    return MakeError(path_, ":", line.number, ": changed since the run started: ", ok.error());
  }
  BodyRef ref;
  ref.owned = std::make_shared<const PreparedBody>(BuildPreparedBody(request, defaults_));
  return ref;
}

}  // namespace teeharness::workload
