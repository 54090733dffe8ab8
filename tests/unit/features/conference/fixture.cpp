#include "fixture.hpp"

namespace switchboard::features::conference::testing {

FakeControl::Request* FakeControl::pending(Request::Kind kind) {
  for (auto it = requests.rbegin(); it != requests.rend(); ++it) {
    if (it->kind == kind && !it->done) return &*it;
  }
  return nullptr;
}

std::vector<std::string> FakeControl::plays() const {
  std::vector<std::string> out;
  for (const auto& r : requests) {
    if (r.kind != Request::kPlay) continue;
    std::string s;
    for (const auto& item : r.play.items) {
      if (const auto* p = std::get_if<app::PromptItem>(&item))
        s += (s.empty() ? "" : " ") + p->name;
    }
    out.push_back(s);
  }
  return out;
}

Status FakeRoomMedia::add_party(PartyId id, core::AppControl& control) {
  if (!static_cast<FakeControl&>(control).has_leg) {
    return make_error(ErrorCode::kFailedPrecondition, "no leg");
  }
  if (!log_->parties.insert(id).second) return make_error(ErrorCode::kAlreadyExists, "party");
  return Status::Ok();
}

Status FakeRoomMedia::remove_party(PartyId id) {
  if (!log_->parties.erase(id)) return make_error(ErrorCode::kNotFound, "party");
  log_->muted.erase(id);
  return Status::Ok();
}

Status FakeRoomMedia::set_muted(PartyId id, bool muted) {
  if (!log_->parties.count(id)) return make_error(ErrorCode::kNotFound, "party");
  if (muted) {
    log_->muted.insert(id);
  } else {
    log_->muted.erase(id);
  }
  return Status::Ok();
}

ConferenceTest::ConferenceTest() {
  make_service(base_options());
}

ConferenceOptions ConferenceTest::base_options() {
  ConferenceOptions o;
  o.max_participants = 3;
  o.recording_dir = "/rec/conference";
  o.rooms["2001"] = RoomDef{"Board", Secret("1234"), Secret("9999")};
  o.rooms["2002"] = RoomDef{"Town hall", Secret(), Secret("9999")};
  // 2024-03-01 05:09:30 UTC
  o.now = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1709269770)); };
  return o;
}

void ConferenceTest::make_service(ConferenceOptions options) {
  service_ = std::make_unique<ConferenceService>(std::move(options), media_);
  service_->on_event([this](const ConferenceEvent& e) { events_.push_back(e); });
}

Caller& ConferenceTest::dial(const std::string& room, const std::string& caller) {
  auto c = std::make_unique<Caller>();
  c->control.call.call_id = "call-" + caller;
  c->control.call.caller = caller;
  c->control.call.dialed = room;
  c->control.call.target = room;
  c->control.call.kind = core::TargetKind::kConference;
  c->app = service_->app_factory()(c->control.call);
  EXPECT_TRUE(c->app);
  c->app->on_start(c->control);
  callers_.push_back(std::move(c));
  return *callers_.back();
}

void ConferenceTest::press(Caller& c, std::string digits) {
  auto* r = c.control.pending(FakeControl::Request::kCollect);
  ASSERT_NE(r, nullptr) << "no collect pending";
  r->done = true;
  app::DigitsDone d{r->id, app::CollectResult::kMaxDigits, std::move(digits), 0};
  if (!d.digits.empty() && d.digits.back() == '#') {
    d.digits.pop_back();
    d.result = app::CollectResult::kTerminator;
    d.terminator = '#';
  }
  c.app->on_media(d);
}

void ConferenceTest::type(Caller& c, const std::string& digits) {
  for (char d : digits) press(c, std::string(1, d));
}

void ConferenceTest::collect_timeout(Caller& c) {
  auto* r = c.control.pending(FakeControl::Request::kCollect);
  ASSERT_NE(r, nullptr) << "no collect pending";
  r->done = true;
  c.app->on_media(app::DigitsDone{r->id, app::CollectResult::kTimeout, {}, 0});
}

void ConferenceTest::finish_play(Caller& c) {
  auto* r = c.control.pending(FakeControl::Request::kPlay);
  ASSERT_NE(r, nullptr) << "no play pending";
  r->done = true;
  c.app->on_media(app::PlayDone{r->id, app::PlayResult::kDone});
}

void ConferenceTest::hang_up(Caller& c) {
  for (auto& r : c.control.requests) {
    if (r.done) continue;
    r.done = true;
    if (r.kind == FakeControl::Request::kPlay) {
      c.app->on_media(app::PlayDone{r.id, app::PlayResult::kStopped});
    } else {
      c.app->on_media(app::DigitsDone{r.id, app::CollectResult::kStopped, {}, 0});
    }
  }
  c.app->on_end();
}

}  // namespace switchboard::features::conference::testing
