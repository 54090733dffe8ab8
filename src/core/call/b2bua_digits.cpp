// Digits of relayed calls to the feature-code listener (issue 7 §2).
#include "core/call/b2bua.hpp"

namespace switchboard::core {

void B2bua::watch_digits(Call& c) {
  if (!digits_ || !c.relay) return;
  // The relay reports sides as the call sees them now: after swap_sides()
  // the relay is a SwappedRelay, which maps them, so this runs again there.
  c.relay->set_digit_listener(
      [this, id = c.id](MediaSide side, char digit) {
        Call* call = find(id);
        if (!call || call->phase != CallPhase::kAnswered || !digits_) return;
        digits_->on_call_digit(call->record.call_id, side, digit);
      },
      MediaRelay::Detection::kEventsAndTones);
}

}  // namespace switchboard::core
