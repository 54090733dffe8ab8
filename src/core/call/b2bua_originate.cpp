// Click-to-dial (issue 9 §2): the PBX calls extension A itself (side A is
// our UAC dialog), and when A answers the call continues towards B the way
// a redirect does (retarget_b): forks offered A's codec, ringback to A from
// an application leg meanwhile. From then on it is an ordinary call.
#include <fmt/format.h>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "sdp/negotiation.hpp"
#include "sdp/parser.hpp"
#include "sdp/serializer.hpp"
#include "sip/builder.hpp"
#include "sip/message_headers.hpp"

namespace switchboard::core {

Result<std::string> B2bua::originate(const std::string& from, const std::string& to) {
  auto log = log::get("call");
  auto profile = callers_(from);
  if (!profile) return make_error(ErrorCode::kNotFound, fmt::format("no extension {}", from));
  auto contacts_a = registrar_.lookup(from);
  if (contacts_a.empty()) {
    return make_error(ErrorCode::kNotFound, fmt::format("extension {} is not registered", from));
  }
  const std::string call_id = sip::random_hex(16);
  RouteRequest rr{call_id, from, profile->allow_external, to};
  RouteDecision route = router_.route(rr);
  if (route.rejected()) {
    return make_error(
        route.reject_status == 403 ? ErrorCode::kFailedPrecondition : ErrorCode::kNotFound,
        fmt::format("{} may not call {}: {}", from, to, route.reason));
  }
  const std::uint64_t id = next_id_++;
  auto relay = media_.open([this, id](MediaSide side) {
    Call* c = find(id);
    if (!c || c->phase != CallPhase::kAnswered) return;
    log::get("call")->info("call {}: no RTP from side {}, hanging up", c->record.call_id,
                           to_string(side));
    end_call(*c, Party::kSystem, "media timeout");
  });
  if (!relay.ok()) return make_error(ErrorCode::kUnavailable, "no media ports");

  auto call = std::make_unique<Call>(
      id, Leg(MediaSide::kA, sip::random_hex(8), std::to_string(id) + "0", options_.media.address),
      Leg(MediaSide::kB, sip::random_hex(8), std::to_string(id) + "1", options_.media.address));
  Call& c = *call;
  c.relay = std::move(*relay);
  watch_digits(c);
  c.record.call_id = call_id;
  c.record.caller = from;
  c.record.caller_name = profile->name;
  c.record.dialed = to;
  c.record.callee = route.target;
  c.record.start = wall_now_();
  c.originate_route = route;
  c.b_call_id = sip::random_hex(16);
  auto offer =
      sdp::make_offer(options_.media, c.relay->local_port(MediaSide::kA), c.a.sdp_session());
  if (!offer.ok()) {
    c.relay->close();
    return make_error(ErrorCode::kInternal, offer.error().message);
  }
  c.offer_a = std::move(*offer);  // here: our offer to A
  c.a.local_sdp = sdp::serialize(c.offer_a);

  calls_.emplace(id, std::move(call));
  by_b_call_id_[c.b_call_id] = id;
  by_b_call_id_[call_id] = id;  // stray 2xx of A's INVITE
  ++stats_.calls;
  stats_.active = calls_.size();
  events_.publish(CallEventKind::kStarted, c.record);
  log->info("call {}: click-to-dial {} → {}: ringing {} contact(s) of {}", call_id, from, to,
            contacts_a.size(), from);

  for (const Binding* b : contacts_a) {
    sip::Message m = sip::Message::request("INVITE", b->contact);
    for (const auto& p : b->path) m.add_header(sip::HeaderId::kRoute, p);
    m.add_header(sip::HeaderId::kMaxForwards, "70");
    // A's phone shows whom it is about to call.
    m.add_header(sip::HeaderId::kFrom, fmt::format("\"{}\" <sip:{}@{}>;tag={}", to, to,
                                                   options_.domain, c.a.local_tag()));
    m.add_header(sip::HeaderId::kTo, fmt::format("<sip:{}@{}>", from, options_.domain));
    m.add_header(sip::HeaderId::kCallId, call_id);
    m.add_header(sip::HeaderId::kCSeq, "1 INVITE");
    m.add_header(sip::HeaderId::kContact, contact_for(b->protocol));
    m.add_header(sip::HeaderId::kAllow, "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, MESSAGE");
    m.add_header(sip::HeaderId::kUserAgent, options_.user_agent);
    sip::set_body(m, "application/sdp", c.a.local_sdp);
    const size_t index = c.a_forks.size();
    const sip::Destination dest = b->destination();
    sip::UacInvite::Handlers h;
    h.provisional = [this, id](const sip::Message& r) {
      Call* call = find(id);
      if (call && call->phase == CallPhase::kRinging && r.status_code() > 100) {
        call->a.on(LegEvent::kProvisional);
        events_.publish(CallEventKind::kRinging, call->record);
      }
    };
    h.answered = [this, id, index, dest](sip::Dialog& d, const sip::Message& r) {
      if (!find(id)) {
        layer_.send_request(d.make_request("BYE"), dest, {});
        return;
      }
      on_originate_answered(id, index, d, r);
    };
    h.rejected = [this, id, index](const sip::Message& r) {
      on_originate_failed(id, index, r.status_code(), std::string(r.reason()));
    };
    h.failed = [this, id, index](sip::ClientTransaction::Failure) {
      on_originate_failed(id, index, 408, "Request Timeout");
    };
    Fork f;
    f.destination = dest;
    f.uac = std::make_shared<sip::UacInvite>(layer_, std::move(m), dest, std::move(h));
    c.a_forks.push_back(f);
    c.a_forks.back().uac->start();
    if (c.phase != CallPhase::kRinging) break;
  }
  if (c.phase == CallPhase::kRinging && options_.no_answer_timeout.count() > 0) {
    c.no_answer_timer = timers_.schedule(options_.no_answer_timeout, [this, id] {
      Call* call = find(id);
      if (!call || call->phase != CallPhase::kRinging) return;
      call->no_answer_timer = 0;
      cancel_forks(*call);
      finish(*call, CallOutcome::kNoAnswer, 480, Party::kCaller,
             fmt::format("{} did not answer", call->record.caller));
    });
  }
  return call_id;
}

void B2bua::on_originate_answered(std::uint64_t id, size_t fork, sip::Dialog& dialog,
                                  const sip::Message& r) {
  Call* c = find(id);
  const sip::Destination dest = c->a_forks[fork].destination;
  c->a_forks[fork].done = true;
  c->a_forks[fork].status = 200;
  if (c->phase != CallPhase::kRinging) {
    layer_.send_request(dialog.make_request("BYE"), dest, {});
    return;
  }
  auto answer = sdp::parse(r.body());
  auto leg_a =
      answer.ok() ? sdp::apply_answer(c->offer_a, *answer) : Result<sdp::LegMedia>(answer.error());
  if (!leg_a.ok()) {
    layer_.send_request(dialog.make_request("BYE"), dest, {});
    cancel_forks(*c);
    return finish(*c, CallOutcome::kFailed, 488, Party::kCaller,
                  fmt::format("{}'s SDP refused", c->record.caller));
  }
  cancel_forks(*c);  // A's other phones
  if (c->no_answer_timer) timers_.cancel(c->no_answer_timer);
  c->no_answer_timer = 0;
  configure_media(*c, *leg_a, MediaSide::kA, dest);
  c->a.remote_sdp = std::move(*answer);
  c->a.dialog = dialog;
  c->a.peer = dest;
  auto ua = sip::get_user_agent(r);
  c->a.user_agent = std::string(ua.value_or(sip::get_server(r).value_or("")));
  c->record.caller_user_agent = c->a.user_agent;
  c->a.last_invite_cseq = 1;
  c->a.on(LegEvent::kAnswer);
  index_leg(*c, MediaSide::kA, c->record.call_id);
  c->phase = CallPhase::kAnswered;
  const RouteDecision route = *c->originate_route;
  const bool to_app = route.kind != TargetKind::kExtension && apps_.count(route.kind) > 0;
  std::vector<const Binding*> contacts;
  if (route.kind == TargetKind::kExtension) contacts = registrar_.lookup(route.target);
  if (!to_app && contacts.empty()) {
    return end_call(*c, Party::kCallee, fmt::format("{} is not reachable", route.target));
  }
  if (options_.max_call_duration.count() > 0) {
    c->max_duration_timer = timers_.schedule(options_.max_call_duration, [this, id] {
      if (Call* call = find(id); call && call->phase == CallPhase::kAnswered) {
        call->max_duration_timer = 0;
        end_call(*call, Party::kSystem, "max call duration");
      }
    });
  }
  // B is offered what A agreed to.
  auto base =
      sdp::make_offer(options_.media, c->relay->local_port(MediaSide::kB), c->b.sdp_session());
  if (!base.ok()) return end_call(*c, Party::kSystem, "no offer for the callee");
  retarget_b(*c, route, contacts, to_app, *base);
}

void B2bua::on_originate_failed(std::uint64_t id, size_t fork, int status, std::string reason) {
  Call* c = find(id);
  if (!c) return;
  c->a_forks[fork].done = true;
  c->a_forks[fork].status = status;
  c->a_forks[fork].reason = std::move(reason);
  if (c->phase != CallPhase::kRinging) return;
  for (const auto& f : c->a_forks) {
    if (!f.done) return;
  }
  const Fork& last = c->a_forks[fork];
  const CallOutcome outcome = status == 486 || status == 600 || status == 603 ? CallOutcome::kBusy
                              : (status == 408 || status == 480 || status == 487)
                                  ? CallOutcome::kNoAnswer
                                  : CallOutcome::kFailed;
  finish(*c, outcome, status, Party::kCaller,
         fmt::format("{}: {} {}", c->record.caller, last.status, last.reason));
}

}  // namespace switchboard::core
