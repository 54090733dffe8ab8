#include "features/voicemail/service.hpp"

#include "common/log.hpp"
#include "features/voicemail/deposit_app.hpp"
#include "features/voicemail/ivr_app.hpp"

namespace switchboard::features::voicemail {

VoicemailService::VoicemailService(VoicemailOptions options, store::Database& db, Post run_blocking,
                                   Post post_core)
    : db_(db),
      options_(std::make_shared<const VoicemailOptions>(std::move(options))),
      store_(std::make_shared<MailboxStore>(db, options_)),
      run_blocking_(std::move(run_blocking)),
      post_core_(std::move(post_core)) {}

VoicemailService::~VoicemailService() = default;

void VoicemailService::update_options(VoicemailOptions options) {
  options_ = std::make_shared<const VoicemailOptions>(std::move(options));
  store_ = std::make_shared<MailboxStore>(db_, options_);
}

core::CallAppFactory VoicemailService::deposit_factory() {
  return [this](const core::AppCallInfo& info) -> core::CallAppPtr {
    if (info.target.empty() || !store_->has_mailbox(info.target)) {
      log::get("voicemail")->info("call {}: no mailbox {}", info.call_id, info.target);
      return nullptr;
    }
    return std::make_unique<DepositApp>(*this, options_, info.target);
  };
}

core::CallAppFactory VoicemailService::ivr_factory() {
  return [this](const core::AppCallInfo& info) -> core::CallAppPtr {
    // The mailbox is known only on the owner's own phone: `*1001` dialed by
    // 1001, or the main number dialed by an extension with a mailbox.
    std::string mailbox = info.target.empty() ? info.caller : info.target;
    bool own = info.caller_is_local && info.caller == mailbox && store_->has_mailbox(mailbox);
    return std::make_unique<IvrApp>(*this, options_, own ? mailbox : std::string());
  };
}

core::CallAppFactory VoicemailService::app_factory() {
  return [deposit = deposit_factory(), ivr = ivr_factory()](const core::AppCallInfo& info) {
    return info.reason == core::AppReason::kDialed ? ivr(info) : deposit(info);
  };
}

void VoicemailService::counts_changed(const std::string& mailbox) {
  async<Result<store::MailboxCounts>>(
      [mailbox](MailboxStore& s) { return s.counts(mailbox); },
      [this, mailbox](Result<store::MailboxCounts> c) {
        if (!c) {
          log::get("voicemail")->error("mailbox {}: counts: {}", mailbox, c.error().message);
          return;
        }
        if (counts_handler_) counts_handler_(mailbox, c->new_messages, c->saved_messages);
      });
}

void VoicemailService::message_stored(const store::VoicemailMessage& message) {
  if (message_handler_) message_handler_(message);
  counts_changed(message.mailbox);
}

void VoicemailService::clear_lockout(store::LockScope scope, std::string subject,
                                     std::function<void(Result<bool>)> done) {
  log::get("voicemail")
      ->info("clearing voicemail lockout of {} {}", store::to_string(scope), subject);
  async<Result<bool>>([scope, subject](MailboxStore& s) { return s.clear_lockout(scope, subject); },
                      std::move(done));
}

Result<std::size_t> VoicemailService::recover() {
  auto recovered = store_->recover();
  if (!recovered) return recovered.error();
  for (const auto& m : *recovered) {
    log::get("voicemail")->warn("mailbox {}: recovered message {} after a crash", m.mailbox, m.id);
    message_stored(m);
  }
  return recovered->size();
}

}  // namespace switchboard::features::voicemail
