// Conference rooms (issue 7 §6): the service behind the B2BUA's conference
// target kind (dialplan.conference_pattern), its mixers on the media engine,
// recordings under recording.storage_path/conference, and conference.joined
// / conference.left on the event bus (the API's WebSocket stream).
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <filesystem>

#include "app/application.hpp"
#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "core/events/event_bus.hpp"
#include "features/conference/engine_room_media.hpp"
#include "features/conference/service.hpp"
#include "media/audio/wav_recorder.hpp"

namespace switchboard::app {

namespace {

namespace conf = features::conference;

conf::ConferenceOptions conference_options(const config::Config& cfg) {
  conf::ConferenceOptions o;
  o.max_participants = static_cast<std::size_t>(cfg.conference.max_participants);
  o.record = cfg.conference.record_conferences;
  o.recording_dir = (std::filesystem::path(cfg.recording.storage_path) / "conference").string();
  o.pin_attempts = cfg.voicemail.ivr.pin_attempts;
  o.inter_digit_timeout = std::chrono::seconds(cfg.voicemail.ivr.inter_digit_timeout);
  for (const auto& r : cfg.conference.rooms) {
    o.rooms[r.number] = conf::RoomDef{r.name, r.pin, r.moderator_pin};
  }
  return o;
}

/// Blocking, at start-up and reload only. Recordings a crash left as
/// <name>.part are completed (renamed) at start-up.
void make_recording_dir(const conf::ConferenceOptions& o, bool recover) {
  if (!o.record) return;
  std::error_code ec;
  std::filesystem::create_directories(o.recording_dir, ec);
  auto log = log::get("conference");
  if (ec) {
    log->error("conference recordings: cannot create {}: {}", o.recording_dir, ec.message());
    return;
  }
  if (!recover) return;
  if (auto done = media::audio::recover_recordings(o.recording_dir); !done.ok()) {
    log->error("conference recordings: {}", done.error().message);
  } else if (!done->empty()) {
    log->warn("{} conference recording(s) recovered after a crash", done->size());
  }
}

}  // namespace

bool Application::start_conference() {
  const auto& cfg = *config_;
  if (!cfg.features.conference) return true;
  media::app::ConferenceOptions mo;
  mo.run_serial = [strand = boost::asio::make_strand(workers_)](std::function<void()> job) {
    boost::asio::post(strand, std::move(job));
  };
  conference_media_ = std::make_unique<conf::EngineRoomMediaFactory>(*media_engine_, std::move(mo),
                                                                     core_.get_executor());
  auto options = conference_options(cfg);
  make_recording_dir(options, /*recover=*/true);
  conference_ = std::make_unique<conf::ConferenceService>(std::move(options), *conference_media_);
  conference_->on_event([this](const conf::ConferenceEvent& e) {
    const bool joined = e.kind == conf::ConferenceEvent::Kind::kJoined;
    events_->publish(
        core::Event{joined ? core::EventType::kConferenceJoined : core::EventType::kConferenceLeft,
                    {e.caller},
                    {{"room", e.room},
                     {"call_id", e.call_id},
                     {"caller", e.caller},
                     {"moderator", e.moderator},
                     {"participants", e.participants}}});
  });
  b2bua_->set_app(core::TargetKind::kConference, conference_->app_factory());
  b2bua_->set_conference_bridge(conference_.get());  // three-way calling
  log::get("conference")
      ->info("conference: {} room(s) configured, up to {} participants{}",
             cfg.conference.rooms.size(), cfg.conference.max_participants,
             cfg.conference.record_conferences ? ", recorded" : "");
  return true;
}

void Application::apply_conference(const config::Config& cfg) {
  if (!conference_) return;
  auto options = conference_options(cfg);
  make_recording_dir(options, /*recover=*/false);
  conference_->update_options(std::move(options));
}

}  // namespace switchboard::app
