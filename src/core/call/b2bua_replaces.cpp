// Joining dialogs (issue 7 §2): attended transfer by REFER with Replaces
// (RFC 3891 in a Refer-To), and INVITE with Replaces (a phone takes over a
// connected call: pickup-style joins). The transferrer X has two calls
// through the PBX — or two legs of one phone on two calls — and leaves
// both; the party on the far side of one call moves into the other call at
// X's place by a re-INVITE toward the relay of that call, restricted to the
// codec of the party it will talk to, so the other party's phone sees no
// change at all.
#include <fmt/format.h>
#include <strings.h>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "sdp/negotiation.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"
#include "sip/builder.hpp"
#include "sip/message_headers.hpp"

namespace switchboard::core {

sdp::MediaConfig B2bua::media_config_for(const std::string& codec) const {
  sdp::MediaConfig cfg = options_.media;
  const std::string name = codec.substr(0, codec.find('/'));
  std::uint32_t rate = 8000;
  if (auto slash = codec.find('/'); slash != std::string::npos) {
    rate = static_cast<std::uint32_t>(std::strtoul(codec.c_str() + slash + 1, nullptr, 10));
  }
  const bool g711 = strcasecmp(name.c_str(), "PCMU") == 0 || strcasecmp(name.c_str(), "PCMA") == 0;
  std::vector<sdp::CodecSpec> keep;
  for (const auto& k : cfg.codecs) {
    const bool same = strcasecmp(k.name.c_str(), name.c_str()) == 0 && k.clock_rate == rate;
    // The relay transcodes between the two laws of G.711.
    const bool law = g711 && (strcasecmp(k.name.c_str(), "PCMU") == 0 ||
                              strcasecmp(k.name.c_str(), "PCMA") == 0);
    if (same || law) keep.push_back(k);
  }
  if (!keep.empty()) cfg.codecs = std::move(keep);
  return cfg;
}

std::optional<B2bua::LegRef> B2bua::find_replaced(const sip::Replaces& rp) const {
  // RFC 3891 §3: both tags must match; which one is ours depends on who
  // built the header, so try both ways round.
  auto check = [&](std::string_view ours, std::string_view theirs) -> std::optional<LegRef> {
    auto ref = find_leg(rp.call_id, ours);
    if (!ref || ref->transferrer) return std::nullopt;
    auto it = calls_.find(ref->call);
    if (it == calls_.end()) return std::nullopt;
    const Leg& leg = ref->side == MediaSide::kA ? it->second->a : it->second->b;
    if (!leg.dialog || leg.dialog->id().remote_tag != theirs) return std::nullopt;
    return ref;
  };
  if (auto r = check(rp.to_tag, rp.from_tag)) return r;
  return check(rp.from_tag, rp.to_tag);
}

void B2bua::after_join(Call& c) {
  // Whoever held whom before, the two parties now talk.
  c.relay->stop_music(MediaSide::kA);
  c.relay->stop_music(MediaSide::kB);
  c.api_held.reset();
  for (Leg* leg : {&c.a, &c.b}) {
    if (leg->state() == LegState::kHeld) leg->on(LegEvent::kResume);
  }
}

void B2bua::refer_with_replaces(Call& cr, MediaSide sr, const sip::ServerTransactionPtr& txn,
                                const sip::Replaces& rp) {
  auto ref = find_replaced(rp);
  Call* cp = ref ? find(ref->call) : nullptr;
  if (!cp || cp == &cr || cp->phase != CallPhase::kAnswered) {
    return reject(txn, 481, "Call/Transaction Does Not Exist",
                  "399 switchboard \"the dialog to replace is not a connected call\"");
  }
  if (cp->changing() || cr.held_for || cr.consulting) {
    return reject(txn, 491, "Request Pending");
  }
  const MediaSide sp = ref->side;
  const bool transferee_is_app = other(sr) == MediaSide::kB && cr.app;
  const bool target_is_app = other(sp) == MediaSide::kB && cp->app;
  if ((transferee_is_app && target_is_app) || (!cr.leg(other(sr)).dialog && !transferee_is_app)) {
    return reject(txn, 488, "Not Acceptable Here");
  }
  auto accepted = sip::make_response(txn->request(), 202, "Accepted");
  accepted.add_header(sip::HeaderId::kContact, contact_for(cr.leg(sr).peer.protocol));
  txn->respond(std::move(accepted));
  notify_refer(cr.leg(sr), 100, "Trying", false);
  log::get("call")->info("call {}: {} joins {} with {} of call {} (REFER with Replaces)",
                         cr.record.call_id, number_of(cr, sr), number_of(cr, other(sr)),
                         number_of(*cp, other(sp)), cp->record.call_id);
  // The party on the far side of the consultation call moves into the
  // transferee's call; when that party is an application (parking, a
  // conference), the transferee moves to it instead.
  if (target_is_app) {
    relocate(cr.id, other(sr), cp->id, sp, cr.id, sr);
  } else {
    relocate(cp->id, other(sp), cr.id, sr, cr.id, sr);
  }
}

void B2bua::reoffer_leg(std::uint64_t id, MediaSide side, std::uint16_t port,
                        const std::string& codec, std::function<void(MoveResult)> done) {
  Call* c = find(id);
  Leg& l = c->leg(side);
  auto later = [this, done](int status, std::string reason) {
    timers_.schedule(Duration(0), [done, status, reason] { done({status, reason, {}}); });
  };
  if (!l.dialog) return later(488, "Not Acceptable Here");
  sdp::MediaConfig cfg = media_config_for(codec.empty() ? "PCMU/8000" : codec);
  auto offer = sdp::make_offer(cfg, port, l.sdp_session());
  if (!offer.ok()) return later(488, "Not Acceptable Here");
  sip::Message inv = l.dialog->make_request("INVITE");
  inv.add_header(sip::HeaderId::kUserAgent, options_.user_agent);
  l.local_sdp = sdp::serialize(*offer);
  sip::set_body(inv, "application/sdp", l.local_sdp);
  l.last_invite_cseq = l.dialog->local_cseq();
  sip::ClientTransaction::Handlers h;
  auto sent_offer = std::make_shared<sdp::SessionDescription>(std::move(*offer));
  h.response = [this, id, side, sent_offer, done](const sip::Message& r) {
    if (r.status_code() < 200) return;
    Call* call = find(id);
    if (!call) return done({0, "the call ended", {}});
    if (r.status_code() >= 300) return done({r.status_code(), std::string(r.reason()), {}});
    Leg& leg = call->leg(side);
    auto cseq = sip::get_cseq(r);
    if (cseq.ok() && leg.dialog) {
      sip::Message ack = leg.dialog->make_ack(cseq->number);
      layer_.add_via(ack, leg.peer.protocol);
      leg.last_ack = ack;
      leg.last_invite_ack_cseq = cseq->number;
      layer_.send_stateless(ack, leg.peer);
    }
    auto answer = sdp::parse(r.body());
    auto media = answer.ok() ? sdp::apply_answer(*sent_offer, *answer)
                             : Result<sdp::LegMedia>(answer.error());
    if (!media.ok()) return done({488, "Not Acceptable Here", {}});
    leg.remote_sdp = std::move(*answer);
    done({200, "OK", std::move(*media)});
  };
  h.failure = [done](sip::ClientTransaction::Failure) { done({408, "Request Timeout", {}}); };
  layer_.send_request(std::move(inv), l.peer, std::move(h));
}

void B2bua::relocate(std::uint64_t src_id, MediaSide src_side, std::uint64_t dst_id,
                     MediaSide dst_side, std::uint64_t refer_call, MediaSide refer_side,
                     std::string kind, std::function<void()> failed) {
  Call* src = find(src_id);
  Call* dst = find(dst_id);
  // Restricted to the codec of the party the mover will talk to (its own
  // when that one is still ringing).
  std::string codec = dst->leg(other(dst_side)).codec;
  if (codec.empty()) codec = src->leg(src_side).codec;
  src->moving = true;
  dst->moving = true;
  reoffer_leg(src_id, src_side, dst->relay->local_port(dst_side), codec,
              [this, src_id, src_side, dst_id, dst_side, refer_call, refer_side, kind,
               failed](MoveResult m) {
                Call* s = find(src_id);
                Call* d = find(dst_id);
                if (s) s->moving = false;
                if (d) d->moving = false;
                auto notify = [&](int status, std::string_view reason) {
                  if (Call* rc = find(refer_call); rc && rc->phase == CallPhase::kAnswered) {
                    notify_refer(rc->leg(refer_side), status, reason, true);
                  }
                };
                const bool both =
                    s && d && s->phase == CallPhase::kAnswered && d->phase == CallPhase::kAnswered;
                if (m.status != 200 || !both) {
                  if (m.status != 0 && m.status != 200) {
                    log::get("call")->info("call {}: the {} re-INVITE got {} {}", dst_id, kind,
                                           m.status, m.reason);
                    notify(m.status, m.reason);
                  }
                  if (failed) failed();
                  return;
                }
                notify(200, "OK");
                join_moved_leg(*s, src_side, *d, dst_side, m.media, kind);
              });
}

void B2bua::join_moved_leg(Call& src, MediaSide src_side, Call& dst, MediaSide dst_side,
                           const sdp::LegMedia& media, const std::string& kind) {
  const std::string mover = number_of(src, src_side);
  const std::string x_number = number_of(dst, dst_side);
  // The mover leaves the source call's index …
  const std::string mover_call_id = leg_call_id(src, src_side);
  by_dialog_.erase(dialog_key(mover_call_id, src.leg(src_side).local_tag()));
  Leg moved = std::move(src.leg(src_side));
  src.leg(src_side) = Leg(src_side, sip::random_hex(8), "0", options_.media.address);
  // … X leaves the destination call …
  by_dialog_.erase(dialog_key(leg_call_id(dst, dst_side), dst.leg(dst_side).local_tag()));
  bye_leg(dst.leg(dst_side));
  // … and the mover takes X's place there.
  moved.set_side(dst_side);
  dst.leg(dst_side) = std::move(moved);
  by_dialog_[dialog_key(mover_call_id, dst.leg(dst_side).local_tag())] = LegRef{dst.id, dst_side};
  if (dst_side == MediaSide::kB) {
    dst.retired_b_call_ids.push_back(dst.b_call_id);
    dst.b_call_id = mover_call_id;
    by_b_call_id_[dst.b_call_id] = dst.id;
  } else {
    if (dst.session_timer) timers_.cancel(dst.session_timer);
    dst.session_timer = 0;
    dst.session_expires = 0;
  }
  configure_media(dst, media, dst_side, dst.leg(dst_side).peer);
  if (dst.app && dst_side == MediaSide::kB) {
    // The mover takes an application's place (a parked call retrieved):
    // the application is detached, its requests cut.
    if (dst.app_music) dst.relay->stop_music(MediaSide::kA);
    dst.app_music = false;
    if (dst.app->state != AppState::kEnded) app_ended(dst);
    if (dst.app->media) dst.app->media->close();
    dst.app.reset();
  }
  const bool app_keeps_media = dst.app && dst.app->state == AppState::kRunning;
  if (!app_keeps_media) after_join(dst);
  auto profile = callers_(mover);
  const std::string mover_name = profile ? profile->name : std::string();
  if (dst_side == MediaSide::kA) {
    dst.record.caller = mover;
    dst.record.caller_name = mover_name;
    dst.record.caller_user_agent = dst.a.user_agent;
    if (app_keeps_media) {
      // The application (parking, a conference) has a new caller.
      auto app = dst.app->app;
      app->on_caller_changed(mover);
    }
  } else {
    dst.record.callee = mover;
    dst.record.callee_user_agent = dst.b.user_agent;
  }
  log::get("call")->info("call {}: {} replaced {} ({})", dst.record.call_id, mover, x_number, kind);
  if (kind == "returned") {
    // The end of a consultation: the transferrer is back, nothing moved.
    events_.publish(CallEventKind::kResumed, dst.record);
    return end_call(src, Party::kSystem, "consultation ended");
  }
  TransferStep step{kind, x_number, x_number, mover, wall_now_()};
  dst.record.transfers.push_back(step);
  events_.publish(CallEventKind::kTransferred, dst.record);
  // Bridged unless the mover joined an application (parking, a conference)
  // or the other side still rings (an attended transfer completed early).
  if (!app_keeps_media && !dst.redirecting) {
    events_.publish(
        CallEvent{.kind = CallEventKind::kBridged, .call = dst.record, .bridge = kind.c_str()});
  }
  // X's other leg ends the source call.
  src.record.transfers.push_back(step);
  end_call(src, Party::kSystem,
           kind == "retrieved" ? std::string("retrieved") : fmt::format("{} transfer", kind));
}

bool B2bua::on_invite_replaces(const sip::ServerTransactionPtr& txn) {
  const sip::Message& req = txn->request();
  if (!req.value(sip::HeaderId::kReplaces)) return false;
  auto log = log::get("call");
  auto rp = sip::get_replaces(req);
  if (!rp.ok()) {
    reject(txn, 400, "Bad Request", "399 switchboard \"bad Replaces\"");
    return true;
  }
  auto caller = caller_of(*txn);
  if (!caller || !callers_(*caller)) {
    reject(txn, 403, "Forbidden");
    return true;
  }
  auto ref = find_replaced(*rp);
  Call* c = ref ? find(ref->call) : nullptr;
  if (!c || c->phase != CallPhase::kAnswered || rp->early_only) {
    // Early dialogs (pickup of a ringing call) are not joined yet.
    reject(txn, 481, "Call/Transaction Does Not Exist");
    return true;
  }
  if (c->changing()) {
    reject(txn, 491, "Request Pending");
    return true;
  }
  const MediaSide s = ref->side;
  auto offer = sdp::parse(req.body());
  if (req.body().empty() || !offer.ok()) {
    reject(txn, 488, "Not Acceptable Here", "399 switchboard \"SDP offer required\"");
    return true;
  }
  const std::string& partner_codec = c->leg(other(s)).codec;
  sdp::MediaConfig cfg = media_config_for(partner_codec.empty() ? "PCMU/8000" : partner_codec);
  Leg w(s, sip::random_hex(8), std::to_string(timers_.now().time_since_epoch().count()),
        options_.media.address);
  std::vector<std::uint16_t> ports(offer->media.size(), c->relay->local_port(s));
  auto answer = sdp::answer_offer(*offer, cfg, ports, w.sdp_session());
  if (!answer.ok()) {
    reject(txn, 488, "Not Acceptable Here");
    return true;
  }
  const std::string contact = contact_for(txn->source().protocol);
  auto dialog = sip::Dialog::from_request(req, w.local_tag(), contact);
  if (!dialog.ok()) {
    reject(txn, 400, "Bad Request");
    return true;
  }
  const std::string x_number = number_of(*c, s);
  log->info("call {}: {} replaces {} (INVITE with Replaces)", c->record.call_id, *caller, x_number);
  by_dialog_.erase(dialog_key(leg_call_id(*c, s), c->leg(s).local_tag()));
  bye_leg(c->leg(s));
  w.dialog = std::move(*dialog);
  w.dialog->confirm();
  const auto& src = txn->source();
  w.peer = sip::Destination{src.protocol, src.remote_ip, src.remote_port, src.connection};
  w.user_agent = std::string(sip::get_user_agent(req).value_or(""));
  w.remote_sdp = *offer;
  w.local_sdp = sdp::serialize(answer->sdp);
  w.on(LegEvent::kAnswer);
  const std::string w_call_id(req.value(sip::HeaderId::kCallId).value_or(""));
  c->leg(s) = std::move(w);
  index_leg(*c, s, w_call_id);
  if (s == MediaSide::kB) {
    c->retired_b_call_ids.push_back(c->b_call_id);
    c->b_call_id = w_call_id;
    by_b_call_id_[w_call_id] = c->id;
    c->record.callee = *caller;
    c->record.callee_user_agent = c->b.user_agent;
  } else {
    if (c->session_timer) timers_.cancel(c->session_timer);
    c->session_timer = 0;
    c->session_expires = 0;
    c->record.caller = *caller;
    c->record.caller_name = callers_(*caller) ? callers_(*caller)->name : std::string();
    c->record.caller_user_agent = c->a.user_agent;
  }
  configure_media(*c, answer->streams, s, c->leg(s).peer);
  after_join(*c);
  auto resp = sip::make_response(req, 200, "OK", c->leg(s).local_tag());
  resp.add_header(sip::HeaderId::kContact, contact);
  resp.add_header(sip::HeaderId::kAllow, kAllowedMethods);
  sip::set_body(resp, "application/sdp", c->leg(s).local_sdp);
  send_2xx(*c, s, txn, std::move(resp));
  c->record.transfers.push_back(TransferStep{"replaces", *caller, x_number, *caller, wall_now_()});
  events_.publish(CallEventKind::kTransferred, c->record);
  if (!(s == MediaSide::kA && c->app)) {  // the newcomer faces a person, not an application
    events_.publish(
        CallEvent{.kind = CallEventKind::kBridged, .call = c->record, .bridge = "replaces"});
  }
  return true;
}

}  // namespace switchboard::core
