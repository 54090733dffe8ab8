// Test support for conference rooms: an AppControl that records the
// requests and lets the test complete them, and a mixer that records what
// the room asked of it.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "features/conference/conference_app.hpp"
#include "features/conference/service.hpp"

namespace switchboard::features::conference::testing {

namespace app = media::app;

class FakeControl final : public core::AppControl {
 public:
  struct Request {
    enum Kind { kPlay, kCollect } kind;
    app::OpId id;
    app::PlayRequest play;
    app::CollectRequest collect;
    bool done = false;
  };

  core::AppCallInfo call;
  std::vector<Request> requests;
  int stops = 0;
  std::string hung_up;
  std::string redirected;  ///< never: a conference caller is not handed on
  bool has_leg = true;     ///< false: the call has no terminating leg

  const core::AppCallInfo& info() const override { return call; }
  app::OpId play(app::PlayRequest r) override {
    requests.push_back({Request::kPlay, next_++, std::move(r), {}});
    return requests.back().id;
  }
  app::OpId record(app::RecordRequest) override { return 0; }
  app::OpId collect_digits(app::CollectRequest r) override {
    requests.push_back({Request::kCollect, next_++, {}, std::move(r)});
    return requests.back().id;
  }
  void stop_media() override {
    ++stops;
    for (auto& r : requests) r.done = true;  // completions of stopped requests are ignored
  }
  void hang_up(std::string cause) override { hung_up = cause.empty() ? "?" : cause; }
  void redirect(std::string dialed) override { redirected = std::move(dialed); }
  void redirect(std::string dialed, std::string, std::chrono::seconds) override {
    redirected = std::move(dialed);
  }
  void start_music(const std::string&) override {}
  void stop_music() override {}
  void join(const std::string&, std::function<void()> failed) override {
    if (failed) failed();
  }

  Request* pending(Request::Kind kind);
  /// The prompts of every play request so far, each request's joined by spaces.
  std::vector<std::string> plays() const;

 private:
  app::OpId next_ = 1;
};

/// A mixer that keeps its parties, their mute state and the tones it played.
class FakeRoomMedia final : public RoomMedia {
 public:
  struct Log {
    std::set<PartyId> parties;
    std::set<PartyId> muted;
    int entry_tones = 0;
    int exit_tones = 0;
    std::string recording;
    bool destroyed = false;
  };
  explicit FakeRoomMedia(std::shared_ptr<Log> log) : log_(std::move(log)) {}
  ~FakeRoomMedia() override { log_->destroyed = true; }

  Status add_party(PartyId id, core::AppControl& control) override;
  Status remove_party(PartyId id) override;
  Status set_muted(PartyId id, bool muted) override;
  void play_entry_tone() override { ++log_->entry_tones; }
  void play_exit_tone() override { ++log_->exit_tones; }
  Status start_recording(std::string path, std::function<void(const RecordingDone&)>) override {
    log_->recording = std::move(path);
    return Status::Ok();
  }

 private:
  std::shared_ptr<Log> log_;
};

class FakeRoomMediaFactory final : public RoomMediaFactory {
 public:
  Result<RoomMediaPtr> create() override {
    rooms.push_back(std::make_shared<FakeRoomMedia::Log>());
    return RoomMediaPtr(std::make_unique<FakeRoomMedia>(rooms.back()));
  }
  std::vector<std::shared_ptr<FakeRoomMedia::Log>> rooms;
};

/// A caller: its control and application.
struct Caller {
  FakeControl control;
  std::unique_ptr<core::CallApp> app;
  ConferenceApp& conf() { return static_cast<ConferenceApp&>(*app); }
};

class ConferenceTest : public ::testing::Test {
 protected:
  ConferenceTest();
  ConferenceOptions base_options();
  void make_service(ConferenceOptions options);

  /// A call from `caller` dialing `room`, started.
  Caller& dial(const std::string& room, const std::string& caller);
  /// Completes the pending collect with `digits` (a trailing '#' is the terminator).
  void press(Caller& c, std::string digits);
  /// Digits typed in the room, one collect each (`*6` is two).
  void type(Caller& c, const std::string& digits);
  void collect_timeout(Caller& c);
  void finish_play(Caller& c);
  /// The caller hangs up: stopped requests, then on_end().
  void hang_up(Caller& c);

  FakeRoomMediaFactory media_;
  std::unique_ptr<ConferenceService> service_;
  std::vector<ConferenceEvent> events_;
  std::vector<std::unique_ptr<Caller>> callers_;
};

}  // namespace switchboard::features::conference::testing
