#include "harness/workload/synthetic_source.h"

#include "harness/workload/synthetic_prompt.h"

namespace teeharness::workload {

PreparedBody SyntheticSource::Build(uint64_t sequence) const {
  const SyntheticPrompt prompt = GeneratePrompt(spec_, seed_, sequence);
  rapidjson::Document request(rapidjson::kObjectType);
  auto& allocator = request.GetAllocator();
  rapidjson::Value message(rapidjson::kObjectType);
  message.AddMember("role", "user", allocator);
  message.AddMember(
      "content",
      rapidjson::Value(prompt.content.data(),
                       static_cast<rapidjson::SizeType>(prompt.content.size()), allocator),
      allocator);
  rapidjson::Value messages(rapidjson::kArrayType);
  messages.PushBack(message, allocator);
  request.AddMember("messages", messages, allocator);
  if (prompt.max_tokens > 0) {
    request.AddMember("max_tokens", rapidjson::Value(prompt.max_tokens), allocator);
  }
  return BuildPreparedBody(request, defaults_);
}

Result<BodyRef> SyntheticSource::Body(uint64_t sequence) const {
  BodyRef ref;
  ref.owned = std::make_shared<const PreparedBody>(Build(sequence));
  return ref;
}

}  // namespace teeharness::workload
