#include "harness/base/flags.h"

namespace teeharness::cli {

Flags& Flags::Define(std::string name, Kind kind) {
  kinds_[std::move(name)] = kind;
  return *this;
}

Result<bool> Flags::Parse(std::span<const char* const> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--") {
      for (++i; i < args.size(); ++i) positional_.emplace_back(args[i]);
      break;
    }
    if (arg.size() < 3 || arg.substr(0, 2) != "--") {
      positional_.emplace_back(arg);
      continue;
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (const size_t eq = name.find('='); eq != std::string_view::npos) {
      inline_value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    const auto kind = kinds_.find(name);
    if (kind == kinds_.end()) return MakeError("unknown option --", name);
    auto& slot = values_[std::string(name)];
    if (kind->second == Kind::kBool) {
      if (inline_value) return MakeError("option --", name, " takes no value");
      slot.assign(1, "true");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) return MakeError("option --", name, " needs a value");
      inline_value = std::string(args[++i]);
    }
    if (kind->second == Kind::kValue) slot.clear();  // the last occurrence wins
    slot.push_back(std::move(*inline_value));
  }
  return true;
}

bool Flags::Has(std::string_view name) const { return values_.find(name) != values_.end(); }

std::optional<std::string> Flags::Value(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string Flags::ValueOr(std::string_view name, std::string fallback) const {
  return Value(name).value_or(std::move(fallback));
}

const std::vector<std::string>& Flags::Values(std::string_view name) const {
  static const std::vector<std::string> kEmpty;
  const auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

}  // namespace teeharness::cli
