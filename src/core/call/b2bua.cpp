#include "core/call/b2bua.hpp"

#include <fmt/format.h>

#include "common/log.hpp"
#include "core/call/g711_bridge.hpp"
#include "sdp/parser.hpp"
#include "sdp/rejection.hpp"
#include "sdp/relay.hpp"
#include "sdp/serializer.hpp"
#include "sip/builder.hpp"
#include "sip/message_headers.hpp"

namespace switchboard::core {

namespace {

std::string session_id_now(Timers& timers) {
  // Numeric and unique enough per leg (RFC 4566 §5.2 suggests an NTP time).
  return std::to_string(
      std::chrono::duration_cast<std::chrono::microseconds>(timers.now().time_since_epoch())
          .count());
}

bool is_sdp(const sip::Message& m) {
  auto ct = m.value(sip::HeaderId::kContentType);
  if (!ct || m.body().empty()) return false;
  std::string v(*ct);
  for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return v.rfind("application/sdp", 0) == 0;
}

}  // namespace

B2bua::B2bua(sip::TransactionLayer& layer, Timers& timers, const Registrar& registrar,
             const Router& router, MediaRelayFactory& media, CallEvents& events,
             CallerLookup callers, store::NowFn wall_now, B2buaOptions options)
    : layer_(layer),
      timers_(timers),
      registrar_(registrar),
      router_(router),
      media_(media),
      events_(events),
      callers_(std::move(callers)),
      wall_now_(std::move(wall_now)),
      options_(std::move(options)) {}

B2bua::~B2bua() {
  *self_ = nullptr;
  for (auto& [id, call] : calls_) {
    if (call->app && call->app->state != AppState::kEnded) {
      call->app->state = AppState::kEnded;
      if (call->app->app) call->app->app->on_end();
    }
    if (call->app && call->app->media) call->app->media->close();
    for (TimerId t : {call->no_answer_timer, call->max_duration_timer, call->session_timer}) {
      if (t) timers_.cancel(t);
    }
    if (call->relay) call->relay->close();
  }
}

void B2bua::note_authenticated(const sip::ServerTransaction& txn, std::string user) {
  authenticated_txn_ = &txn;
  authenticated_user_ = std::move(user);
}

sip::TransactionUser B2bua::dialog_user() {
  sip::TransactionUser tu;
  tu.cancelled = [this](const sip::ServerTransactionPtr& invite) { on_cancel(invite); };
  tu.ack = [this](const sip::Message& ack, const sip::Source& from) { on_ack(ack, from); };
  tu.stray_response = [this](const sip::Message& r, const sip::Source& from) {
    on_stray_response(r, from);
  };
  return tu;
}

void B2bua::on_request(const sip::ServerTransactionPtr& txn) {
  const sip::Message& req = txn->request();
  auto to = sip::get_to(req);
  if (to.ok() && to->tag()) {
    on_in_dialog(txn);
  } else if (req.method_id() == sip::Method::kInvite) {
    on_new_invite(txn);
  } else if (req.method() == "MESSAGE") {
    reject(txn, 405, "Method Not Allowed");  // out-of-dialog MESSAGE: not a call
  } else {
    reject(txn, 481, "Call/Transaction Does Not Exist");
  }
  authenticated_txn_ = nullptr;
}

std::optional<std::string> B2bua::caller_of(const sip::ServerTransaction& txn) {
  if (authenticated_txn_ == &txn) return authenticated_user_;
  // Without authentication the From user must at least be an extension.
  if (options_.require_authentication) return std::nullopt;
  auto from = sip::get_from(txn.request());
  if (!from.ok()) return std::nullopt;
  std::string user(from->uri.user);
  if (!callers_(user)) return std::nullopt;
  return user;
}

void B2bua::reject(const sip::ServerTransactionPtr& txn, int status, std::string_view reason,
                   std::string_view warning) {
  auto r = sip::make_response(txn->request(), status, reason, sip::random_hex(6));
  if (!warning.empty()) r.add_header("Warning", warning);
  txn->respond(std::move(r));
}

std::string B2bua::contact_for(sip::Protocol p) const {
  std::string sent_by = layer_.options().sent_by ? layer_.options().sent_by(p) : "127.0.0.1";
  std::string t = p == sip::Protocol::kUdp
                      ? ""
                      : std::string(";transport=") + (p == sip::Protocol::kTcp ? "tcp" : "tls");
  return fmt::format("<sip:switchboard@{}{}>", sent_by, t);
}

bool B2bua::session_timer_check(const sip::ServerTransactionPtr& txn, std::uint32_t& interval) {
  interval = 0;
  const auto& req = txn->request();
  if (!req.value(sip::HeaderId::kSessionExpires)) return true;
  auto se = sip::get_session_expires(req);
  if (!se.ok()) return true;  // unusable: no session timer rather than a failed call
  if (se->delta_seconds < options_.min_session_expires) {
    auto r = sip::make_response(req, 422, "Session Interval Too Small", sip::random_hex(6));
    r.add_header("Min-SE", std::to_string(options_.min_session_expires));
    txn->respond(std::move(r));
    return false;
  }
  interval = se->delta_seconds;
  return true;
}

void B2bua::on_new_invite(const sip::ServerTransactionPtr& txn) {
  const sip::Message& req = txn->request();
  auto log = log::get("call");
  if (on_invite_replaces(txn)) return;
  const std::string call_id(req.value(sip::HeaderId::kCallId).value_or(""));
  auto caller = caller_of(*txn);
  std::optional<CallerProfile> profile;
  if (caller) profile = callers_(*caller);
  if (!caller || !profile) {
    log->info("INVITE {} from {}: caller is not an authenticated extension", call_id,
              txn->source().remote_ip.to_string());
    return reject(txn, 403, "Forbidden");
  }
  auto ruri = sip::parse_uri(req.request_uri());
  std::string dialed = ruri.ok() ? std::string(ruri->user) : std::string();

  CallRecord rec;
  rec.call_id = call_id;
  rec.caller = *caller;
  rec.caller_name = profile->name;
  rec.dialed = dialed;
  rec.callee = dialed;
  rec.start = wall_now_();
  rec.caller_user_agent = std::string(sip::get_user_agent(req).value_or(""));
  auto fail = [&](int status, std::string_view reason, std::string cause,
                  std::string_view warning = {}) {
    reject(txn, status, reason, warning);
    ++stats_.rejected;
    rec.end = rec.start;
    rec.final_status = status;
    rec.outcome =
        status == 486 || status == 600 || status == 603 ? CallOutcome::kBusy : CallOutcome::kFailed;
    rec.hangup_cause = std::move(cause);
    rec.hangup_side = Party::kSystem;
    events_.publish(CallEventKind::kStarted, rec);
    events_.publish(CallEventKind::kEnded, rec);
    log->info("call {} {} → {}: {} {}", call_id, rec.caller, dialed, status, rec.hangup_cause);
  };

  RouteRequest rr{call_id, *caller, profile->allow_external, dialed};
  RouteDecision route = router_.route(rr);
  if (route.rejected()) {
    return fail(route.reject_status, route.reason,
                fmt::format("{} ({})", route.reason, route.decided_by));
  }
  rec.callee = route.target;
  note_forwarding(rec, route);  // unconditional forwarding (a router hook)
  const bool app_target = route.kind != TargetKind::kExtension && apps_.count(route.kind) > 0;
  if (route.kind != TargetKind::kExtension && !app_target) {
    if (auto it = target_handlers_.find(route.kind); it != target_handlers_.end()) {
      return it->second(txn, route, *caller);
    }
    return fail(480, "Temporarily Unavailable",
                fmt::format("no {} service", to_string(route.kind)));
  }
  std::vector<const Binding*> contacts;
  if (!app_target) {
    contacts = registrar_.lookup(route.target);
    if (contacts.empty() && !apps_.count(TargetKind::kVoicemail) && !forwarding_) {
      return fail(480, "Temporarily Unavailable", "not registered");
    }
  }

  std::uint32_t session_expires = 0;
  if (!session_timer_check(txn, session_expires)) return;
  if (!is_sdp(req)) {
    // Late offer (INVITE without SDP) is not supported yet.
    return fail(488, "Not Acceptable Here", "no SDP offer",
                "399 switchboard \"SDP offer required\"");
  }
  auto offer = sdp::parse(req.body());
  if (!offer.ok()) {
    auto rj = sdp::rejection_for(offer.error());
    return fail(rj.status, "Not Acceptable Here", "bad SDP",
                fmt::format("{} switchboard \"{}\"", rj.warning_code, rj.warning_text));
  }

  const std::uint64_t id = next_id_++;
  auto relay = media_.open([this, id](MediaSide side) {
    Call* c = find(id);
    if (!c || c->phase == CallPhase::kEnded) return;
    log::get("call")->info("call {}: no RTP from side {}, hanging up", c->record.call_id,
                           to_string(side));
    if (c->phase == CallPhase::kAnswered) end_call(*c, Party::kSystem, "media timeout");
  });
  if (!relay.ok()) {
    log->warn("call {}: no media ports: {}", call_id, relay.error().message);
    return fail(503, "Service Unavailable", "no media ports");
  }

  auto call = std::make_unique<Call>(
      id, Leg(MediaSide::kA, sip::random_hex(8), session_id_now(timers_), options_.media.address),
      Leg(MediaSide::kB, sip::random_hex(8), session_id_now(timers_) + "1",
          options_.media.address));
  Call& c = *call;
  c.relay = std::move(*relay);
  watch_digits(c);
  c.record = rec;
  c.session_expires = session_expires;
  std::vector<std::uint16_t> ports_b(offer->media.size(), c.relay->local_port(MediaSide::kB));
  auto offer_b = sdp::relay_offer(*offer, options_.media, ports_b, c.b.sdp_session());
  if (!offer_b.ok()) {
    c.relay->close();
    auto rj = sdp::rejection_for(offer_b.error());
    return fail(rj.status, "Not Acceptable Here", "no common codec",
                fmt::format("{} switchboard \"{}\"", rj.warning_code, rj.warning_text));
  }
  offer_other_g711_law(*offer_b);  // the relay transcodes PCMU <-> PCMA
  c.offer_a = std::move(*offer);
  c.offer_b = std::move(*offer_b);
  c.a.remote_sdp = c.offer_a;
  const auto& src = txn->source();
  c.a.peer = sip::Destination{src.protocol, src.remote_ip, src.remote_port, src.connection};
  c.a.user_agent = rec.caller_user_agent;
  c.invite_a = txn;
  c.b_call_id = sip::random_hex(16);

  calls_.emplace(id, std::move(call));
  by_invite_[txn->key()] = id;
  by_b_call_id_[c.b_call_id] = id;
  index_leg(c, MediaSide::kA, call_id);
  ++stats_.calls;
  stats_.active = calls_.size();
  events_.publish(CallEventKind::kStarted, c.record);
  if (!c.record.forwarded_from.empty()) {
    c.forward_visited = {c.record.forwarded_from};
    c.forwards = 1;
    events_.publish(CallEventKind::kForwarded, c.record);
  }
  // An extension that is not registered forwards as on no answer.
  if (!app_target && contacts.empty() && forward_unanswered(c, AppReason::kNoAnswer)) return;
  if (app_target || contacts.empty()) {
    // The application answers (a dialed service, or the mailbox of an
    // extension that is not registered).
    const TargetKind kind = app_target ? route.kind : TargetKind::kVoicemail;
    const AppReason why = !app_target                       ? AppReason::kNoAnswer
                          : c.record.forwarded_from.empty() ? AppReason::kDialed
                                                            : AppReason::kForwarded;
    log->info("call {} {} → {}: {} application", call_id, rec.caller, route.target,
              to_string(kind));
    if (!start_app(c, kind, route.target, why)) {
      respond_a(c, 480, "Temporarily Unavailable");
      finish(c, CallOutcome::kFailed, 480, Party::kSystem,
             app_target ? fmt::format("no {} service", to_string(kind)) : "not registered");
    }
    return;
  }
  log->info("call {} {} → {}: ringing {} contact(s)", call_id, rec.caller, route.target,
            contacts.size());
  auto from_a = sip::get_from(req);
  std::string display = from_a.ok() ? from_a->display_name_text() : std::string();
  if (display.empty()) display = c.record.caller_name;
  start_forks(c, contacts, display, c.offer_b);
  arm_no_answer(c);
}

void B2bua::start_forks(Call& c, const std::vector<const Binding*>& contacts,
                        const std::string& display, const sdp::SessionDescription& offer) {
  const std::string body = sdp::serialize(offer);
  c.b.local_sdp = body;
  for (const Binding* b : contacts) {
    sip::Message m = sip::Message::request("INVITE", b->contact);
    for (const auto& p : b->path) m.add_header(sip::HeaderId::kRoute, p);
    m.add_header(sip::HeaderId::kMaxForwards, "70");
    m.add_header(sip::HeaderId::kFrom,
                 fmt::format("\"{}\" <sip:{}@{}>;tag={}", display, c.record.caller, options_.domain,
                             c.b.local_tag()));
    m.add_header(sip::HeaderId::kTo, fmt::format("<sip:{}@{}>", c.record.callee, options_.domain));
    m.add_header(sip::HeaderId::kCallId, c.b_call_id);
    m.add_header(sip::HeaderId::kCSeq, "1 INVITE");
    m.add_header(sip::HeaderId::kContact, contact_for(b->protocol));
    m.add_header(sip::HeaderId::kAllow, kAllowedMethods);
    m.add_header(sip::HeaderId::kUserAgent, options_.user_agent);
    if (!c.record.forwarded_from.empty()) {  // call forwarding (issue 7 §3)
      m.add_header("Diversion", diversion_header(c.record, options_.domain, c.forwards));
    }
    sip::set_body(m, "application/sdp", body);

    const size_t index = c.forks.size();
    const std::uint64_t id = c.id;
    const sip::Destination dest = b->destination();
    sip::UacInvite::Handlers h;
    h.provisional = [this, id, index](const sip::Message& r) { on_fork_provisional(id, index, r); };
    h.answered = [this, id, index, dest](sip::Dialog& d, const sip::Message& r) {
      if (!find(id)) {  // the call is gone: end this late answer
        layer_.send_request(d.make_request("BYE"), dest, {});
        return;
      }
      on_fork_answered(id, index, d, r);
    };
    h.rejected = [this, id, index](const sip::Message& r) {
      on_fork_final(id, index, r.status_code(), std::string(r.reason()));
    };
    h.failed = [this, id, index](sip::ClientTransaction::Failure) {
      on_fork_final(id, index, 408, "Request Timeout");
    };
    Fork f;
    f.destination = dest;
    f.uac = std::make_shared<sip::UacInvite>(layer_, std::move(m), dest, std::move(h));
    c.forks.push_back(f);
    c.forks.back().uac->start();
    // A transport error may have ended it at once.
    if (c.phase != CallPhase::kRinging && !c.redirecting) break;
  }
}

Call* B2bua::find(std::uint64_t id) {
  auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : it->second.get();
}

std::string B2bua::dialog_key(std::string_view call_id, std::string_view local_tag) {
  std::string k(call_id);
  k += '\n';
  k += local_tag;
  return k;
}

std::optional<B2bua::LegRef> B2bua::find_leg(std::string_view call_id,
                                             std::string_view local_tag) const {
  auto it = by_dialog_.find(dialog_key(call_id, local_tag));
  if (it == by_dialog_.end()) return std::nullopt;
  return it->second;
}

void B2bua::index_leg(Call& call, MediaSide side, const std::string& call_id) {
  by_dialog_[dialog_key(call_id, call.leg(side).local_tag())] = LegRef{call.id, side};
}

}  // namespace switchboard::core
