// SIP request methods. Methods are case-sensitive tokens (RFC 3261 §7.1), so
// "invite" and "IN%56ITE" are unknown methods, not INVITE (RFC 4475 §3.1.1.2).
#pragma once

#include <cstdint>
#include <string_view>

namespace switchboard::sip {

/// Methods this stack knows by name; anything else is kOther.
enum class Method : std::uint8_t {
  kOther,
  kAck,
  kBye,
  kCancel,
  kInfo,
  kInvite,
  kMessage,
  kNotify,
  kOptions,
  kPrack,
  kPublish,
  kRefer,
  kRegister,
  kSubscribe,
  kUpdate,
};

/// Exact (case-sensitive) match of a method token.
Method method_from_string(std::string_view token);

/// The method's token; "" for kOther.
std::string_view to_string(Method method);

}  // namespace switchboard::sip
