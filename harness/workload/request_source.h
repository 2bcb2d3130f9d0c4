#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "harness/base/result.h"
#include "harness/workload/prepared_body.h"
#include "harness/workload/source_spec.h"

namespace teeharness::workload {

// The chat request bodies of a run, numbered 0, 1, 2, ... in the order they are sent. Thread-safe:
// the workers of a run share one source (Body is const and pure or reads the file with pread;
// Next takes numbers from an atomic counter).
class RequestSource {
 public:
  virtual ~RequestSource() = default;

  // The body of request `sequence`. Errors only when a file changed under the run (a line that
  // parsed at start no longer does): the request is then counted as failed, not sent.
  virtual Result<BodyRef> Body(uint64_t sequence) const = 0;
  // How many distinct bodies there are before the order repeats (0: unbounded, generated).
  virtual uint64_t distinct() const = 0;
  virtual std::string_view kind() const = 0;  // inline | dataset | synthetic

  // The next body of the run's order: numbers first, first + stride, first + 2 stride, ...
  Result<BodyRef> Next() {
    return Body(first_ + stride_ * next_.fetch_add(1, std::memory_order_relaxed));
  }

  // Instance `index` (0-based) of `count` instances running one scenario together (--segment)
  // takes every count-th number from `index` on, so that they send different bodies (distinct
  // prompts stay distinct across instances). Call before the first Next.
  void Partition(uint64_t index, uint64_t count) {
    first_ = index;
    stride_ = count == 0 ? 1 : count;
  }

 private:
  uint64_t first_ = 0;
  uint64_t stride_ = 1;
  std::atomic<uint64_t> next_{0};
};

// The scenario's `request`: one of inline (neither given), dataset or synthetic.
struct RequestSourceSpec {
  std::string inline_json = "{}";  // the inline request object (messages and other fields)
  std::optional<DatasetSpec> dataset;
  std::optional<SyntheticSpec> synthetic;
};

// Datasets up to this size are read once and all their bodies built before the first request; a
// larger one is indexed by line offsets (a few bytes per line) and each body built when it is due.
inline constexpr uint64_t kDatasetPoolBytes = 64ull << 20;

// Opens the source of `spec`: an inline body is built once; a dataset is read (and every line
// checked) now, so that a bad line stops the run before anything is sent, with an error naming
// the file, the line and the field ("data/p.jsonl:17: messages[0].role: missing"). `seed` orders a
// shuffled dataset and draws the synthetic prompts. A dataset file larger than `pool_bytes` is
// indexed instead of built. Call from one thread, at start-up.
Result<std::unique_ptr<RequestSource>> OpenRequestSource(const RequestSourceSpec& spec,
                                                         const BodyDefaults& defaults,
                                                         uint64_t seed,
                                                         uint64_t pool_bytes = kDatasetPoolBytes);

}  // namespace teeharness::workload
