// Test bed of the mail service: a real SQLite store, virtual time for both
// the Timers and the wall clock, the worker pool and the core thread as two
// queues the test runs by hand, and a transport the test controls (the real
// SMTP exchange is covered against aiosmtpd by the integration tests).
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/timers.hpp"
#include "features/mail/mail_service.hpp"
#include "store/mail_outbox_repository.hpp"
#include "store/migrations.hpp"
#include "store/voicemail_repository.hpp"
#include "unit/store/test_db.hpp"

namespace switchboard::features::mail::testing {

struct Sent {
  std::string from, to, message;
  store::Timestamp at;
};

class ScriptedTransport : public MailTransport {
 public:
  explicit ScriptedTransport(std::function<store::Timestamp()> now) : now_(std::move(now)) {}
  Status send(std::string_view from, std::string_view to, std::string_view message) override {
    attempts.push_back(now_());
    if (failures_left > 0) {
      --failures_left;
      return make_error(ErrorCode::kUnavailable, "SMTP smtp://127.0.0.1:1: Couldn't connect");
    }
    sent.push_back({std::string(from), std::string(to), std::string(message), now_()});
    return {};
  }
  int failures_left = 0;
  std::vector<store::Timestamp> attempts;
  std::vector<Sent> sent;

 private:
  std::function<store::Timestamp()> now_;
};

class MailServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::testing::ScratchDatabase::create(store::Engine::kSqlite);
    ASSERT_TRUE(s.ok()) << s.error().message;
    scratch_ = std::move(*s);
    auto m = store::migrate(db(), store::builtin_migrations(), [this] { return wall_now(); });
    ASSERT_TRUE(m.ok()) << m.error().message;
    dir_ = std::filesystem::temp_directory_path() /
           ("sb-mail-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    transport_ = std::make_shared<ScriptedTransport>([this] { return wall_now(); });
    options_.email.from_address = "voicemail@example.com";
    options_.email.from_name = "Voicemail";
    options_.smtp.host = "127.0.0.1";
    options_.retry.initial = std::chrono::seconds(1);
    options_.retry.max = std::chrono::seconds(4);
  }

  void TearDown() override {
    service_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  store::Database& db() { return scratch_->db(); }

  store::Timestamp wall_now() const {
    return wall_base_ +
           std::chrono::duration_cast<std::chrono::milliseconds>(timers_.now() - steady_base_);
  }

  MailService::Environment environment() {
    MailService::Environment env;
    env.db = &db();
    env.timers = &timers_;
    env.post_work = [this](std::function<void()> f) { work_.push_back(std::move(f)); };
    env.post_core = [this](std::function<void()> f) { core_.push_back(std::move(f)); };
    env.wall_now = [this] { return wall_now(); };
    env.utc_offset = [this](store::Timestamp) { return utc_offset_; };
    env.reminder_address = [this](std::string_view mailbox) -> std::string {
      auto it = addresses_.find(std::string(mailbox));
      return it == addresses_.end() ? "" : it->second;
    };
    env.make_transport = [this](const SmtpOptions&) -> std::shared_ptr<MailTransport> {
      return transport_;
    };
    return env;
  }

  void start_service() {
    auto s = MailService::create(environment(), options_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    service_ = std::move(*s);
    service_->start();
    run_queues();
  }

  /// Runs posted work and completions until both queues are empty.
  void run_queues() {
    while (!work_.empty() || !core_.empty()) {
      while (!work_.empty()) {
        auto f = std::move(work_.front());
        work_.pop_front();
        f();
      }
      while (!core_.empty()) {
        auto f = std::move(core_.front());
        core_.pop_front();
        f();
      }
    }
  }

  /// Advances virtual time in small steps, running the queues in between.
  void advance(std::chrono::milliseconds d) {
    const auto step = std::chrono::milliseconds(100);
    for (std::chrono::milliseconds done{0}; done < d; done += step) {
      timers_.advance(std::min(step, d - done));
      run_queues();
    }
  }

  /// A stored voicemail with a WAV file.
  store::VoicemailMessage add_message(const std::string& mailbox, bool read = false) {
    store::VoicemailMessage m;
    m.mailbox = mailbox;
    m.caller_id = "1002";
    m.caller_name = "Bob";
    m.received_at = wall_now();
    m.duration_ms = 5000;
    m.is_read = read;
    m.file_path = (dir_ / (mailbox + "-" + std::to_string(++files_) + ".wav")).string();
    std::ofstream(m.file_path, std::ios::binary) << "RIFF....WAVEfmt data";
    auto id = store::VoicemailRepository(db()).insert(m);
    EXPECT_TRUE(id.ok()) << id.error().message;
    m.id = id.ok() ? *id : 0;
    return m;
  }

  std::vector<store::OutboxEntry> outbox() {
    auto r = store::MailOutboxRepository(db()).list(std::nullopt, 100);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<store::OutboxEntry>{};
  }

  VirtualTimers timers_;
  const TimePoint steady_base_ = timers_.now();
  store::Timestamp wall_base_ = *store::parse_timestamp("2026-03-02T07:00:00.000Z");
  std::chrono::seconds utc_offset_{0};
  std::unique_ptr<store::testing::ScratchDatabase> scratch_;
  std::filesystem::path dir_;
  std::deque<std::function<void()>> work_, core_;
  std::shared_ptr<ScriptedTransport> transport_;
  std::map<std::string, std::string> addresses_;
  MailServiceOptions options_;
  std::unique_ptr<MailService> service_;
  int files_ = 0;
};

}  // namespace switchboard::features::mail::testing
