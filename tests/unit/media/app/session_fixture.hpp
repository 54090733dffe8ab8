// A MediaSession in virtual time: tick() by hand, events collected inline.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>

#include "media/app/media_session.hpp"
#include "unit/media/audio/test_signals.hpp"

namespace switchboard::media::app::test {

inline const std::string kBuiltInPrompts = std::string(SB_BINARY_DIR) + "/prompts/en";

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("sb_app_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void start(SessionConfig config = {}) {
    SessionServices services;
    services.prompts = &catalog_;
    services.on_event = [this](MediaEvent e) { events_.push_back(std::move(e)); };
    session_ = std::make_unique<MediaSession>(config, std::move(services));
  }

  // Ticks `n` times with `input` (looped per frame; empty = no input);
  // returns what the session sent.
  std::vector<std::int16_t> run(int n, const std::vector<std::int16_t>& input = {}) {
    std::size_t frame = audio::frame_samples(session_->config().rate);
    std::vector<std::int16_t> out(frame), sent;
    for (int i = 0; i < n; ++i) {
      std::span<const std::int16_t> in;
      if (!input.empty()) {
        in = std::span(input).subspan((static_cast<std::size_t>(i) * frame) % input.size(), frame);
      }
      session_->tick(in, out);
      sent.insert(sent.end(), out.begin(), out.end());
    }
    return sent;
  }

  // Ticks until an event arrives (at most `limit`); returns the ticks taken.
  int run_until_event(int limit = 100000) {
    std::size_t before = events_.size();
    std::size_t frame = audio::frame_samples(session_->config().rate);
    std::vector<std::int16_t> out(frame);
    for (int i = 1; i <= limit; ++i) {
      session_->tick({}, out);
      if (events_.size() > before) return i;
    }
    return -1;
  }

  template <typename T>
  const T& event(std::size_t i) {
    EXPECT_LT(i, events_.size());
    EXPECT_TRUE(std::holds_alternative<T>(events_.at(i)));
    return std::get<T>(events_.at(i));
  }

  std::filesystem::path dir_;
  audio::PromptCatalog catalog_{{kBuiltInPrompts}};
  std::unique_ptr<MediaSession> session_;
  std::vector<MediaEvent> events_;
};

}  // namespace switchboard::media::app::test
