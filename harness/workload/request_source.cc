#include "harness/workload/request_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/workload/body_pool.h"
#include "harness/workload/dataset_reader.h"
#include "harness/workload/dataset_source.h"
#include "harness/workload/synthetic_source.h"

namespace teeharness::workload {
namespace {

Result<std::unique_ptr<RequestSource>> OpenDataset(const DatasetSpec& spec,
                                                   const BodyDefaults& defaults, uint64_t seed,
                                                   uint64_t pool_bytes) {
  const int fd = ::open(spec.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(spec.path, ": cannot read the dataset file");
  struct stat info {};
  const bool pooled = ::fstat(fd, &info) == 0 && static_cast<uint64_t>(info.st_size) <= pool_bytes;
  std::vector<PreparedBody> bodies;
  std::vector<DatasetLine> lines;
  Result<uint64_t> read =
      ReadDataset(spec.path, spec.format, [&](const DatasetLine& line, rapidjson::Document& r) {
        if (pooled) {
          bodies.push_back(BuildPreparedBody(r, defaults));
        } else {
          lines.push_back(line);
        }
      });
  if (!read.ok() || *read > UINT32_MAX) {
    ::close(fd);
    return Error{read.ok() ? spec.path + ": more than 2^32 prompts" : read.error()};
  }
  const auto count = static_cast<uint32_t>(*read);
  std::vector<uint32_t> order;
  if (spec.order == DatasetSpec::Order::kShuffle) order = ShuffledOrder(count, seed);
  if (pooled) {
    ::close(fd);
    return std::unique_ptr<RequestSource>(
        std::make_unique<BodyPool>(std::move(bodies), std::move(order), "dataset"));
  }
  lines.shrink_to_fit();
  return std::unique_ptr<RequestSource>(std::make_unique<DatasetFileSource>(
      fd, spec.path, spec.format, defaults, std::move(lines), std::move(order)));
}

}  // namespace

Result<std::unique_ptr<RequestSource>> OpenRequestSource(const RequestSourceSpec& spec,
                                                         const BodyDefaults& defaults,
                                                         uint64_t seed, uint64_t pool_bytes) {
  if (spec.dataset) return OpenDataset(*spec.dataset, defaults, seed, pool_bytes);
  if (spec.synthetic) {
    return std::unique_ptr<RequestSource>(
        std::make_unique<SyntheticSource>(*spec.synthetic, defaults, seed));
  }
  Result<PreparedBody> body = BuildPreparedBodyFromText(spec.inline_json, defaults);
  if (!body.ok()) return Error{body.error()};
  std::vector<PreparedBody> bodies;
  bodies.push_back(std::move(body).value());
  return std::unique_ptr<RequestSource>(
      std::make_unique<BodyPool>(std::move(bodies), std::vector<uint32_t>{}, "inline"));
}

}  // namespace teeharness::workload
