#include "harness/workload/dataset_reader.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "harness/workload/dataset_record.h"

namespace teeharness::workload {
namespace {

constexpr size_t kBlock = 1 << 20;

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

bool Blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

Result<uint64_t> ReadDataset(
    const std::string& path, DatasetSpec::Format format,
    const std::function<void(const DatasetLine&, rapidjson::Document&)>& on_line) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return MakeError(path, ": cannot read the dataset file");
  std::string pending;  // the start of a line that continues in the next block
  std::string block(kBlock, '\0');
  uint64_t number = 0, offset = 0, prompts = 0;
  auto line_done = [&](std::string_view text) -> Result<bool> {
    ++number;
    const uint64_t start = offset;
    offset += text.size() + 1;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (Blank(text)) return true;
    rapidjson::Document request;
    if (Result<bool> ok = ParseDatasetLine(text, format, request); !ok.ok()) {
      return MakeError(path, ":", number, ": ", ok.error());
    }
    ++prompts;
    const auto line_number = static_cast<uint32_t>(std::min<uint64_t>(number, UINT32_MAX));
    on_line({start, line_number, static_cast<uint32_t>(text.size())}, request);
    return true;
  };
  for (;;) {
    const size_t got = std::fread(block.data(), 1, block.size(), file.get());
    if (got == 0) break;
    std::string_view data(block.data(), got);
    for (size_t newline; (newline = data.find('\n')) != std::string_view::npos;) {
      Result<bool> ok = true;
      if (pending.empty()) {
        ok = line_done(data.substr(0, newline));
      } else {
        pending.append(data.substr(0, newline));
        ok = line_done(pending);
        pending.clear();
      }
      if (!ok.ok()) return Error{ok.error()};
      data.remove_prefix(newline + 1);
    }
    pending.append(data);
    if (pending.size() > kMaxDatasetLine) {
      return MakeError(path, ":", number + 1, ": longer than ", kMaxDatasetLine, " bytes");
    }
  }
  if (std::ferror(file.get())) return MakeError(path, ": read error");
  if (!pending.empty()) {
    if (Result<bool> ok = line_done(pending); !ok.ok()) return Error{ok.error()};
  }
  if (prompts == 0) return MakeError(path, ": no prompts (every line is blank)");
  return prompts;
}

}  // namespace teeharness::workload
