// Feature codes during calls (issue 7 §2): with features.call_codes in the
// config, the B2BUA's relays look for DTMF and hand it to CallCodes (blind
// transfer, park to parking.range_start, record toggle). A reload applies
// new codes and turns detection on or off for the calls that follow.
#include "app/application.hpp"
#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "features/callcodes/call_codes.hpp"

namespace switchboard::app {

namespace cc = features::callcodes;

void Application::apply_call_codes(const config::Config& cfg) {
  const auto& c = cfg.features.call_codes;
  cc::CallCodeOptions o;
  o.enabled = c.enabled;
  o.blind_transfer = c.blind_transfer;
  o.park = c.park;
  o.record_toggle = c.record_toggle;
  o.attended_transfer = c.attended_transfer;
  o.three_way = c.three_way;
  o.cancel_consultation = c.cancel_consultation;
  o.park_extension = std::to_string(cfg.parking.range_start);
  o.inter_digit_timeout = std::chrono::seconds(c.inter_digit_timeout);
  if (!call_codes_) {
    call_code_actions_ = std::make_unique<cc::B2buaCallActions>(*b2bua_);
    call_codes_ = std::make_unique<cc::CallCodes>(timers_, *call_code_actions_, o);
  } else {
    call_codes_->set_options(o);
  }
  b2bua_->set_digit_listener(o.enabled ? call_codes_.get() : nullptr);
  if (o.enabled) {
    log::get("callcodes")
        ->info(
            "call codes: blind transfer {}<number>#, park {} (to {}), record {}, attended "
            "transfer {}<number>#, three-way {}, back to the held party {}",
            o.blind_transfer, o.park, o.park_extension, o.record_toggle, o.attended_transfer,
            o.three_way, o.cancel_consultation);
  }
}

}  // namespace switchboard::app
