// The ringing phase: responses from the forks, the caller's CANCEL, the
// no-answer timeout, and answering the caller when a fork answers.
#include <fmt/format.h>

#include <algorithm>
#include <span>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "core/call/g711_bridge.hpp"
#include "sdp/hold.hpp"
#include "sdp/negotiation.hpp"
#include "sdp/parser.hpp"
#include "sdp/relay.hpp"
#include "sdp/serializer.hpp"
#include "sip/builder.hpp"
#include "sip/message_headers.hpp"

namespace switchboard::core {

namespace {

CallOutcome outcome_of(int status) {
  if (status == 486 || status == 600 || status == 603) return CallOutcome::kBusy;
  if (status == 408 || status == 480 || status == 487) return CallOutcome::kNoAnswer;
  return CallOutcome::kFailed;
}

std::string user_agent_of(const sip::Message& r) {
  if (auto s = sip::get_server(r)) return std::string(*s);
  return std::string(sip::get_user_agent(r).value_or(""));
}

}  // namespace

void B2bua::respond_a(Call& c, int status, std::string_view reason) {
  if (!c.invite_a) return;
  c.invite_a->respond(sip::make_response(c.invite_a->request(), status, reason, c.a.local_tag()));
  by_invite_.erase(c.invite_a->key());
  c.invite_a.reset();
}

bool B2bua::apply_answer_sdp(Call& c, const sip::Message& r, const sip::Destination& callee,
                             sdp::SessionDescription& answer_a) {
  auto answer_b = sdp::parse(r.body());
  if (!answer_b.ok()) {
    log::get("call")->info("call {}: unusable SDP from callee: {}", c.record.call_id,
                           answer_b.error().message);
    return false;
  }
  std::vector<std::uint16_t> ports_a(c.offer_a.media.size(), c.relay->local_port(MediaSide::kA));
  const auto translated = in_offerers_law(c.offer_a, *answer_b);
  auto ra = sdp::relay_answer(c.offer_a, c.offer_b, translated ? *translated : *answer_b,
                              options_.media, ports_a, c.a.sdp_session());
  if (!ra.ok()) {
    log::get("call")->info("call {}: callee's answer refused: {}", c.record.call_id,
                           ra.error().message);
    return false;
  }
  configure_media(c, ra->leg_a, MediaSide::kA, c.a.peer);
  auto leg_b = translated ? sdp::apply_answer(c.offer_b, *answer_b) : Result(ra->leg_b);
  configure_media(c, leg_b.ok() ? *leg_b : ra->leg_b, MediaSide::kB, callee);
  c.b.remote_sdp = std::move(*answer_b);
  answer_a = std::move(ra->answer_a);
  return true;
}

void B2bua::on_fork_provisional(std::uint64_t id, size_t fork, const sip::Message& r) {
  Call* c = find(id);
  const int code = r.status_code();
  if (!c || c->phase != CallPhase::kRinging || code == 100 || !c->invite_a) return;
  if (fork < c->redirect_forks_from) return;  // a target the call was forwarded away from
  c->a.on(LegEvent::kProvisional);
  c->b.on(LegEvent::kProvisional);
  auto resp = sip::make_response(c->invite_a->request(), code, r.reason(), c->a.local_tag());
  resp.add_header(sip::HeaderId::kContact, contact_for(c->a.peer.protocol));
  sdp::SessionDescription answer_a;
  if (!r.body().empty() && apply_answer_sdp(*c, r, c->forks[fork].destination, answer_a)) {
    c->a.local_sdp = sdp::serialize(answer_a);
    sip::set_body(resp, "application/sdp", c->a.local_sdp);  // early media
  }
  c->invite_a->respond(std::move(resp));
  events_.publish(CallEventKind::kRinging, c->record);
}

void B2bua::on_fork_answered(std::uint64_t id, size_t fork, sip::Dialog& dialog,
                             const sip::Message& r) {
  Call* c = find(id);
  const sip::Destination dest = c->forks[fork].destination;
  if (c->redirecting && fork >= c->redirect_forks_from && c->phase == CallPhase::kAnswered) {
    return on_redirect_answered(*c, fork, dialog, r);
  }
  if (c->phase != CallPhase::kRinging || fork < c->redirect_forks_from) {
    // Another fork answered first (or the call ended, or was forwarded
    // away from this target): end this one.
    layer_.send_request(dialog.make_request("BYE"), dest, {});
    c->forks[fork].done = true;
    return;
  }
  c->forks[fork].done = true;
  c->forks[fork].status = 200;
  sdp::SessionDescription answer_a;
  if (!apply_answer_sdp(*c, r, dest, answer_a)) {
    layer_.send_request(dialog.make_request("BYE"), dest, {});
    cancel_forks(*c);
    respond_a(*c, 488, "Not Acceptable Here");
    return finish(*c, CallOutcome::kFailed, 488, Party::kSystem, "callee's SDP refused");
  }
  c->b.dialog = dialog;
  c->b.peer = dest;
  c->b.user_agent = user_agent_of(r);
  c->b.last_invite_cseq = 1;
  index_leg(*c, MediaSide::kB, c->b_call_id);
  cancel_forks(*c, fork);
  c->b.on(LegEvent::kAnswer);
  answer_caller(*c, answer_a);
}

void B2bua::answer_caller(Call& c, const sdp::SessionDescription& answer_a) {
  const std::string contact = contact_for(c.a.peer.protocol);
  auto resp = sip::make_response(c.invite_a->request(), 200, "OK", c.a.local_tag());
  resp.add_header(sip::HeaderId::kContact, contact);
  resp.add_header(sip::HeaderId::kAllow, kAllowedMethods);
  if (c.session_expires) {
    resp.add_header(sip::HeaderId::kSessionExpires,
                    fmt::format("{};refresher=uac", c.session_expires));
    resp.add_header(sip::HeaderId::kRequire, "timer");
  }
  c.a.local_sdp = sdp::serialize(answer_a);
  sip::set_body(resp, "application/sdp", c.a.local_sdp);
  auto dialog = sip::Dialog::from_request(c.invite_a->request(), c.a.local_tag(), contact);
  if (dialog.ok()) {
    c.a.dialog = std::move(*dialog);
    c.a.dialog->confirm();
  } else {
    log::get("call")->info("call {}: no dialog with the caller: {}", c.record.call_id,
                           dialog.error().message);
  }
  auto txn = c.invite_a;
  by_invite_.erase(txn->key());
  c.invite_a.reset();
  send_2xx(c, MediaSide::kA, txn, std::move(resp));
  c.a.on(LegEvent::kAnswer);
  c.phase = CallPhase::kAnswered;
  c.record.answer = wall_now_();
  c.record.final_status = 200;
  c.record.callee_user_agent = c.b.user_agent;
  if (c.no_answer_timer) timers_.cancel(c.no_answer_timer);
  c.no_answer_timer = 0;
  const std::uint64_t id = c.id;
  if (options_.max_call_duration.count() > 0) {
    c.max_duration_timer = timers_.schedule(options_.max_call_duration, [this, id] {
      if (Call* call = find(id); call && call->phase == CallPhase::kAnswered) {
        call->max_duration_timer = 0;
        end_call(*call, Party::kSystem, "max call duration");
      }
    });
  }
  arm_session_timer(c);
  ++stats_.answered;
  events_.publish(CallEventKind::kAnswered, c.record);
  if (c.b.dialog) {  // a phone answered; an application's leg (no dialog) bridges nobody
    events_.publish(
        CallEvent{.kind = CallEventKind::kBridged, .call = c.record, .bridge = "answer"});
  }
  log::get("call")->info("call {} answered by {} ({})", c.record.call_id, c.record.callee,
                         c.record.codec);
  record_on_answer(c);
}

void B2bua::on_fork_final(std::uint64_t id, size_t fork, int status, std::string reason) {
  Call* c = find(id);
  if (!c) return;
  c->forks[fork].done = true;
  c->forks[fork].status = status;
  c->forks[fork].reason = std::move(reason);
  if (c->redirecting && c->phase == CallPhase::kAnswered) {
    for (size_t i = c->redirect_forks_from; i < c->forks.size(); ++i) {
      if (!c->forks[i].done) return;
    }
    const Fork& f = c->forks[fork];
    if (c->transfer) {
      return transfer_failed(
          *c, f.status,
          f.reason.empty() ? std::string(sip::default_reason_phrase(f.status)) : f.reason);
    }
    return redirect_failed(
        *c, fmt::format("redirect to {} failed: {} {}", c->record.callee, f.status, f.reason));
  }
  if (c->phase != CallPhase::kRinging || fork < c->redirect_forks_from) return;
  // Only the forks of the current target count (earlier ones were
  // cancelled when the call was forwarded).
  const auto current = std::span(c->forks).subspan(c->redirect_forks_from);
  for (const auto& f : current) {
    if (!f.done) return;
  }
  // RFC 3261 §16.7 in short: a 6xx wins, then busy, then the lowest class.
  const Fork* best = nullptr;
  auto rank = [](const Fork& f) {
    if (f.status >= 600) return 0;
    if (f.status == 486) return 1;
    if (f.status == 487) return 9;  // cancelled by us: only if nothing better
    return 2 + (f.status / 100);
  };
  for (const auto& f : current) {
    if (!best || rank(f) < rank(*best)) best = &f;
  }
  const int st = best->status;
  const std::string why =
      best->reason.empty() ? std::string(sip::default_reason_phrase(st)) : best->reason;
  if ((st == 486 || st == 600) && forward_unanswered(*c, AppReason::kBusy)) return;
  if ((st == 486 || st == 600) &&
      start_app(*c, TargetKind::kVoicemail, c->record.callee, AppReason::kBusy)) {
    return;  // the mailbox answered the caller
  }
  respond_a(*c, st, why);
  finish(*c, outcome_of(st), st, Party::kCallee, fmt::format("{} {}", st, why));
}

void B2bua::cancel_forks(Call& c, std::optional<size_t> except) {
  for (size_t i = 0; i < c.forks.size(); ++i) {
    if (except && *except == i) continue;
    if (!c.forks[i].done) c.forks[i].uac->cancel();
  }
  for (auto& f : c.a_forks) {
    if (!f.done) f.uac->cancel();
  }
}

void B2bua::on_cancel(const sip::ServerTransactionPtr& invite) {
  auto it = by_invite_.find(invite->key());
  if (it == by_invite_.end()) return;
  Call* c = find(it->second);
  if (!c || c->phase != CallPhase::kRinging) return;
  cancel_forks(*c);
  respond_a(*c, 487, "Request Terminated");
  finish(*c, CallOutcome::kCancelled, 487, Party::kCaller, "caller cancelled");
}

void B2bua::on_no_answer(std::uint64_t id) {
  Call* c = find(id);
  if (!c || c->phase != CallPhase::kRinging) return;
  c->no_answer_timer = 0;
  cancel_forks(*c);
  if (forward_unanswered(*c, AppReason::kNoAnswer)) return;
  if (start_app(*c, TargetKind::kVoicemail, c->record.callee, AppReason::kNoAnswer)) {
    return;  // the mailbox answered the caller
  }
  respond_a(*c, 480, "Temporarily Unavailable");
  finish(*c, CallOutcome::kNoAnswer, 480, Party::kSystem, "no answer");
}

// --- Call forwarding on busy / no answer (issue 7 §3) ----------------------

void B2bua::arm_no_answer(Call& c) {
  if (c.no_answer_timer) timers_.cancel(c.no_answer_timer);
  c.no_answer_timer = 0;
  Duration timeout = options_.no_answer_timeout;
  if (forwarding_) {
    if (auto own = forwarding_->no_answer_timeout(c.record.callee)) timeout = *own;
  }
  if (timeout.count() <= 0 || c.phase != CallPhase::kRinging) return;
  const std::uint64_t id = c.id;
  c.no_answer_timer = timers_.schedule(timeout, [this, id] { on_no_answer(id); });
}

bool B2bua::forward_unanswered(Call& c, AppReason reason) {
  if (!forwarding_ || c.phase != CallPhase::kRinging || !c.invite_a) return false;
  auto& visited = c.forward_visited;
  if (std::find(visited.begin(), visited.end(), c.record.callee) == visited.end()) {
    visited.push_back(c.record.callee);
  }
  UnansweredCall q{c.record.call_id, c.record.caller, c.record.callee, reason, visited};
  auto route = forwarding_->on_unanswered(q);
  if (!route) return false;
  return forward_ringing(c, *route, reason);
}

bool B2bua::forward_ringing(Call& c, const RouteDecision& route, AppReason reason) {
  auto log = log::get("call");
  if (route.forward_loop) c.record.forward_loop = true;  // even when it goes no further
  if (c.forwards >= kMaxForwardsPerCall) {
    log->warn("call {}: forwarded {} times already, not on to {} (loop?)", c.record.call_id,
              c.forwards, route.target);
    c.record.forward_loop = true;
    return false;
  }
  const bool to_app = route.kind != TargetKind::kExtension && apps_.count(route.kind) > 0;
  if (route.kind != TargetKind::kExtension && !to_app) {
    // Trunks answer a new INVITE themselves (target handlers); a ringing
    // call cannot be handed to them.
    log->info("call {}: forward to {} ({}) not possible while ringing: no {} service",
              c.record.call_id, route.target, to_string(route.kind), to_string(route.kind));
    return false;
  }
  ++c.forwards;
  const std::string from = c.record.callee;
  note_forwarding(c.record, route);
  c.record.callee = route.target;
  if (route.kind == TargetKind::kExtension) c.forward_visited.push_back(route.target);
  log->info("call {}: forwarded from {} to {} {} ({}{})", c.record.call_id, from,
            to_string(route.kind), route.target, route.forward_reason,
            route.forward_loop ? ", loop stopped" : "");
  if (c.invite_a) {
    auto resp =
        sip::make_response(c.invite_a->request(), 181, "Call Is Being Forwarded", c.a.local_tag());
    resp.add_header(sip::HeaderId::kContact, contact_for(c.a.peer.protocol));
    c.invite_a->respond(std::move(resp));
  }
  events_.publish(CallEventKind::kForwarded, c.record);
  if (to_app) {
    // A mailbox hears why (busy or unavailable greeting); other services
    // that the call was forwarded.
    const AppReason why = route.kind == TargetKind::kVoicemail ? reason : AppReason::kForwarded;
    if (!start_app(c, route.kind, route.target, why)) {
      respond_a(c, 480, "Temporarily Unavailable");
      finish(c, CallOutcome::kFailed, 480, Party::kSystem,
             fmt::format("forwarded to {}: no {} service", route.target, to_string(route.kind)));
    }
    return true;
  }
  const auto contacts = registrar_.lookup(route.target);
  // A new dialog towards the new target; the caller's INVITE stays pending.
  c.redirect_forks_from = c.forks.size();
  c.retired_b_call_ids.push_back(c.b_call_id);
  c.b_call_id = sip::random_hex(16);
  by_b_call_id_[c.b_call_id] = c.id;
  c.b = Leg(MediaSide::kB, sip::random_hex(8), c.b.sdp_session().session_id() + "3",
            options_.media.address);
  if (contacts.empty()) {
    // Not registered: its own forwarding, else its mailbox, as if dialed.
    if (forward_unanswered(c, AppReason::kNoAnswer)) return true;
    if (start_app(c, TargetKind::kVoicemail, route.target, AppReason::kNoAnswer)) return true;
    respond_a(c, 480, "Temporarily Unavailable");
    finish(c, CallOutcome::kNoAnswer, 480, Party::kSystem,
           fmt::format("forwarded to {}: not registered", route.target));
    return true;
  }
  log->info("call {}: ringing {} ({} contact(s))", c.record.call_id, route.target, contacts.size());
  start_forks(c, contacts, c.record.caller_name, c.offer_b);
  arm_no_answer(c);
  return true;
}

}  // namespace switchboard::core
