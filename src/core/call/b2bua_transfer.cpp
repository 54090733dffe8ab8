// Blind transfer (issue 7 §2): REFER (RFC 3515) from either party, or the
// API. The transferee stays anchored in the relay and hears ringback while
// side B is re-targeted (retarget_b); the transferrer's leg waits in
// Call::transfer so a target that fails or does not answer hands the
// transferee back to it (or, once it hung up, rings it back). Progress goes
// to the transferrer as NOTIFY message/sipfrag in the REFER's dialog.
#include <fmt/format.h>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "core/call/g711_bridge.hpp"
#include "core/call/swapped_relay.hpp"
#include "sdp/relay.hpp"
#include "sip/builder.hpp"
#include "sip/escape.hpp"
#include "sip/message_headers.hpp"

namespace switchboard::core {

std::string B2bua::leg_call_id(const Call& c, MediaSide side) {
  const Leg& leg = side == MediaSide::kA ? c.a : c.b;
  if (leg.dialog) return leg.dialog->id().call_id;
  return side == MediaSide::kA ? c.record.call_id : c.b_call_id;
}

std::string B2bua::number_of(const Call& c, MediaSide side) {
  return side == MediaSide::kA ? c.record.caller : c.record.callee;
}

void B2bua::notify_refer(Leg& leg, int status, std::string_view reason, bool final) {
  if (!leg.dialog || leg.ended()) return;
  sip::Message n = leg.dialog->make_request("NOTIFY");
  n.add_header(sip::HeaderId::kEvent, "refer");
  n.add_header(sip::HeaderId::kSubscriptionState,
               final ? "terminated;reason=noresource" : "active;expires=60");
  n.add_header(sip::HeaderId::kUserAgent, options_.user_agent);
  sip::set_body(n, "message/sipfrag;version=2.0", fmt::format("SIP/2.0 {} {}\r\n", status, reason));
  layer_.send_request(std::move(n), leg.peer, {});
}

void B2bua::on_refer(Call& c, MediaSide from, const sip::ServerTransactionPtr& txn) {
  const sip::Message& req = txn->request();
  auto log = log::get("call");
  if (c.changing()) return reject(txn, 491, "Request Pending");
  if (from == MediaSide::kA && c.app) {
    return reject(txn, 403, "Forbidden",
                  "399 switchboard \"an application cannot be transferred\"");
  }
  auto refer_to = sip::get_name_addr(req, sip::HeaderId::kReferTo);
  if (!refer_to.ok() || !refer_to->uri.is_sip()) {
    return reject(txn, 400, "Bad Request", "399 switchboard \"Refer-To must be a SIP URI\"");
  }
  if (auto replaces = refer_to->uri.headers.get("Replaces")) {
    const std::string text = sip::unescape(*replaces);
    auto rp = sip::parse_replaces(text);
    if (!rp.ok()) return reject(txn, 400, "Bad Request", "399 switchboard \"bad Replaces\"");
    return refer_with_replaces(c, from, txn, *rp);
  }
  const std::string target = sip::unescape(refer_to->uri.user);
  if (target.empty()) return reject(txn, 400, "Bad Request", "399 switchboard \"no target\"");
  auto accepted = sip::make_response(req, 202, "Accepted");
  accepted.add_header(sip::HeaderId::kContact, contact_for(c.leg(from).peer.protocol));
  txn->respond(std::move(accepted));
  log->info("call {}: {} transfers {} to {} (REFER)", c.record.call_id, number_of(c, from),
            number_of(c, other(from)), target);
  // The leg is on side B from here on when the transfer starts.
  notify_refer(c.leg(from), 100, "Trying", false);
  auto [status, reason] = start_blind_transfer(c, from, target, true, "blind");
  if (status != 0) {
    log->info("call {}: transfer to {} refused: {} {}", c.record.call_id, target, status, reason);
    notify_refer(c.leg(from), status, reason, true);
  }
}

std::pair<int, std::string> B2bua::start_blind_transfer(Call& c, MediaSide transferrer,
                                                        const std::string& target, bool by_refer,
                                                        std::string kind, std::string by) {
  const std::string x_number = number_of(c, transferrer);
  auto profile = callers_(x_number);
  RouteRequest rr{c.record.call_id, x_number, profile && profile->allow_external, target};
  RouteDecision route = router_.route(rr);
  if (route.rejected()) return {route.reject_status, route.reason};
  const bool to_app = route.kind != TargetKind::kExtension && apps_.count(route.kind) > 0;
  std::vector<const Binding*> contacts;
  if (!to_app) {
    if (route.kind != TargetKind::kExtension) return {404, "Not Found"};
    contacts = registrar_.lookup(route.target);
    if (contacts.empty()) return {480, "Temporarily Unavailable"};
  }
  const bool swapped = transferrer == MediaSide::kA;
  if (swapped) swap_sides(c);
  // The transferrer's leg steps aside (still indexed, for its BYE).
  const std::string x_call_id = leg_call_id(c, MediaSide::kB);
  by_dialog_.erase(dialog_key(x_call_id, c.b.local_tag()));
  Transfer t(std::move(c.b));
  t.transferrer_call_id = x_call_id;
  t.transferrer_number = x_number;
  if (c.side_media[1]) t.transferrer_media = *c.side_media[1];
  t.by_refer = by_refer;
  t.by = by.empty() ? (by_refer ? x_number : std::string("api")) : std::move(by);
  t.kind = std::move(kind);
  t.target = target;
  t.swapped = swapped;
  c.b = Leg(MediaSide::kB, sip::random_hex(8), "0", options_.media.address);
  c.transfer.emplace(std::move(t));
  by_dialog_[dialog_key(x_call_id, c.transfer->transferrer.local_tag())] =
      LegRef{c.id, MediaSide::kB, true};
  // The transferee hears ringback, not the hold music of the transferrer.
  c.relay->stop_music(MediaSide::kA);
  c.relay->stop_music(MediaSide::kB);
  c.api_held.reset();
  const std::uint64_t id = c.id;
  retarget_b(c, route, contacts, to_app, c.offer_b);
  Call* again = find(id);
  if (!again || again->phase != CallPhase::kAnswered) return {0, ""};
  if (!again->redirecting) {
    transfer_answered(*again);  // an application took it at once
  } else if (options_.no_answer_timeout.count() > 0) {
    again->transfer->no_answer_timer = timers_.schedule(options_.no_answer_timeout, [this, id] {
      Call* call = find(id);
      if (!call || !call->transfer) return;
      call->transfer->no_answer_timer = 0;
      transfer_failed(*call, 480, "Temporarily Unavailable");
    });
  }
  return {0, ""};
}

void B2bua::transfer_answered(Call& c) {
  if (!c.transfer) return;
  Transfer t = std::move(*c.transfer);
  c.transfer.reset();
  if (t.no_answer_timer) timers_.cancel(t.no_answer_timer);
  by_dialog_.erase(dialog_key(t.transferrer_call_id, t.transferrer.local_tag()));
  TransferStep step;
  step.kind = t.stage == Transfer::Stage::kRecall ? "recall" : t.kind;
  step.by = t.by;
  step.from = t.transferrer_number;
  step.to = c.record.callee;
  step.at = wall_now_();
  c.record.transfers.push_back(step);
  if (!t.transferrer_gone && t.stage == Transfer::Stage::kRinging) {
    if (t.by_refer) notify_refer(t.transferrer, 200, "OK", true);
    bye_leg(t.transferrer);
  }
  events_.publish(CallEventKind::kTransferred, c.record);
  log::get("call")->info("call {}: transferred by {} to {} ({})", c.record.call_id, step.by,
                         step.to, step.kind);
}

void B2bua::transfer_failed(Call& c, int status, std::string reason) {
  if (!c.transfer) return;
  auto log = log::get("call");
  Transfer& t = *c.transfer;
  if (t.no_answer_timer) timers_.cancel(t.no_answer_timer);
  t.no_answer_timer = 0;
  cancel_forks(c);
  if (t.stage == Transfer::Stage::kRecall) {
    return end_call(c, Party::kSystem, "transfer failed and the recall was not answered");
  }
  log->info("call {}: transfer to {} failed: {} {}", c.record.call_id, t.target, status, reason);
  if (!t.transferrer_gone) {
    if (t.by_refer) notify_refer(t.transferrer, status, reason, true);
    return restore_transferrer(c);
  }
  // The transferrer hung up already: ring it back for the transferee.
  t.stage = Transfer::Stage::kRecall;
  auto contacts = registrar_.lookup(t.transferrer_number);
  if (contacts.empty()) {
    return end_call(c, Party::kSystem, "transfer failed; the transferrer is not reachable");
  }
  RouteDecision back;
  back.kind = TargetKind::kExtension;
  back.target = t.transferrer_number;
  const std::uint64_t id = c.id;
  log->info("call {}: recalling {}", c.record.call_id, t.transferrer_number);
  retarget_b(c, back, contacts, false, c.offer_b);
  if (Call* again = find(id); again && again->transfer && options_.no_answer_timeout.count() > 0) {
    again->transfer->no_answer_timer = timers_.schedule(options_.no_answer_timeout, [this, id] {
      Call* call = find(id);
      if (!call || !call->transfer) return;
      call->transfer->no_answer_timer = 0;
      transfer_failed(*call, 480, "Temporarily Unavailable");
    });
  }
}

void B2bua::restore_transferrer(Call& c) {
  Transfer t = std::move(*c.transfer);
  c.transfer.reset();
  by_dialog_.erase(dialog_key(t.transferrer_call_id, t.transferrer.local_tag()));
  c.redirecting = false;
  if (c.app) {  // the ringback leg
    if (c.app->state != AppState::kEnded) app_ended(c);
    if (c.app->media) c.app->media->close();
    c.app.reset();
  }
  c.record.callee = t.transferrer_number;
  c.retired_b_call_ids.push_back(c.b_call_id);
  c.b_call_id = t.transferrer_call_id;
  by_b_call_id_[c.b_call_id] = c.id;
  c.b = std::move(t.transferrer);
  index_leg(c, MediaSide::kB, c.b_call_id);
  if (!t.transferrer_media.empty())
    configure_media(c, t.transferrer_media, MediaSide::kB, c.b.peer);
  const bool held = c.b.state() == LegState::kHeld;
  if (t.swapped) swap_sides(c);  // the caller transferred: it is side A again
  if (held) {
    // It still holds the transferee, as before the REFER.
    (void)c.relay->start_music(t.swapped ? MediaSide::kB : MediaSide::kA, options_.moh_class);
  }
  log::get("call")->info("call {}: back to {}", c.record.call_id, t.transferrer_number);
}

void B2bua::on_transferrer_request(Call& c, const sip::ServerTransactionPtr& txn) {
  const sip::Message& req = txn->request();
  if (!c.transfer) return reject(txn, 481, "Call/Transaction Does Not Exist");
  Leg& x = c.transfer->transferrer;
  if (x.dialog) (void)x.dialog->on_request(req);
  if (req.method() == "BYE") {
    txn->respond(sip::make_response(req, 200, "OK"));
    c.transfer->transferrer_gone = true;
    x.on(LegEvent::kEnd);
    if (x.dialog) x.dialog->terminate();
    by_dialog_.erase(dialog_key(c.transfer->transferrer_call_id, x.local_tag()));
    log::get("call")->info("call {}: the transferrer {} hung up", c.record.call_id,
                           c.transfer->transferrer_number);
    return;
  }
  if (req.method_id() == sip::Method::kInvite || req.method() == "UPDATE") {
    return reject(txn, 491, "Request Pending");
  }
  txn->respond(sip::make_response(req, 200, "OK"));
}

void B2bua::bye_leg(Leg& leg) {
  if (!leg.dialog || leg.ended()) return;
  sip::Message bye = leg.dialog->make_request("BYE");
  bye.add_header(sip::HeaderId::kUserAgent, options_.user_agent);
  layer_.send_request(std::move(bye), leg.peer, {});
  leg.dialog->terminate();
  leg.on(LegEvent::kEnd);
}

void B2bua::swap_sides(Call& c) {
  by_dialog_.erase(dialog_key(leg_call_id(c, MediaSide::kA), c.a.local_tag()));
  by_dialog_.erase(dialog_key(leg_call_id(c, MediaSide::kB), c.b.local_tag()));
  const std::string a_call_id = leg_call_id(c, MediaSide::kA);
  const std::string b_call_id = leg_call_id(c, MediaSide::kB);
  std::swap(c.a, c.b);
  c.a.set_side(MediaSide::kA);
  c.b.set_side(MediaSide::kB);
  if (c.sides_swapped) {
    c.relay = static_cast<SwappedRelay&>(*c.relay).release();
  } else {
    c.relay = std::make_unique<SwappedRelay>(std::move(c.relay));
  }
  c.sides_swapped = !c.sides_swapped;
  watch_digits(c);
  std::swap(c.side_media[0], c.side_media[1]);
  std::swap(c.record.caller, c.record.callee);
  std::swap(c.record.caller_user_agent, c.record.callee_user_agent);
  auto profile = callers_(c.record.caller);
  c.record.caller_name = profile ? profile->name : std::string();
  // B-side bookkeeping follows the leg now on side B.
  if (c.b_call_id != a_call_id) c.retired_b_call_ids.push_back(c.b_call_id);
  c.b_call_id = a_call_id;
  by_b_call_id_[c.b_call_id] = c.id;
  by_dialog_[dialog_key(b_call_id, c.a.local_tag())] = LegRef{c.id, MediaSide::kA};
  by_dialog_[dialog_key(a_call_id, c.b.local_tag())] = LegRef{c.id, MediaSide::kB};
  // What the new side A described, and our offer for side B made from it.
  if (c.a.remote_sdp) c.offer_a = *c.a.remote_sdp;
  std::vector<std::uint16_t> ports(c.offer_a.media.size(), c.relay->local_port(MediaSide::kB));
  if (auto ob = sdp::relay_offer(c.offer_a, options_.media, ports, c.b.sdp_session()); ob.ok()) {
    offer_other_g711_law(*ob);
    c.offer_b = std::move(*ob);
  }
  // RFC 4028 timers run toward the original caller only.
  if (c.session_timer) timers_.cancel(c.session_timer);
  c.session_timer = 0;
  c.session_expires = 0;
}

Status B2bua::transfer(std::string_view call_id, MediaSide stays, const std::string& target,
                       const std::string& by) {
  Call* c = find_by_call_id(call_id);
  if (!c) return make_error(ErrorCode::kNotFound, fmt::format("no active call {}", call_id));
  if (c->phase != CallPhase::kAnswered) {
    return make_error(ErrorCode::kFailedPrecondition, "the call is not answered");
  }
  if (c->changing()) {
    return make_error(ErrorCode::kFailedPrecondition, "the call is being changed");
  }
  if (!c->leg(stays).dialog) {
    return make_error(ErrorCode::kFailedPrecondition, "that party is an application");
  }
  const std::string who = by.empty() ? number_of(*c, other(stays)) : by;
  auto [status, reason] =
      start_blind_transfer(*c, other(stays), target, false, who == "api" ? "api" : "blind", who);
  if (status == 0) return {};
  if (status == 403) return make_error(ErrorCode::kFailedPrecondition, reason);
  if (status == 404 || status == 484) return make_error(ErrorCode::kNotFound, reason);
  return make_error(ErrorCode::kUnavailable, fmt::format("{} {}", status, reason));
}

}  // namespace switchboard::core
