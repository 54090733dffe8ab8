// Attended transfer and three-way calling by feature code (issue 7 §2, §6),
// for phones without a transfer key. The transferrer's phone is re-INVITEd
// out of its call into a consultation call of its own (split_leg), the
// party left behind hears music, and the consultation rings the target the
// way a redirect does (retarget_b). Its end moves one leg back with the
// re-INVITE machinery of attended transfer (relocate, b2bua_replaces.cpp);
// three-way calling puts each of the three phones into one ad-hoc room of
// the conference feature (ConferenceBridge), one call per phone.
#include <fmt/format.h>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "sdp/negotiation.hpp"
#include "sip/builder.hpp"

namespace switchboard::core {

void B2bua::split_leg(Call& src, MediaSide side, std::function<void(Call&)> done,
                      std::function<void(int, const std::string&)> failed) {
  const std::uint64_t sid = src.id;
  const std::uint64_t nid = next_id_++;
  auto relay = media_.open([this, nid](MediaSide s) {
    Call* c = find(nid);
    if (!c || c->phase != CallPhase::kAnswered) return;
    log::get("call")->info("call {}: no RTP from side {}, hanging up", c->record.call_id,
                           to_string(s));
    end_call(*c, Party::kSystem, "media timeout");
  });
  if (!relay.ok()) {
    timers_.schedule(Duration(0), [failed] { failed(503, "no media ports"); });
    return;
  }
  auto held = std::make_shared<MediaRelayPtr>(std::move(*relay));
  src.moving = true;
  reoffer_leg(sid, side, (*held)->local_port(MediaSide::kA), src.leg(side).codec,
              [this, sid, side, nid, held, done, failed](MoveResult m) {
                Call* s = find(sid);
                if (s) s->moving = false;
                if (m.status != 200 || !s || s->phase != CallPhase::kAnswered) {
                  (*held)->close();
                  return failed(m.status ? m.status : 481, m.status ? m.reason : "call ended");
                }
                auto call = std::make_unique<Call>(
                    nid, Leg(MediaSide::kA, sip::random_hex(8), "0", options_.media.address),
                    Leg(MediaSide::kB, sip::random_hex(8), std::to_string(nid) + "1",
                        options_.media.address));
                Call& y = *call;
                y.relay = std::move(*held);
                // The leg leaves `s` (its place there stays empty) …
                const std::string leg_id = leg_call_id(*s, side);
                by_dialog_.erase(dialog_key(leg_id, s->leg(side).local_tag()));
                y.a = std::move(s->leg(side));
                y.a.set_side(MediaSide::kA);
                s->leg(side) = Leg(side, sip::random_hex(8), "0", options_.media.address);
                if (const auto& was = s->side_media[side == MediaSide::kA ? 0 : 1]) {
                  // Nothing more goes toward the phone that left, nor is
                  // expected from it.
                  sdp::LegMedia quiet = *was;
                  for (auto& st : quiet) st.direction = sdp::Direction::kInactive;
                  configure_media(*s, quiet, side, s->leg(side).peer);
                }
                if (side == MediaSide::kA) {  // RFC 4028 timers ran toward this leg
                  if (s->session_timer) timers_.cancel(s->session_timer);
                  s->session_timer = 0;
                  s->session_expires = 0;
                }
                // … and is side A of the new call.
                const std::string number = number_of(*s, side);
                auto profile = callers_(number);
                y.record.call_id = sip::random_hex(16);
                y.record.caller = number;
                y.record.caller_name = profile ? profile->name : std::string();
                y.record.caller_user_agent = y.a.user_agent;
                y.record.start = wall_now_();
                y.phase = CallPhase::kAnswered;
                y.b_call_id = sip::random_hex(16);
                if (y.a.remote_sdp) y.offer_a = *y.a.remote_sdp;
                configure_media(y, m.media, MediaSide::kA, y.a.peer);
                // Side B is offered what side A uses.
                auto offer_b =
                    sdp::make_offer(media_config_for(y.a.codec), y.relay->local_port(MediaSide::kB),
                                    y.b.sdp_session());
                if (offer_b.ok()) y.offer_b = std::move(*offer_b);
                watch_digits(y);
                calls_.emplace(nid, std::move(call));
                index_leg(y, MediaSide::kA, leg_id);
                by_b_call_id_[y.b_call_id] = nid;
                ++stats_.calls;
                stats_.active = calls_.size();
                if (options_.max_call_duration.count() > 0) {
                  y.max_duration_timer = timers_.schedule(options_.max_call_duration, [this, nid] {
                    if (Call* c = find(nid); c && c->phase == CallPhase::kAnswered) {
                      c->max_duration_timer = 0;
                      end_call(*c, Party::kSystem, "max call duration");
                    }
                  });
                }
                events_.publish(CallEventKind::kStarted, y.record);
                done(y);
              });
}

Status B2bua::consult(std::string_view call_id, MediaSide transferrer, const std::string& target,
                      bool three_way) {
  Call* x = find_by_call_id(call_id);
  if (!x) return make_error(ErrorCode::kNotFound, fmt::format("no active call {}", call_id));
  if (x->phase != CallPhase::kAnswered) {
    return make_error(ErrorCode::kFailedPrecondition, "the call is not answered");
  }
  if (x->changing()) return make_error(ErrorCode::kFailedPrecondition, "the call is being changed");
  if (x->app || !x->a.dialog || !x->b.dialog) {
    return make_error(ErrorCode::kFailedPrecondition, "both parties must be phones");
  }
  if (three_way && !conference_) {
    return make_error(ErrorCode::kUnavailable, "no conference service for three-way calling");
  }
  const std::string t_number = number_of(*x, transferrer);
  auto profile = callers_(t_number);
  RouteRequest rr{x->record.call_id, t_number, profile && profile->allow_external, target};
  RouteDecision route = router_.route(rr);
  if (route.rejected()) {
    return make_error(
        route.reject_status == 403 ? ErrorCode::kFailedPrecondition : ErrorCode::kNotFound,
        fmt::format("{} may not call {}: {}", t_number, target, route.reason));
  }
  const bool to_app = route.kind != TargetKind::kExtension && apps_.count(route.kind) > 0;
  if (!to_app) {
    if (route.kind != TargetKind::kExtension) {
      return make_error(ErrorCode::kNotFound, fmt::format("{} cannot be consulted", target));
    }
    if (registrar_.lookup(route.target).empty()) {
      return make_error(ErrorCode::kUnavailable, fmt::format("{} is not reachable", target));
    }
  }
  log::get("call")->info("call {}: {} consults {} ({}), {} waits", x->record.call_id, t_number,
                         target, three_way ? "three-way" : "attended transfer",
                         number_of(*x, other(transferrer)));
  const std::uint64_t xid = x->id;
  split_leg(
      *x, transferrer,
      [this, xid, transferrer, route, to_app, three_way, target](Call& y) {
        Call* held = find(xid);
        const std::uint64_t yid = y.id;
        held->held_for = Consultation{yid, transferrer, three_way};
        y.consulting = Consultation{xid, transferrer, three_way};
        y.record.dialed = target;
        const MediaSide waits = other(transferrer);
        if (auto st = held->relay->start_music(waits, options_.moh_class); !st.ok()) {
          log::get("call")->info("call {}: no music for the held party: {}", held->record.call_id,
                                 st.error().message);
        }
        events_.publish(CallEventKind::kHeld, held->record);
        std::vector<const Binding*> contacts;
        if (!to_app) contacts = registrar_.lookup(route.target);
        if (!to_app && contacts.empty()) return consult_back(y);
        retarget_b(y, route, contacts, to_app, y.offer_b);
        Call* again = find(yid);
        if (!again || again->phase != CallPhase::kAnswered || !again->consulting) return;
        if (!again->redirecting) return consult_answered(*again);  // an application
        if (options_.no_answer_timeout.count() > 0) {
          again->redirect_timer = timers_.schedule(options_.no_answer_timeout, [this, yid] {
            Call* c = find(yid);
            if (!c || !c->redirecting) return;
            c->redirect_timer = 0;
            redirect_failed(*c, "consultation not answered");
          });
        }
      },
      [this, xid](int status, const std::string& reason) {
        if (Call* held = find(xid)) {
          log::get("call")->info("call {}: the consultation could not start: {} {}",
                                 held->record.call_id, status, reason);
        }
      });
  return {};
}

void B2bua::consult_answered(Call& y) {
  if (y.consulting && y.consulting->three_way && !y.app) merge_now(y);
}

void B2bua::consult_back(Call& y) {
  if (!y.consulting || y.moving) return;
  const Consultation k = *y.consulting;
  Call* x = find(k.with);
  cancel_forks(y);
  if (y.redirect_timer) timers_.cancel(y.redirect_timer);
  y.redirect_timer = 0;
  y.redirecting = false;
  y.consulting.reset();
  if (!x || x->phase != CallPhase::kAnswered) return end_call(y, Party::kSystem, "held call ended");
  x->held_for.reset();
  log::get("call")->info("call {}: {} goes back to call {}", y.record.call_id, y.record.caller,
                         x->record.call_id);
  const std::uint64_t xid = x->id, yid = y.id;
  relocate(yid, MediaSide::kA, xid, k.side, 0, MediaSide::kA, "returned", [this, xid, yid] {
    if (Call* c = find(yid)) end_call(*c, Party::kSystem, "the transferrer could not return");
    if (Call* c = find(xid)) end_call(*c, Party::kSystem, "the transferrer could not return");
  });
}

void B2bua::consult_complete(Call& y) {
  const Consultation k = *y.consulting;
  y.consulting.reset();
  Call* x = find(k.with);
  if (!x || x->phase != CallPhase::kAnswered) return end_call(y, Party::kCaller, "BYE");
  x->held_for.reset();
  const std::uint64_t xid = x->id, yid = y.id;
  auto failed = [this, xid, yid] {
    if (Call* c = find(yid)) end_call(*c, Party::kSystem, "attended transfer failed");
    if (Call* c = find(xid)) end_call(*c, Party::kSystem, "attended transfer failed");
  };
  const MediaSide waits = other(k.side);
  if (y.redirecting || y.app) {
    // The target still rings (or is an application): the held party takes
    // the transferrer's place; nobody answering rings the transferrer back.
    if (y.redirecting) y.redirect_fallback = y.record.caller;
    log::get("call")->info("call {}: {} hung up; {} goes on to {}", y.record.call_id,
                           y.record.caller, number_of(*x, waits), y.record.callee);
    return relocate(xid, waits, yid, MediaSide::kA, 0, MediaSide::kA, "attended", failed);
  }
  log::get("call")->info("call {}: {} hung up; {} joins {}", y.record.call_id, y.record.caller,
                         y.record.callee, number_of(*x, waits));
  relocate(yid, MediaSide::kB, xid, k.side, 0, MediaSide::kA, "attended", failed);
}

void B2bua::leave_leg(Call& c, MediaSide side) {
  Leg& leg = c.leg(side);
  by_dialog_.erase(dialog_key(leg_call_id(c, side), leg.local_tag()));
  leg.on(LegEvent::kEnd);
  if (leg.dialog) leg.dialog->terminate();
}

Result<Call*> B2bua::consultation_of(std::string_view call_id) {
  Call* c = find_by_call_id(call_id);
  if (c && c->held_for) c = find(c->held_for->with);
  if (!c || !c->consulting) {
    return make_error(ErrorCode::kNotFound, fmt::format("no consultation {}", call_id));
  }
  if (c->moving) return make_error(ErrorCode::kFailedPrecondition, "the call is being changed");
  return c;
}

bool B2bua::on_consult_bye(Call& c, MediaSide from) {
  if (!c.consulting || c.phase != CallPhase::kAnswered) return false;
  leave_leg(c, from);
  if (from == MediaSide::kA) {
    consult_complete(c);
  } else {
    consult_back(c);
  }
  return true;
}

Status B2bua::cancel_consultation(std::string_view call_id) {
  auto c = consultation_of(call_id);
  if (!c.ok()) return c.error();
  consult_back(**c);
  return {};
}

Status B2bua::complete_consultation(std::string_view call_id) {
  auto c = consultation_of(call_id);
  if (!c.ok()) return c.error();
  Call& y = **c;
  log::get("call")->info("call {}: {} is released, the transfer completes", y.record.call_id,
                         y.record.caller);
  send_bye(y, MediaSide::kA);
  leave_leg(y, MediaSide::kA);
  consult_complete(y);
  return {};
}

bool B2bua::is_consultation(std::string_view call_id) {
  Call* c = find_by_call_id(call_id);
  return c && c->consulting;
}

Status B2bua::merge_three_way(std::string_view call_id) {
  auto found = consultation_of(call_id);
  if (!found.ok()) return found.error();
  Call* y = *found;
  if (!conference_) return make_error(ErrorCode::kUnavailable, "no conference service");
  if (y->app) return make_error(ErrorCode::kFailedPrecondition, "an application cannot be merged");
  y->consulting->three_way = true;
  if (Call* x = find(y->consulting->with)) x->held_for->three_way = true;
  if (!y->redirecting) merge_now(*y);  // else: once the target answers
  return {};
}

void B2bua::merge_now(Call& y) {
  const Consultation k = *y.consulting;
  Call* x = find(k.with);
  if (!x || x->moving || !y.b.dialog) return;
  const std::string room = conference_->create_room();
  log::get("call")->info("call {}: three-way call of {}, {} and {} in room {}", y.record.call_id,
                         y.record.caller, y.record.callee, number_of(*x, other(k.side)), room);
  const std::uint64_t xid = x->id, yid = y.id;
  x->moving = true;
  auto join = [this, room](Call& c) {
    AppCallInfo info;
    info.call_id = c.record.call_id;
    info.caller = c.record.caller;
    info.caller_name = c.record.caller_name;
    info.dialed = room;
    info.kind = TargetKind::kConference;
    info.target = room;
    info.reason = AppReason::kForwarded;
    info.caller_is_local = true;
    info.source_address = c.a.peer.ip.to_string();
    if (!attach_app(c, info, conference_->party_app(room))) {
      end_call(c, Party::kSystem, "no room for the three-way call");
    }
  };
  // The target gets a call of its own; the transferrer keeps the
  // consultation call and the held party the held call, each with the room
  // on side B.
  split_leg(
      y, MediaSide::kB,
      [this, xid, yid, join](Call& z) {
        z.record.answer = wall_now_();
        z.record.final_status = 200;
        join(z);
        if (Call* c = find(yid); c && c->phase == CallPhase::kAnswered) {
          c->consulting.reset();
          join(*c);
        }
        Call* held = find(xid);
        if (!held || held->phase != CallPhase::kAnswered) return;
        held->moving = false;
        const MediaSide left = held->held_for ? held->held_for->side : MediaSide::kB;
        held->held_for.reset();
        if (left == MediaSide::kA) swap_sides(*held);  // the held party to side A
        held->relay->stop_music(MediaSide::kA);
        held->api_held.reset();
        // The room is offered the codec the held party uses.
        if (auto o = sdp::make_offer(media_config_for(held->a.codec),
                                     held->relay->local_port(MediaSide::kB), held->b.sdp_session());
            o.ok()) {
          held->offer_b = std::move(*o);
        }
        join(*held);
      },
      [this, xid](int status, const std::string& reason) {
        if (Call* held = find(xid)) {
          held->moving = false;
          log::get("call")->info("call {}: no three-way call: {} {}", held->record.call_id, status,
                                 reason);
        }
      });
}

void B2bua::unlink_consultation(Call& c) {
  if (c.held_for) {
    // The held party hung up: the consultation goes on as a call of its own.
    if (Call* y = find(c.held_for->with)) {
      y->consulting.reset();
      if (y->phase == CallPhase::kAnswered && !y->b.dialog && !y->redirecting && !y->app) {
        end_call(*y, Party::kSystem, "held party hung up");
      }
    }
    c.held_for.reset();
  }
  if (c.consulting) {
    // The consultation ended some other way (media timeout, the API):
    // the held party has nobody to come back to.
    const std::uint64_t with = c.consulting->with;
    c.consulting.reset();
    if (Call* x = find(with); x && x->phase == CallPhase::kAnswered) {
      x->held_for.reset();
      end_call(*x, Party::kSystem, "consultation ended");
    }
  }
}

}  // namespace switchboard::core
