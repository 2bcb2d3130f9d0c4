#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/result.h"

namespace teeharness::cli {

// A small strict command-line parser: `--name value`, `--name=value`, boolean `--name`, repeatable
// flags, and positional arguments. Unknown flags and missing values are errors that name the flag.
// Not thread-safe (used once at start-up).
class Flags {
 public:
  enum class Kind { kValue, kBool, kRepeated };

  Flags& Define(std::string name, Kind kind);

  // Parses args (without the program and subcommand names).
  Result<bool> Parse(std::span<const char* const> args);

  bool Has(std::string_view name) const;
  std::optional<std::string> Value(std::string_view name) const;
  std::string ValueOr(std::string_view name, std::string fallback) const;
  const std::vector<std::string>& Values(std::string_view name) const;  // for kRepeated
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, Kind, std::less<>> kinds_;
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
  std::vector<std::string> positional_;
};

}  // namespace teeharness::cli
