// Established calls: BYE, re-INVITE/UPDATE passed across with SDP rewritten,
// INFO/MESSAGE relayed, ACKs and 2xx retransmissions, timers, the end.
#include <fmt/format.h>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "core/call/g711_bridge.hpp"
#include "sdp/hold.hpp"
#include "sdp/negotiation.hpp"
#include "sdp/parser.hpp"
#include "sdp/rejection.hpp"
#include "sdp/relay.hpp"
#include "sdp/serializer.hpp"
#include "sip/builder.hpp"
#include "sip/cseq.hpp"
#include "sip/message_headers.hpp"

namespace switchboard::core {

void B2bua::on_in_dialog(const sip::ServerTransactionPtr& txn) {
  const sip::Message& req = txn->request();
  auto to = sip::get_to(req);
  auto ref = find_leg(req.value(sip::HeaderId::kCallId).value_or(""), *to->tag());
  Call* c = ref ? find(ref->call) : nullptr;
  if (!c || c->phase == CallPhase::kEnded) {
    return reject(txn, 481, "Call/Transaction Does Not Exist");
  }
  if (ref->transferrer) return on_transferrer_request(*c, txn);
  Leg& leg = c->leg(ref->side);
  if (leg.dialog) {
    if (auto st = leg.dialog->on_request(req); !st.ok()) {
      return reject(txn, 500, "Server Internal Error", "399 switchboard \"CSeq out of order\"");
    }
  }
  const std::string_view method = req.method();
  if (method == "BYE") return on_bye(*c, ref->side, txn);
  if (c->phase != CallPhase::kAnswered) {
    // Early-dialog requests (UPDATE, INFO before the answer) are not relayed.
    return reject(txn, 491, "Request Pending");
  }
  if (method == "REFER") return on_refer(*c, ref->side, txn);
  if (c->moving && (method == "INVITE" || method == "UPDATE")) {
    return reject(txn, 491, "Request Pending");
  }
  if ((c->app || c->redirecting) && ref->side == MediaSide::kA &&
      (method == "INVITE" || method == "UPDATE") && !req.body().empty()) {
    return on_app_reoffer(*c, txn);
  }
  if (method == "INVITE" || method == "UPDATE") return on_reoffer(*c, ref->side, txn);
  forward(*c, ref->side, txn);
}

void B2bua::on_bye(Call& c, MediaSide from, const sip::ServerTransactionPtr& txn) {
  txn->respond(sip::make_response(txn->request(), 200, "OK"));
  if (on_consult_bye(c, from)) return;  // b2bua_consult.cpp
  if (c.phase == CallPhase::kRinging) {
    // A BYE in the caller's early dialog ends the attempt like a CANCEL.
    cancel_forks(c);
    respond_a(c, 487, "Request Terminated");
    return finish(c, CallOutcome::kCancelled, 487, Party::kCaller, "caller hung up");
  }
  end_call(c, from == MediaSide::kA ? Party::kCaller : Party::kCallee, "BYE");
}

void B2bua::on_reoffer(Call& c, MediaSide from, const sip::ServerTransactionPtr& txn) {
  const sip::Message& req = txn->request();
  const bool invite = req.method_id() == sip::Method::kInvite;
  Leg& x = c.leg(from);
  Leg& y = c.leg(other(from));
  if (c.reoffer) return reject(txn, 491, "Request Pending");
  const std::string contact = contact_for(x.peer.protocol);
  if (req.body().empty()) {
    // No offer: a session refresh. Answer with what we last described.
    auto resp = sip::make_response(req, 200, "OK");
    resp.add_header(sip::HeaderId::kContact, contact);
    if (from == MediaSide::kA && c.session_expires) {
      resp.add_header(sip::HeaderId::kSessionExpires,
                      fmt::format("{};refresher=uac", c.session_expires));
      resp.add_header(sip::HeaderId::kRequire, "timer");
      arm_session_timer(c);
    }
    if (invite) {
      if (!x.local_sdp.empty()) sip::set_body(resp, "application/sdp", x.local_sdp);
      return send_2xx(c, from, txn, std::move(resp));
    }
    txn->respond(std::move(resp));
    return;
  }
  auto offer = sdp::parse(req.body());
  if (!offer.ok()) {
    auto rj = sdp::rejection_for(offer.error());
    return reject(txn, rj.status, "Not Acceptable Here",
                  fmt::format("{} switchboard \"{}\"", rj.warning_code, rj.warning_text));
  }
  if (options_.pbx_hold && (sdp::is_hold(*offer) || x.state() == LegState::kHeld)) {
    return on_local_reoffer(c, from, txn, std::move(*offer));  // hold / resume: music, no re-INVITE
  }
  if (!y.dialog) {
    // The other party is away (a consultation) or an application.
    return reject(txn, c.held_for ? 491 : 500,
                  c.held_for ? "Request Pending" : "Server Internal Error");
  }
  std::vector<std::uint16_t> ports_y(offer->media.size(), c.relay->local_port(other(from)));
  auto offer_y = sdp::relay_offer(*offer, options_.media, ports_y, y.sdp_session());
  if (!offer_y.ok()) {
    auto rj = sdp::rejection_for(offer_y.error());
    return reject(txn, rj.status, "Not Acceptable Here",
                  fmt::format("{} switchboard \"{}\"", rj.warning_code, rj.warning_text));
  }
  offer_other_g711_law(*offer_y);
  sip::Message out = y.dialog->make_request(req.method());
  out.add_header(sip::HeaderId::kUserAgent, options_.user_agent);
  y.local_sdp = sdp::serialize(*offer_y);
  sip::set_body(out, "application/sdp", y.local_sdp);
  if (invite) y.last_invite_cseq = y.dialog->local_cseq();
  c.reoffer = ReOffer{from, txn, std::move(*offer), std::move(*offer_y)};
  const std::uint64_t id = c.id;
  const MediaSide to = other(from);
  sip::ClientTransaction::Handlers h;
  h.response = [this, id, to](const sip::Message& r) {
    if (r.status_code() >= 200) on_reoffer_answer(id, to, r);
  };
  h.failure = [this, id](sip::ClientTransaction::Failure) {
    Call* call = find(id);
    if (!call || !call->reoffer) return;
    reject(call->reoffer->txn, 408, "Request Timeout");
    call->reoffer.reset();
  };
  layer_.send_request(std::move(out), y.peer, std::move(h));
}

void B2bua::on_reoffer_answer(std::uint64_t id, MediaSide to, const sip::Message& r) {
  Call* c = find(id);
  if (!c) return;
  Leg& y = c->leg(to);
  const int code = r.status_code();
  auto cseq = sip::get_cseq(r);
  const bool invite = cseq.ok() && cseq->method == "INVITE";
  if (invite && code < 300 && y.dialog) {
    // ACK every 2xx of our re-INVITE, retransmissions included.
    if (!y.last_ack || cseq->number != y.last_invite_ack_cseq) {
      sip::Message ack = y.dialog->make_ack(cseq->number);
      layer_.add_via(ack, y.peer.protocol);
      y.last_ack = std::move(ack);
      y.last_invite_ack_cseq = cseq->number;
    }
    layer_.send_stateless(*y.last_ack, y.peer);
  }
  if (!c->reoffer || c->reoffer->from != other(to) || c->phase != CallPhase::kAnswered) return;
  ReOffer ro = std::move(*c->reoffer);
  c->reoffer.reset();
  Leg& x = c->leg(ro.from);
  if (code >= 300) {
    return reject(ro.txn, code, r.reason());
  }
  auto answer = sdp::parse(r.body());
  std::vector<std::uint16_t> ports_x(ro.offer_from.media.size(), c->relay->local_port(ro.from));
  std::optional<sdp::SessionDescription> translated;
  if (answer.ok()) translated = in_offerers_law(ro.offer_from, *answer);
  auto ra = answer.ok()
                ? sdp::relay_answer(ro.offer_from, ro.offer_to, translated ? *translated : *answer,
                                    options_.media, ports_x, x.sdp_session())
                : Result<sdp::RelayAnswer>(answer.error());
  if (!ra.ok()) {
    log::get("call")->info("call {}: re-offer answer refused: {}", c->record.call_id,
                           ra.error().message);
    return reject(ro.txn, 488, "Not Acceptable Here");
  }
  configure_media(*c, ra->leg_a, ro.from, x.peer);
  auto leg_y = translated ? sdp::apply_answer(ro.offer_to, *answer) : Result(ra->leg_b);
  configure_media(*c, leg_y.ok() ? *leg_y : ra->leg_b, to, y.peer);
  const bool was_held = x.state() == LegState::kHeld;
  const bool hold = sdp::is_hold(ro.offer_from);
  x.on(hold ? LegEvent::kHold : LegEvent::kResume);
  x.remote_sdp = std::move(ro.offer_from);
  y.remote_sdp = std::move(*answer);
  if (hold != was_held) {
    events_.publish(hold ? CallEventKind::kHeld : CallEventKind::kResumed, c->record);
  }
  auto resp = sip::make_response(ro.txn->request(), 200, "OK");
  resp.add_header(sip::HeaderId::kContact, contact_for(x.peer.protocol));
  if (ro.from == MediaSide::kA && c->session_expires) {
    resp.add_header(sip::HeaderId::kSessionExpires,
                    fmt::format("{};refresher=uac", c->session_expires));
    resp.add_header(sip::HeaderId::kRequire, "timer");
    arm_session_timer(*c);
  }
  x.local_sdp = sdp::serialize(ra->answer_a);
  sip::set_body(resp, "application/sdp", x.local_sdp);
  if (ro.txn->is_invite()) return send_2xx(*c, ro.from, ro.txn, std::move(resp));
  ro.txn->respond(std::move(resp));
}

void B2bua::forward(Call& c, MediaSide from, const sip::ServerTransactionPtr& txn) {
  const sip::Message& req = txn->request();
  Leg& y = c.leg(other(from));
  // An application (or a redirect still ringing) has no dialog to pass
  // INFO/MESSAGE to; its digits come from RTP.
  if (!y.dialog) return reject(txn, 415, "Unsupported Media Type");
  sip::Message out = y.dialog->make_request(req.method());
  for (const char* h : {"Info-Package", "Content-Disposition", "Event", "Subject"}) {
    if (auto v = req.value(std::string_view(h))) out.add_header(std::string_view(h), *v);
  }
  if (!req.body().empty()) {
    sip::set_body(out, req.value(sip::HeaderId::kContentType).value_or("application/octet-stream"),
                  req.body());
  }
  sip::ClientTransaction::Handlers h;
  h.response = [txn](const sip::Message& r) {
    if (r.status_code() < 200) return;
    auto resp = sip::make_response(txn->request(), r.status_code(), r.reason());
    if (!r.body().empty()) {
      sip::set_body(resp, r.value(sip::HeaderId::kContentType).value_or("application/octet-stream"),
                    r.body());
    }
    txn->respond(std::move(resp));
  };
  h.failure = [txn](sip::ClientTransaction::Failure) {
    txn->respond(sip::make_response(txn->request(), 408, "Request Timeout"));
  };
  layer_.send_request(std::move(out), y.peer, std::move(h));
}

void B2bua::send_2xx(Call& c, MediaSide to, const sip::ServerTransactionPtr& txn,
                     sip::Message response) {
  Leg& leg = c.leg(to);
  txn->respond(response);
  leg.last_2xx = std::move(response);
  if (sip::is_stream(txn->source().protocol)) return;  // reliable: no retransmission
  const auto dest = sip::TransactionLayer::response_destination(txn->request(), txn->source());
  const std::uint64_t id = c.id;
  leg.retransmitter = std::make_unique<sip::AnswerRetransmitter>(
      timers_, layer_.options().timers,
      [this, id, to, dest] {
        if (Call* call = find(id); call && call->leg(to).last_2xx) {
          layer_.send_stateless(*call->leg(to).last_2xx, dest);
        }
      },
      [this, id] {
        // No ACK after 64·T1: end the call (§13.3.1.4), outside this callback.
        timers_.schedule(Duration(0), [this, id] {
          if (Call* call = find(id); call && call->phase == CallPhase::kAnswered) {
            end_call(*call, Party::kSystem, "no ACK");
          }
        });
      });
  leg.retransmitter->start();
}

void B2bua::on_ack(const sip::Message& ack, const sip::Source&) {
  auto to = sip::get_to(ack);
  if (!to.ok() || !to->tag()) return;
  auto ref = find_leg(ack.value(sip::HeaderId::kCallId).value_or(""), *to->tag());
  if (!ref || ref->transferrer) return;
  if (Call* c = find(ref->call)) {
    if (auto& r = c->leg(ref->side).retransmitter) r->acked();
  }
}

void B2bua::on_stray_response(const sip::Message& r, const sip::Source&) {
  const std::string_view call_id = r.value(sip::HeaderId::kCallId).value_or("");
  if (auto it = by_b_call_id_.find(std::string(call_id)); it != by_b_call_id_.end()) {
    if (Call* c = find(it->second)) {
      for (auto& f : c->forks) {
        if (f.uac->on_stray_response(r)) return;
      }
      for (auto& f : c->a_forks) {
        if (f.uac->on_stray_response(r)) return;
      }
    }
  }
  auto from = sip::get_from(r);
  if (!from.ok() || !from->tag()) return;
  auto ref = find_leg(call_id, *from->tag());
  Call* c = ref ? find(ref->call) : nullptr;
  if (!c) return;
  Leg& leg = c->leg(ref->side);
  auto cseq = sip::get_cseq(r);
  if (leg.last_ack && cseq.ok() && cseq->method == "INVITE" &&
      cseq->number == leg.last_invite_ack_cseq && r.status_code() >= 200 && r.status_code() < 300) {
    layer_.send_stateless(*leg.last_ack, leg.peer);
  }
}

void B2bua::send_bye(Call& c, MediaSide to) {
  Leg& leg = c.leg(to);
  if (!leg.dialog || leg.ended()) return;
  sip::Message bye = leg.dialog->make_request("BYE");
  bye.add_header(sip::HeaderId::kUserAgent, options_.user_agent);
  layer_.send_request(std::move(bye), leg.peer, {});
  leg.dialog->terminate();
}

void B2bua::arm_session_timer(Call& c) {
  if (!c.session_expires) return;
  if (c.session_timer) timers_.cancel(c.session_timer);
  // RFC 4028 §10: the side not refreshing ends the session slightly before
  // it expires, by the smaller of 32 s and a third of the interval.
  const std::uint32_t se = c.session_expires;
  const std::uint32_t slack = std::min<std::uint32_t>(32, se / 3);
  const std::uint64_t id = c.id;
  c.session_timer = timers_.schedule(std::chrono::seconds(se - slack), [this, id] {
    if (Call* call = find(id); call && call->phase == CallPhase::kAnswered) {
      call->session_timer = 0;
      end_call(*call, Party::kSystem, "session timer expired");
    }
  });
}

MediaLatch B2bua::latch_for(const sip::Destination& peer, const sdp::StreamParams& stream) {
  // NAT: the SDP names another host than the one the phone signals from.
  // A held stream's 0.0.0.0 says nothing about NAT.
  boost::system::error_code ec;
  const auto sdp_ip = boost::asio::ip::make_address(stream.remote_rtp.address, ec);
  if (ec || sdp_ip.is_unspecified() || peer.ip.is_unspecified()) return MediaLatch::kExpectedHost;
  return sdp_ip == peer.ip ? MediaLatch::kExpectedHost : MediaLatch::kAnyHost;
}

void B2bua::configure_media(Call& c, const sdp::LegMedia& media, MediaSide side,
                            const sip::Destination& peer) {
  c.side_media[side == MediaSide::kA ? 0 : 1] = media;
  for (const auto& s : media) {
    if (!s.active || s.media != "audio") continue;
    if (auto st = c.relay->configure(side, s, latch_for(peer, s)); !st.ok()) {
      log::get("call")->warn("call {}: media side {}: {}", c.record.call_id, to_string(side),
                             st.error().message);
    }
    if (s.codec) c.leg(side).codec = fmt::format("{}/{}", s.codec->name, s.codec->clock_rate);
    // Both laws of G.711 when the relay transcodes: "PCMU/8000 <-> PCMA/8000".
    c.record.codec = c.b.codec.empty() || c.a.codec == c.b.codec
                         ? c.a.codec
                         : fmt::format("{} <-> {}", c.a.codec, c.b.codec);
    return;
  }
}

void B2bua::end_call(Call& c, Party side, std::string cause) {
  if (c.phase == CallPhase::kEnded) return;
  if (side != Party::kCaller) send_bye(c, MediaSide::kA);
  if (side != Party::kCallee) send_bye(c, MediaSide::kB);
  cancel_forks(c);  // a redirect still ringing
  if (c.reoffer) {
    reject(c.reoffer->txn, 487, "Request Terminated");
    c.reoffer.reset();
  }
  finish(c, CallOutcome::kAnswered, 200, side, std::move(cause));
}

void B2bua::finish(Call& c, CallOutcome outcome, int status, Party side, std::string cause) {
  if (c.phase == CallPhase::kEnded) return;
  c.phase = CallPhase::kEnded;
  unlink_consultation(c);
  for (TimerId* t : {&c.no_answer_timer, &c.max_duration_timer, &c.session_timer}) {
    if (*t) timers_.cancel(*t);
    *t = 0;
  }
  c.record.end = wall_now_();
  c.record.outcome = outcome;
  c.record.final_status = status;
  c.record.hangup_side = side;
  c.record.hangup_cause = std::move(cause);
  if (c.relay) {
    c.record.quality = c.relay->quality();
    c.relay->close();
  }
  end_app(c, /*keep_media=*/false);
  if (c.app && c.app->media && c.app->keep_media) c.app->media->close();  // a redirect's ringback
  if (c.transfer) {
    Transfer& t = *c.transfer;
    if (t.no_answer_timer) timers_.cancel(t.no_answer_timer);
    t.no_answer_timer = 0;
    if (!t.transferrer_gone && t.stage == Transfer::Stage::kRinging) {
      if (t.by_refer) notify_refer(t.transferrer, 487, "Request Terminated", true);
      bye_leg(t.transferrer);
    }
    by_dialog_.erase(dialog_key(t.transferrer_call_id, t.transferrer.local_tag()));
  }
  c.a.on(LegEvent::kEnd);
  c.b.on(LegEvent::kEnd);
  if (c.invite_a) by_invite_.erase(c.invite_a->key());
  by_dialog_.erase(dialog_key(c.record.call_id, c.a.local_tag()));
  by_dialog_.erase(dialog_key(c.b_call_id, c.b.local_tag()));
  by_dialog_.erase(dialog_key(leg_call_id(c, MediaSide::kA), c.a.local_tag()));
  by_dialog_.erase(dialog_key(leg_call_id(c, MediaSide::kB), c.b.local_tag()));
  events_.publish(CallEventKind::kEnded, c.record);
  log::get("call")->info("call {} ended: {} ({}, {})", c.record.call_id, to_string(outcome),
                         c.record.hangup_cause, to_string(side));
  const std::uint64_t id = c.id;
  timers_.schedule(Duration(0), [this, id] { reap(id, 0); });
}

bool B2bua::hang_up(std::string_view call_id, const std::string& cause) {
  for (auto& [id, call] : calls_) {
    Call& c = *call;
    if (c.record.call_id != call_id) continue;
    if (c.phase == CallPhase::kRinging) {
      cancel_forks(c);
      respond_a(c, 480, "Temporarily Unavailable");
      finish(c, CallOutcome::kCancelled, 480, Party::kSystem, cause);
      return true;
    }
    if (c.phase == CallPhase::kAnswered) {
      end_call(c, Party::kSystem, cause);
      return true;
    }
  }
  return false;
}

void B2bua::end_all(const std::string& cause) {
  for (auto& [id, call] : calls_) {
    Call& c = *call;
    if (c.phase == CallPhase::kRinging) {
      cancel_forks(c);
      respond_a(c, 503, "Service Unavailable");
      finish(c, CallOutcome::kFailed, 503, Party::kSystem, cause);
    } else if (c.phase == CallPhase::kAnswered) {
      end_call(c, Party::kSystem, cause);
    }
  }
}

void B2bua::reap(std::uint64_t id, int attempts) {
  Call* c = find(id);
  if (!c) return;
  // Forks still waiting for their final response (a CANCEL in flight) keep
  // the call, so a late 2xx is ACKed and ended with BYE; 64·T1 at most.
  bool pending = app_busy(*c);
  for (const auto& f : c->forks) pending = pending || !f.uac->finished();
  for (const auto& f : c->a_forks) pending = pending || !f.uac->finished();
  if (pending && attempts < 40) {
    timers_.schedule(std::chrono::seconds(1), [this, id, attempts] { reap(id, attempts + 1); });
    return;
  }
  by_b_call_id_.erase(c->b_call_id);
  for (const auto& old : c->retired_b_call_ids) by_b_call_id_.erase(old);
  if (!c->a_forks.empty()) by_b_call_id_.erase(c->record.call_id);
  calls_.erase(id);
  stats_.active = calls_.size();
}

}  // namespace switchboard::core
