#include "harness/workload/dataset_record.h"

#include <string>

#include "harness/protocol/json_body.h"

namespace teeharness::workload {
namespace {

using rapidjson::Value;

Result<bool> CheckMessages(const rapidjson::Document& request) {
  const auto messages = request.FindMember("messages");
  if (messages == request.MemberEnd()) return Error{"messages: missing"};
  if (!messages->value.IsArray() || messages->value.Empty()) {
    return Error{"messages: must be a non-empty array"};
  }
  for (rapidjson::SizeType i = 0; i < messages->value.Size(); ++i) {
    const Value& m = messages->value[i];
    const std::string at = "messages[" + std::to_string(i) + "]";
    if (!m.IsObject()) return Error{at + ": must be an object"};
    const auto role = m.FindMember("role");
    if (role == m.MemberEnd()) return Error{at + ".role: missing"};
    if (!role->value.IsString()) return Error{at + ".role: must be a string"};
    const auto content = m.FindMember("content");
    if (content == m.MemberEnd()) return Error{at + ".content: missing"};
    if (!content->value.IsString() && !content->value.IsArray()) {
      return Error{at + ".content: must be a string or an array of parts"};
    }
  }
  if (const auto max = request.FindMember("max_tokens"); max != request.MemberEnd()) {
    if (!max->value.IsInt() || max->value.GetInt() < 1) {
      return Error{"max_tokens: must be an integer >= 1"};
    }
  }
  return true;
}

bool IsHuman(std::string_view from) { return from == "human" || from == "user"; }
bool IsAnswer(std::string_view from) {
  return from == "gpt" || from == "assistant" || from == "chatgpt" || from == "bard" ||
         from == "model";
}

Result<bool> FromShareGpt(const rapidjson::Document& line, rapidjson::Document& request) {
  const auto turns = line.FindMember("conversations");
  if (turns == line.MemberEnd()) return Error{"conversations: missing"};
  if (!turns->value.IsArray()) return Error{"conversations: must be an array"};
  const Value* prompt = nullptr;
  const Value* answer = nullptr;
  for (rapidjson::SizeType i = 0; i < turns->value.Size(); ++i) {
    const Value& turn = turns->value[i];
    const std::string at = "conversations[" + std::to_string(i) + "]";
    if (!turn.IsObject()) return Error{at + ": must be an object"};
    const auto from = turn.FindMember("from");
    const auto value = turn.FindMember("value");
    if (from == turn.MemberEnd() || !from->value.IsString()) {
      return Error{at + ".from: missing or not a string"};
    }
    if (value == turn.MemberEnd() || !value->value.IsString()) {
      return Error{at + ".value: missing or not a string"};
    }
    const std::string_view who(from->value.GetString(), from->value.GetStringLength());
    if (prompt == nullptr && IsHuman(who)) {
      prompt = &value->value;
    } else if (prompt != nullptr && IsAnswer(who)) {
      answer = &value->value;
      break;
    }
  }
  if (prompt == nullptr) return Error{"conversations: no human turn"};
  if (prompt->GetStringLength() == 0) return Error{"conversations: the human turn is empty"};
  request.SetObject();
  auto& allocator = request.GetAllocator();
  Value message(rapidjson::kObjectType);
  message.AddMember("role", "user", allocator);
  message.AddMember("content", Value(*prompt, allocator), allocator);
  Value messages(rapidjson::kArrayType);
  messages.PushBack(message, allocator);
  request.AddMember("messages", messages, allocator);
  if (answer != nullptr) {
    const uint32_t tokens = EstimateTokens({answer->GetString(), answer->GetStringLength()});
    request.AddMember("max_tokens", Value(static_cast<int>(std::min<uint32_t>(tokens, 1 << 30))),
                      allocator);
  }
  return true;
}

}  // namespace

uint32_t EstimateTokens(std::string_view text) {
  const size_t tokens = (text.size() + 3) / 4;
  return tokens == 0 ? 1 : static_cast<uint32_t>(std::min<size_t>(tokens, 1u << 30));
}

Result<bool> ParseDatasetLine(std::string_view line, DatasetSpec::Format format,
                              rapidjson::Document& request) {
  rapidjson::Document parsed;
  if (Result<bool> ok = protocol::ParseUntrustedJson(line, parsed); !ok.ok()) {
    return Error{"(line): not JSON (" + ok.error() + ")"};
  }
  if (!parsed.IsObject()) return Error{"(line): not a JSON object"};
  if (format == DatasetSpec::Format::kShareGpt) return FromShareGpt(parsed, request);
  if (Result<bool> ok = CheckMessages(parsed); !ok.ok()) return ok;
  request.Swap(parsed);
  return true;
}

}  // namespace teeharness::workload
