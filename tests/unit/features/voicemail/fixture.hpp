// Test support for voicemail: a scratch SQLite store, a work queue standing
// in for the worker pool and the core thread, and an AppControl that
// records the requests and lets the test complete them.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/call/call_app.hpp"
#include "features/voicemail/service.hpp"
#include "media/audio/wav_recorder.hpp"
#include "store/migrations.hpp"
#include "unit/store/test_db.hpp"

namespace switchboard::features::voicemail::testing {

namespace app = media::app;

class FakeControl final : public core::AppControl {
 public:
  struct Request {
    enum Kind { kPlay, kRecord, kCollect } kind;
    app::OpId id;
    app::PlayRequest play;
    app::RecordRequest record;
    app::CollectRequest collect;
    bool done = false;
  };

  core::AppCallInfo call;
  std::vector<Request> requests;
  int stops = 0;
  std::string hung_up;
  std::string redirected;
  std::string fallback;
  std::chrono::seconds fallback_after{0};
  std::string music;  ///< the class while the caller hears music on hold
  std::string joined_call;
  std::function<void()> join_failed;
  core::CallApp* app = nullptr;

  const core::AppCallInfo& info() const override { return call; }
  app::OpId play(app::PlayRequest r) override {
    requests.push_back({Request::kPlay, next_++, std::move(r), {}, {}});
    return requests.back().id;
  }
  app::OpId record(app::RecordRequest r) override {
    requests.push_back({Request::kRecord, next_++, {}, std::move(r), {}});
    return requests.back().id;
  }
  app::OpId collect_digits(app::CollectRequest r) override {
    requests.push_back({Request::kCollect, next_++, {}, {}, std::move(r)});
    return requests.back().id;
  }
  void stop_media() override {
    ++stops;
    stopped_.clear();
    for (auto& r : requests) {
      if (!r.done) stopped_.push_back(r.id);
    }
  }
  void hang_up(std::string cause) override { hung_up = cause.empty() ? "?" : cause; }
  void redirect(std::string dialed) override { redirected = std::move(dialed); }
  void redirect(std::string dialed, std::string fallback_to, std::chrono::seconds after) override {
    redirected = std::move(dialed);
    fallback = std::move(fallback_to);
    fallback_after = after;
  }
  void start_music(const std::string& moh_class) override {
    music = moh_class.empty() ? "default" : moh_class;
  }
  void stop_music() override { music.clear(); }
  void join(const std::string& call_id, std::function<void()> failed) override {
    joined_call = call_id;
    join_failed = std::move(failed);
  }

  /// The newest request of a kind not yet completed.
  Request* pending(Request::Kind kind) {
    for (auto it = requests.rbegin(); it != requests.rend(); ++it) {
      if (it->kind == kind && !it->done) return &*it;
    }
    return nullptr;
  }
  /// Delivers completions for requests stop_media() cut short (kStopped).
  void deliver_stops() {
    auto ids = std::exchange(stopped_, {});
    for (auto id : ids) {
      for (auto& r : requests) {
        if (r.id != id || r.done) continue;
        r.done = true;
        if (r.kind == Request::kPlay) app->on_media(app::PlayDone{id, app::PlayResult::kStopped});
        if (r.kind == Request::kCollect) {
          app->on_media(app::DigitsDone{id, app::CollectResult::kStopped, {}, 0});
        }
        if (r.kind == Request::kRecord) {
          app->on_media(app::RecordDone{id, app::RecordResult::kStopped, r.record.path, 0, 0, {}});
        }
      }
    }
  }

 private:
  app::OpId next_ = 1;
  std::vector<app::OpId> stopped_;
};

/// Names of what a play request plays: prompt names, "file:<path>", "tone".
std::vector<std::string> items_of(const app::PlayRequest& p);
std::string joined(const std::vector<std::string>& v);

/// Writes a WAV of `seconds` of a 440 Hz tone at 8 kHz (as the recorder would).
void write_wav(const std::string& path, double seconds);

class VoicemailTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// Runs queued worker jobs and core posts until none is left.
  void drain();
  VoicemailOptions base_options();
  void make_service(VoicemailOptions options);
  /// Starts `app` on `control` (drained).
  void start(core::CallApp& app, FakeControl& control);

  // Completing requests (each drains afterwards).
  void finish_play(FakeControl& c, app::PlayResult result = app::PlayResult::kDone, char digit = 0);
  /// Completes the pending collect with `digits` (a trailing '#' is the terminator).
  void press(FakeControl& c, std::string digits);
  void collect_timeout(FakeControl& c);
  /// Writes the pending recording's file with `seconds` of audio and completes it.
  void finish_record(FakeControl& c, double seconds,
                     app::RecordResult result = app::RecordResult::kTerminator);
  /// What the newest play request plays, joined by spaces.
  std::string now_playing(FakeControl& c);

  std::int64_t add_message(const std::string& mailbox, const std::string& caller,
                           const char* received,
                           store::VoicemailFolder folder = store::VoicemailFolder::kNew,
                           bool read = false);

  std::unique_ptr<store::testing::ScratchDatabase> scratch_;
  std::string dir_;
  store::testing::FakeClock clock_;
  std::deque<std::function<void()>> jobs_;
  std::unique_ptr<VoicemailService> service_;
  std::vector<std::tuple<std::string, std::int64_t, std::int64_t>> counts_;
  std::vector<store::VoicemailMessage> stored_;
};

}  // namespace switchboard::features::voicemail::testing
