// Digits of relayed calls (issue 7 §2, issue 9 §4): each digit a party of an
// answered two-party call sends is published as call.dtmf and handed to the
// feature-code listener when one is set.
#include "core/call/b2bua.hpp"

namespace switchboard::core {

void B2bua::watch_digits(Call& c) {
  if (!c.relay) return;
  // RFC 4733 events cost the relay a payload-type compare per packet; the
  // in-band detector several times the relay's own work per packet
  // (docs/ARCHITECTURE.md, decisions), so tones from a phone without
  // telephone-event are only searched while call codes need them.
  const auto detection =
      digits_ ? MediaRelay::Detection::kEventsAndTones : MediaRelay::Detection::kEvents;
  // The relay reports sides as the call sees them now: after swap_sides()
  // the relay is a SwappedRelay, which maps them, so this runs again there.
  c.relay->set_digit_listener(
      [this, id = c.id](MediaSide side, char digit) {
        Call* call = find(id);
        if (!call || call->phase != CallPhase::kAnswered) return;
        // An application's digits (a voicemail PIN, conference commands)
        // are the application's, not an event of a two-party call.
        if (!call->app && !call->redirecting) {
          const DtmfNote note{side == MediaSide::kA ? Party::kCaller : Party::kCallee,
                              number_of(*call, side), digit};
          events_.publish(
              CallEvent{.kind = CallEventKind::kDtmf, .call = call->record, .dtmf = &note});
        }
        // The event may have ended the call (a listener hung up).
        call = find(id);
        if (!call || call->phase != CallPhase::kAnswered || !digits_) return;
        digits_->on_call_digit(call->record.call_id, side, digit);
      },
      detection);
}

}  // namespace switchboard::core
