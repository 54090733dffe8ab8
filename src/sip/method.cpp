#include "sip/method.hpp"

#include <array>
#include <utility>

namespace switchboard::sip {
namespace {

constexpr std::array<std::pair<std::string_view, Method>, 14> kMethods{{
    {"ACK", Method::kAck},
    {"BYE", Method::kBye},
    {"CANCEL", Method::kCancel},
    {"INFO", Method::kInfo},
    {"INVITE", Method::kInvite},
    {"MESSAGE", Method::kMessage},
    {"NOTIFY", Method::kNotify},
    {"OPTIONS", Method::kOptions},
    {"PRACK", Method::kPrack},
    {"PUBLISH", Method::kPublish},
    {"REFER", Method::kRefer},
    {"REGISTER", Method::kRegister},
    {"SUBSCRIBE", Method::kSubscribe},
    {"UPDATE", Method::kUpdate},
}};

}  // namespace

Method method_from_string(std::string_view token) {
  for (const auto& [name, method] : kMethods) {
    if (name == token) return method;
  }
  return Method::kOther;
}

std::string_view to_string(Method method) {
  for (const auto& [name, m] : kMethods) {
    if (m == method) return name;
  }
  return {};
}

}  // namespace switchboard::sip
