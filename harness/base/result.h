#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace teeharness {

// A failure with a human-readable reason: what was wrong and where. Used on every path that handles
// untrusted data, where throwing through the event loop is not allowed.
struct Error {
  std::string message;
};

// Either a value or an Error. Not thread-safe (a plain value type).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const std::string& error() const { return std::get<Error>(state_).message; }

 private:
  std::variant<T, Error> state_;
};

namespace internal {
inline std::string ErrorPiece(std::string_view piece) { return std::string(piece); }
inline std::string ErrorPiece(char piece) { return std::string(1, piece); }
template <typename Number>
requires std::is_arithmetic_v<Number> std::string ErrorPiece(Number number) {
  return std::to_string(number);
}
}  // namespace internal

// Builds an Error from pieces: MakeError("bad digit '", c, "' at position ", pos).
template <typename... Parts>
Error MakeError(const Parts&... parts) {
  std::string message;
  (message.append(internal::ErrorPiece(parts)), ...);
  return Error{std::move(message)};
}

}  // namespace teeharness
