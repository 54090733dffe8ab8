// The o= line of the descriptions the PBX sends on one leg (RFC 3264 §8):
// the session id stays, the version goes up by one whenever the body changes
// and stays when a description is re-sent unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sdp/session.hpp"

namespace switchboard::sdp {

/// One per leg; owned by the leg, used on the core thread.
class LocalSession {
 public:
  /// `session_id` is numeric text chosen by the caller (e.g. from the clock);
  /// `address` is the PBX's media address.
  LocalSession(std::string session_id, std::string address, std::string username = "switchboard");

  /// Writes our o= into `sd`: the same version as last time if nothing else
  /// in `sd` changed, else the next version.
  void stamp(SessionDescription& sd);

  /// The version of the last stamped description (0 before the first).
  std::uint64_t version() const { return version_; }
  const std::string& session_id() const { return session_id_; }

 private:
  std::string session_id_;
  std::string address_;
  std::string username_;
  std::uint64_t version_ = 0;
  std::optional<SessionDescription> last_;
};

}  // namespace switchboard::sdp
