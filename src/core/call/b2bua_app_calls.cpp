// What call applications do with their call beyond media (call_app.hpp):
// music on hold toward the caller, redirect with a fallback (a parked
// call's callback that goes to the operator when unanswered), and joining
// the caller with a call another application holds (retrieving a parked
// call: that party is re-INVITEd into this call, see b2bua_replaces.cpp).
#include <fmt/format.h>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"

namespace switchboard::core {

void B2bua::app_music(std::uint64_t id, bool on, const std::string& moh_class) {
  Call* c = find(id);
  if (!c || c->phase != CallPhase::kAnswered || !c->relay) return;
  if (!on) {
    if (c->app_music) c->relay->stop_music(MediaSide::kA);
    c->app_music = false;
    return;
  }
  if (auto st =
          c->relay->start_music(MediaSide::kA, moh_class.empty() ? options_.moh_class : moh_class);
      !st.ok()) {
    log::get("call")->info("call {}: no music for the caller: {}", c->record.call_id,
                           st.error().message);
  }
  c->app_music = true;
}

void B2bua::redirect_failed(Call& c, std::string cause) {
  if (c.consulting) {
    log::get("call")->info("call {}: {}", c.record.call_id, cause);
    return consult_back(c);  // the transferrer goes back (b2bua_consult.cpp)
  }
  if (c.redirect_timer) timers_.cancel(c.redirect_timer);
  c.redirect_timer = 0;
  cancel_forks(c);
  if (c.redirect_fallback.empty()) return end_call(c, Party::kCallee, std::move(cause));
  std::string fallback = std::exchange(c.redirect_fallback, std::string());
  log::get("call")->info("call {}: {}; trying {}", c.record.call_id, cause, fallback);
  app_redirect(c.id, std::move(fallback));
}

void B2bua::app_join(std::uint64_t id, const std::string& call_id, std::function<void()> failed) {
  Call* r = find(id);
  Call* p = find_by_call_id(call_id);
  auto refuse = [&] {
    if (failed) timers_.schedule(Duration(0), failed);
  };
  if (!r || !p || p == r || r->phase != CallPhase::kAnswered || !r->app) return refuse();
  if (p->phase != CallPhase::kAnswered || !p->app || p->changing() || !p->a.dialog || r->moving) {
    return refuse();
  }
  log::get("call")->info("call {}: joins {} from call {}", r->record.call_id, p->record.caller,
                         p->record.call_id);
  relocate(p->id, MediaSide::kA, r->id, MediaSide::kB, 0, MediaSide::kA, "retrieved",
           std::move(failed));
}

}  // namespace switchboard::core
