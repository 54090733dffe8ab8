#include "api/core_access.hpp"

namespace switchboard::api {

LiveState CoreAccess::live_state(const std::string& extension) {
  LiveState s;
  s.registered = !registrations(extension).empty();
  for (const auto& call : calls(extension)) {
    // The callee of a call still ringing is not busy yet; the caller is.
    if (call.value("state", "") != "ringing" || call.value("caller", "") == extension) {
      s.on_call = true;
    }
  }
  return s;
}

}  // namespace switchboard::api
