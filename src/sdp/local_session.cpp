#include "sdp/local_session.hpp"

#include <utility>

namespace switchboard::sdp {

LocalSession::LocalSession(std::string session_id, std::string address, std::string username)
    : session_id_(std::move(session_id)),
      address_(std::move(address)),
      username_(std::move(username)) {}

void LocalSession::stamp(SessionDescription& sd) {
  sd.origin.username = username_;
  sd.origin.session_id = session_id_;
  sd.origin.type = address_type_of(address_);
  sd.origin.address = address_;
  // Compare everything but the version itself.
  sd.origin.version = version_;
  if (!last_ || !(*last_ == sd)) {
    ++version_;
    sd.origin.version = version_;
  }
  last_ = sd;
  last_->origin.version = version_;
}

}  // namespace switchboard::sdp
