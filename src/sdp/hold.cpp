#include "sdp/hold.hpp"

namespace switchboard::sdp {

bool is_unspecified(const Connection& connection) {
  const std::string& a = connection.address;
  return a == "0.0.0.0" || a == "::" || a == "0:0:0:0:0:0:0:0";
}

Direction declared_direction(const SessionDescription& sd, const MediaDescription& m) {
  Direction d = sd.effective_direction(m);
  const Connection* c = sd.connection_of(m);
  if (c && is_unspecified(*c)) return make_direction(sends(d), false);
  return d;
}

Direction answer_direction(Direction offered, Direction local) {
  return make_direction(receives(offered) && sends(local), sends(offered) && receives(local));
}

bool is_hold(const SessionDescription& sd, const MediaDescription& m) {
  if (m.port == 0) return false;
  return !receives(declared_direction(sd, m));
}

bool is_hold(const SessionDescription& sd) {
  bool any = false;
  for (const MediaDescription& m : sd.media) {
    if (m.port == 0 || m.media != "audio") continue;
    if (!is_hold(sd, m)) return false;
    any = true;
  }
  return any;
}

}  // namespace switchboard::sdp
