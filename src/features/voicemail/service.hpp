// VoicemailService (issue 8 §1-4): the call applications "leave a message"
// (deposit) and the mailbox IVR (retrieval), on the core thread. Blocking
// work (store, files, PIN hashing) runs through `run_blocking` (the worker
// pool) and its result comes back through `post_core` (the core thread's
// executor); unit tests pass inline functions for both.
//
// Lifetime: the service must outlive its applications and every job it
// posted (drain the worker pool before destroying it).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/call/call_app.hpp"
#include "features/voicemail/mailbox_store.hpp"
#include "features/voicemail/options.hpp"
#include "store/database.hpp"

namespace switchboard::features::voicemail {

class VoicemailService {
 public:
  using Post = std::function<void(std::function<void()>)>;
  using CountsHandler =
      std::function<void(const std::string& mailbox, std::int64_t new_count, std::int64_t saved)>;
  using MessageHandler = std::function<void(const store::VoicemailMessage&)>;

  VoicemailService(VoicemailOptions options, store::Database& db, Post run_blocking,
                   Post post_core);
  ~VoicemailService();
  VoicemailService(const VoicemailService&) = delete;
  VoicemailService& operator=(const VoicemailService&) = delete;

  /// Leaving a message: for AppReason kNoAnswer/kBusy/kForwarded/kDialed with
  /// info.target = the mailbox. nullptr when the target has no mailbox.
  core::CallAppFactory deposit_factory();
  /// The mailbox IVR (`*`+extension, the voicemail main number). From the
  /// owner's own phone (caller_is_local and caller == the mailbox) only the
  /// PIN is asked; otherwise the mailbox number first.
  core::CallAppFactory ivr_factory();
  /// One factory for the voicemail target kind (B2bua::set_app(kVoicemail)):
  /// kDialed → the IVR (`*`+extension, the main number); kNoAnswer, kBusy,
  /// kForwarded → leaving a message in info.target's mailbox.
  core::CallAppFactory app_factory();

  /// For MWI: called on the core thread whenever a mailbox's counts change.
  void on_counts_changed(CountsHandler handler) { counts_handler_ = std::move(handler); }
  /// For e-mail: called on the core thread for every stored message.
  void on_new_message(MessageHandler handler) { message_handler_ = std::move(handler); }

  /// Admin: clears the lockout and failure counter of a mailbox or a source
  /// address; `done` (core thread) gets whether there was one.
  void clear_lockout(store::LockScope scope, std::string subject,
                     std::function<void(Result<bool>)> done);

  /// New options (SIGHUP); calls in progress keep the ones they started with.
  void update_options(VoicemailOptions options);
  const VoicemailOptions& options() const { return *options_; }

  /// Start-up, before calls (blocking): completes recordings a crash left
  /// without their row; announces them like new messages.
  Result<std::size_t> recover();

  // --- for the applications -------------------------------------------------

  /// Runs `work` on the worker pool with the current MailboxStore, then
  /// `done` on the core thread with its result.
  template <typename T>
  void async(std::function<T(MailboxStore&)> work, std::function<void(T)> done) {
    auto box = store_;
    run_blocking_([this, box, work = std::move(work), done = std::move(done)]() mutable {
      auto result = std::make_shared<T>(work(*box));
      post_core_([done = std::move(done), result] { done(std::move(*result)); });
    });
  }
  /// Re-reads a mailbox's counts and reports them (after any change).
  void counts_changed(const std::string& mailbox);
  /// A message was stored: counts and on_new_message.
  void message_stored(const store::VoicemailMessage& message);
  std::shared_ptr<MailboxStore> mailbox_store() const { return store_; }
  OptionsPtr options_ptr() const { return options_; }

 private:
  store::Database& db_;
  OptionsPtr options_;
  std::shared_ptr<MailboxStore> store_;
  Post run_blocking_;
  Post post_core_;
  CountsHandler counts_handler_;
  MessageHandler message_handler_;
};

}  // namespace switchboard::features::voicemail
