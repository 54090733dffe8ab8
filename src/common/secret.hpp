// A secret string (password, client secret, PIN). It cannot be streamed or
// formatted by accident: fmt prints it as "********". Code that really needs
// the value calls reveal(), which makes every use easy to audit with grep.
#pragma once

#include <string>
#include <utility>

#include <fmt/format.h>

namespace switchboard {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  const std::string& reveal() const { return value_; }
  bool empty() const { return value_.empty(); }
  bool operator==(const Secret&) const = default;

 private:
  std::string value_;
};

}  // namespace switchboard

template <>
struct fmt::formatter<switchboard::Secret> : fmt::formatter<std::string_view> {
  template <typename Ctx>
  auto format(const switchboard::Secret&, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format("********", ctx);
  }
};
