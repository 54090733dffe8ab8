#include "features/conference/engine_room_media.hpp"

namespace switchboard::features::conference {

namespace {

class EngineRoomMedia final : public RoomMedia {
 public:
  explicit EngineRoomMedia(std::unique_ptr<media::app::Conference> room) : room_(std::move(room)) {}

  Status add_party(PartyId id, core::AppControl& control) override {
    media::app::TerminatingLeg* leg = control.terminating_leg();
    if (!leg) return make_error(ErrorCode::kFailedPrecondition, "conference: the call has no leg");
    return room_->add_party(id, *leg);
  }
  Status remove_party(PartyId id) override { return room_->remove_party(id); }
  Status set_muted(PartyId id, bool muted) override { return room_->set_muted(id, muted); }
  void play_entry_tone() override { room_->play_entry_tone(); }
  void play_exit_tone() override { room_->play_exit_tone(); }
  Status start_recording(std::string path,
                         std::function<void(const RecordingDone&)> on_done) override {
    return room_->start_recording(
        std::move(path), [on_done = std::move(on_done)](const media::app::RoomRecordingDone& d) {
          if (on_done) on_done(RecordingDone{d.path, d.seconds, d.status});
        });
  }

 private:
  std::unique_ptr<media::app::Conference> room_;
};

}  // namespace

Result<RoomMediaPtr> EngineRoomMediaFactory::create() {
  auto room = media::app::Conference::create(engine_, options_, core_);
  if (!room.ok()) return room.error();
  return RoomMediaPtr(std::make_unique<EngineRoomMedia>(std::move(*room)));
}

}  // namespace switchboard::features::conference
