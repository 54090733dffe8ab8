// Hold and resume (issue 7 §1): a re-offer that holds the other party
// (sendonly, inactive, c=0.0.0.0), and the re-offer that resumes it, are
// answered by the PBX itself — the held party's phone is not re-INVITEd;
// instead the relay plays music on hold toward it, one shared decoder per
// class (media/audio MohService). Resume stops the music and the relay
// carries the two phones' audio again.
#include <fmt/format.h>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "sdp/hold.hpp"
#include "sdp/rejection.hpp"
#include "sdp/relay.hpp"
#include "sdp/serializer.hpp"
#include "sip/builder.hpp"
#include "sip/message_headers.hpp"

namespace switchboard::core {

void B2bua::on_local_reoffer(Call& c, MediaSide from, const sip::ServerTransactionPtr& txn,
                             sdp::SessionDescription offer) {
  Leg& x = c.leg(from);
  Leg& y = c.leg(other(from));
  if (!y.remote_sdp) return reject(txn, 500, "Server Internal Error");
  // What we would offer y (not sent), answered with what y last described.
  std::vector<std::uint16_t> ports_y(offer.media.size(), c.relay->local_port(other(from)));
  sdp::LocalSession scratch = y.sdp_session();
  auto offer_y = sdp::relay_offer(offer, options_.media, ports_y, scratch);
  std::vector<std::uint16_t> ports_x(offer.media.size(), c.relay->local_port(from));
  auto ra = offer_y.ok() ? sdp::relay_answer(offer, *offer_y, *y.remote_sdp, options_.media,
                                             ports_x, x.sdp_session())
                         : Result<sdp::RelayAnswer>(offer_y.error());
  if (!ra.ok()) {
    auto rj = sdp::rejection_for(ra.error());
    return reject(txn, rj.status, "Not Acceptable Here",
                  fmt::format("{} switchboard \"{}\"", rj.warning_code, rj.warning_text));
  }
  configure_media(c, ra->leg_a, from, x.peer);
  const bool was_held = x.state() == LegState::kHeld;
  const bool hold = sdp::is_hold(offer);
  x.on(hold ? LegEvent::kHold : LegEvent::kResume);
  x.remote_sdp = std::move(offer);
  if (hold && !was_held) {
    if (auto st = c.relay->start_music(other(from), options_.moh_class); !st.ok()) {
      log::get("call")->info("call {}: held without music: {}", c.record.call_id,
                             st.error().message);
    }
    events_.publish(CallEventKind::kHeld, c.record);
    log::get("call")->info("call {}: side {} holds", c.record.call_id, to_string(from));
  } else if (!hold && was_held) {
    c.relay->stop_music(other(from));
    events_.publish(CallEventKind::kResumed, c.record);
    log::get("call")->info("call {}: side {} resumes", c.record.call_id, to_string(from));
  }
  auto resp = sip::make_response(txn->request(), 200, "OK");
  resp.add_header(sip::HeaderId::kContact, contact_for(x.peer.protocol));
  if (from == MediaSide::kA && c.session_expires) {
    resp.add_header(sip::HeaderId::kSessionExpires,
                    fmt::format("{};refresher=uac", c.session_expires));
    resp.add_header(sip::HeaderId::kRequire, "timer");
    arm_session_timer(c);
  }
  x.local_sdp = sdp::serialize(ra->answer_a);
  sip::set_body(resp, "application/sdp", x.local_sdp);
  if (txn->is_invite()) return send_2xx(c, from, txn, std::move(resp));
  txn->respond(std::move(resp));
}

Call* B2bua::find_by_call_id(std::string_view call_id) {
  for (auto& [id, call] : calls_) {
    if (call->record.call_id == call_id && call->phase != CallPhase::kEnded) return call.get();
  }
  return nullptr;
}

Status B2bua::hold(std::string_view call_id, MediaSide held) {
  Call* c = find_by_call_id(call_id);
  if (!c) return make_error(ErrorCode::kNotFound, fmt::format("no active call {}", call_id));
  if (c->phase != CallPhase::kAnswered || c->redirecting || c->app) {
    return make_error(ErrorCode::kFailedPrecondition, "the call is not connected to two phones");
  }
  if (c->api_held) return make_error(ErrorCode::kFailedPrecondition, "the call is on hold");
  if (auto st = c->relay->start_music(held, options_.moh_class); !st.ok()) {
    log::get("call")->info("call {}: held without music: {}", c->record.call_id,
                           st.error().message);
  }
  c->api_held = held;
  events_.publish(CallEventKind::kHeld, c->record);
  log::get("call")->info("call {}: side {} put on hold (API)", c->record.call_id, to_string(held));
  return Status::Ok();
}

Status B2bua::resume(std::string_view call_id) {
  Call* c = find_by_call_id(call_id);
  if (!c) return make_error(ErrorCode::kNotFound, fmt::format("no active call {}", call_id));
  if (!c->api_held) return make_error(ErrorCode::kFailedPrecondition, "the call is not on hold");
  c->relay->stop_music(*c->api_held);
  c->api_held.reset();
  events_.publish(CallEventKind::kResumed, c->record);
  log::get("call")->info("call {}: resumed (API)", c->record.call_id);
  return Status::Ok();
}

}  // namespace switchboard::core
