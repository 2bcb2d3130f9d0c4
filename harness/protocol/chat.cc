#include "harness/protocol/chat.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "harness/protocol/json_body.h"

namespace teeharness::protocol {
namespace {

// usage.<name> when it is an unsigned integer.
std::optional<uint64_t> UsageTokens(const rapidjson::Value& root, const char* name) {
  const auto usage = root.FindMember("usage");
  if (usage == root.MemberEnd() || !usage->value.IsObject()) return std::nullopt;
  const auto tokens = usage->value.FindMember(name);
  if (tokens == usage->value.MemberEnd() || !tokens->value.IsUint64()) return std::nullopt;
  return tokens->value.GetUint64();
}

std::string StringMember(const rapidjson::Value& object, const char* name) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) return {};
  return std::string(member->value.GetString(), member->value.GetStringLength());
}

// True when choices[0].delta.content is a non-empty string.
bool HasContentDelta(const rapidjson::Value& root) {
  const auto choices = root.FindMember("choices");
  if (choices == root.MemberEnd() || !choices->value.IsArray()) return false;
  for (const auto& choice : choices->value.GetArray()) {
    if (!choice.IsObject()) continue;
    const auto delta = choice.FindMember("delta");
    if (delta == choice.MemberEnd() || !delta->value.IsObject()) continue;
    const auto content = delta->value.FindMember("content");
    if (content != delta->value.MemberEnd() && content->value.IsString() &&
        content->value.GetStringLength() > 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<ChatCompletion> ParseChatCompletion(std::string_view body) {
  rapidjson::Document document;
  if (Result<bool> parsed = ParseJsonObject(body, "completion", document); !parsed.ok()) {
    return Error{parsed.error()};
  }
  ChatCompletion completion;
  completion.id = StringMember(document, "id");
  if (completion.id.empty()) {
    if (document.HasMember("error") || document.HasMember("error_code")) {
      return Error{"completion body is an error body"};
    }
    return Error{"completion has no \"id\""};
  }
  completion.model = StringMember(document, "model");
  completion.completion_tokens = UsageTokens(document, "completion_tokens");
  completion.prompt_tokens = UsageTokens(document, "prompt_tokens");
  return completion;
}

void ChatStreamAccumulator::OnEvent(std::string_view data, TimePoint arrived) {
  if (done_) {
    ++after_done_;
    return;
  }
  if (data == "[DONE]") {
    done_ = true;
    return;
  }
  rapidjson::Document event;
  if (!ParseUntrustedJson(data, event).ok() || !event.IsObject()) {
    ++malformed_;
    return;
  }
  if (id_.empty()) id_ = StringMember(event, "id");
  if (std::optional<uint64_t> tokens = UsageTokens(event, "completion_tokens")) {
    usage_tokens_ = tokens;
  }
  if (std::optional<uint64_t> tokens = UsageTokens(event, "prompt_tokens")) {
    usage_prompt_tokens_ = tokens;
  }
  if (HasContentDelta(event)) {
    ++content_events_;
    if (!first_token_) first_token_ = arrived;
    last_token_ = arrived;
  }
}

}  // namespace teeharness::protocol
