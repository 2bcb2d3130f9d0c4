#include "harness/workload/body_cursor.h"

namespace teeharness::workload {

Result<BodyRef> BodyCursor::Take() {
  Prepare();
  Result<BodyRef> body = std::move(*next_);
  next_.reset();
  return body;
}

void BodyCursor::Prepare() {
  if (!next_) next_.emplace(source_->Next());
}

}  // namespace teeharness::workload
