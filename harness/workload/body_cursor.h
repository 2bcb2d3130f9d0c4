#pragma once

#include <optional>

#include "harness/workload/request_source.h"

namespace teeharness::workload {

// One worker's next body, built ahead: Take() hands over the body prepared while the previous
// request was in flight, and Prepare() (called once a request has been handed to the transport)
// builds the next one, so building and hashing a body is never inside a request's measured time.
// Not thread-safe: one per worker, used on its loop thread.
class BodyCursor {
 public:
  explicit BodyCursor(RequestSource* source) : source_(source) {}

  Result<BodyRef> Take();
  void Prepare();

 private:
  RequestSource* source_;
  std::optional<Result<BodyRef>> next_;
};

}  // namespace teeharness::workload
