// What the two voicemail applications share: the AppControl while the call
// lasts, the op ids of the requests still expected (completions of stopped
// or superseded requests are ignored), and store work whose result is
// dropped once the application ended.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/call/call_app.hpp"
#include "features/voicemail/service.hpp"

namespace switchboard::features::voicemail {

class AppBase {
 protected:
  AppBase(VoicemailService& service, OptionsPtr options)
      : service_(service), options_(std::move(options)) {}

  bool active() const { return control_ != nullptr; }

  /// Plays `items` (interruptible by any digit) and collects with `collect`;
  /// the DigitsDone of this pair is what moves the state machine.
  void prompt_and_collect(std::vector<media::app::PlayItem> items,
                          media::app::CollectRequest collect);
  /// Plays `items`, not interruptible; its PlayDone moves the machine.
  void play_only(std::vector<media::app::PlayItem> items, bool interruptible = false);
  /// A menu collect: one digit, the menu timeout, type-ahead kept.
  media::app::CollectRequest one_digit() const;
  /// Digits ended by `#` (PIN, mailbox number).
  media::app::CollectRequest digits(std::size_t max) const;
  /// True when `event` is the completion this state waits for.
  bool expected(const media::app::MediaEvent& event);
  void forget_ops() { play_op_ = collect_op_ = record_op_ = 0; }

  /// `work` (MailboxStore& -> T) on the worker pool, then `done(Self&, T)`
  /// on the core thread unless the application is gone by then.
  template <typename T, typename Self, typename Work, typename Done>
  void run(Self* self, Work work, Done done) {
    std::weak_ptr<int> alive = alive_;
    service_.async<T>(std::function<T(MailboxStore&)>(std::move(work)),
                      [alive, self, done = std::move(done)](T result) mutable {
                        if (alive.expired()) return;
                        done(*self, std::move(result));
                      });
  }

  VoicemailService& service_;
  OptionsPtr options_;
  core::AppControl* control_ = nullptr;
  media::app::OpId play_op_ = 0, collect_op_ = 0, record_op_ = 0;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

std::vector<media::app::PlayItem> prompts(std::initializer_list<const char*> names);
void append(std::vector<media::app::PlayItem>& to, const media::audio::Phrase& phrase);

}  // namespace switchboard::features::voicemail
