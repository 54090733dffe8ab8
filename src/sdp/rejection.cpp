#include "sdp/rejection.hpp"

namespace switchboard::sdp {

Rejection rejection_for(const Error& error) {
  Rejection r;
  r.warning_code = error.code == ErrorCode::kFailedPrecondition ? 305 : 399;
  r.warning_text = error.message;
  return r;
}

}  // namespace switchboard::sdp
