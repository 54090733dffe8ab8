#include "features/voicemail/ivr_app.hpp"

#include <ctime>

#include "common/log.hpp"
#include "features/voicemail/pin.hpp"

namespace switchboard::features::voicemail {
namespace app = media::app;
using Items = std::vector<app::PlayItem>;

namespace {

media::audio::LocalTime system_local_time(store::Timestamp t) {
  std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  localtime_r(&secs, &tm);
  media::audio::LocalTime out;
  out.year = tm.tm_year + 1900;
  out.month = static_cast<unsigned>(tm.tm_mon + 1);
  out.day = static_cast<unsigned>(tm.tm_mday);
  out.weekday = static_cast<unsigned>(tm.tm_wday);
  out.hour = static_cast<unsigned>(tm.tm_hour);
  out.minute = static_cast<unsigned>(tm.tm_min);
  return out;
}

Items operator+(Items a, const Items& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace

const char* to_string(IvrApp::State s) {
  switch (s) {
    case IvrApp::State::kIdle:
      return "idle";
    case IvrApp::State::kMailboxEntry:
      return "mailbox_entry";
    case IvrApp::State::kCheckingLock:
      return "checking_lock";
    case IvrApp::State::kPinEntry:
      return "pin_entry";
    case IvrApp::State::kVerifying:
      return "verifying";
    case IvrApp::State::kLoading:
      return "loading";
    case IvrApp::State::kMainMenu:
      return "main_menu";
    case IvrApp::State::kPlayback:
      return "playback";
    case IvrApp::State::kMessageMenu:
      return "message_menu";
    case IvrApp::State::kForwardEntry:
      return "forward_entry";
    case IvrApp::State::kOptionsMenu:
      return "options_menu";
    case IvrApp::State::kRecordPrompt:
      return "record_prompt";
    case IvrApp::State::kRecording:
      return "recording";
    case IvrApp::State::kNewPin:
      return "new_pin";
    case IvrApp::State::kConfirmPin:
      return "confirm_pin";
    case IvrApp::State::kWaiting:
      return "waiting";
    case IvrApp::State::kGoodbye:
      return "goodbye";
    case IvrApp::State::kEnded:
      return "ended";
  }
  return "?";
}

IvrApp::IvrApp(VoicemailService& service, OptionsPtr options, std::string mailbox)
    : AppBase(service, std::move(options)),
      mailbox_(std::move(mailbox)),
      mailbox_known_(!mailbox_.empty()) {}

IvrApp::~IvrApp() = default;

void IvrApp::on_start(core::AppControl& control) {
  control_ = &control;
  if (mailbox_known_) {
    check_lock();
  } else {
    ask_mailbox(prompts({"welcome"}));
  }
}

void IvrApp::on_end() {
  close_session();
  control_ = nullptr;
  state_ = State::kEnded;
  forget_ops();
}

// --- login ---------------------------------------------------------------------

void IvrApp::ask_mailbox(Items notice) {
  state_ = State::kMailboxEntry;
  auto c = digits(10);
  c.flush = true;
  prompt_and_collect(notice + prompts({"vm_enter_mailbox"}), c);
}

void IvrApp::check_lock() {
  state_ = State::kCheckingLock;
  std::string mailbox = mailbox_;
  std::string source = control_->info().source_address;
  run<Result<LoginOutcome>>(
      this, [mailbox, source](MailboxStore& s) { return s.check_lock(mailbox, source); },
      [](IvrApp& self, Result<LoginOutcome> r) {
        if (self.state_ != State::kCheckingLock) return;
        if (!r) return self.failed(r.error());
        if (*r == LoginOutcome::kLocked) return self.locked();
        self.ask_pin(self.mailbox_known_ ? prompts({"welcome"}) : Items{});
      });
}

void IvrApp::ask_pin(Items notice) {
  state_ = State::kPinEntry;
  auto c = digits(20);
  c.flush = true;
  prompt_and_collect(notice + prompts({"enter_pin"}), c);
}

void IvrApp::verify(std::string pin) {
  state_ = State::kVerifying;
  std::string mailbox = mailbox_;
  std::string source = control_->info().source_address;
  run<Result<LoginOutcome>>(
      this,
      [mailbox, source, pin = std::move(pin)](MailboxStore& s) {
        return s.login(mailbox, source, pin);
      },
      [](IvrApp& self, Result<LoginOutcome> r) {
        if (self.state_ != State::kVerifying) return;
        if (!r) return self.failed(r.error());
        switch (*r) {
          case LoginOutcome::kOk:
            log::get("voicemail")->info("mailbox {}: login", self.mailbox_);
            return self.load();
          case LoginOutcome::kLocked:
            return self.locked();
          case LoginOutcome::kWrongPin:
            return self.wrong_pin();
        }
      });
}

void IvrApp::wrong_pin() {
  ++pin_failures_;
  log::get("voicemail")
      ->info("mailbox {}: wrong PIN ({} of {})", mailbox_, pin_failures_, options_->pin_attempts);
  if (pin_failures_ >= options_->pin_attempts) return goodbye(prompts({"invalid_pin"}));
  if (mailbox_known_) return ask_pin(prompts({"invalid_pin"}));
  // From elsewhere the mailbox number is asked again (it may be the typo).
  mailbox_.clear();
  ask_mailbox(prompts({"invalid_pin"}));
}

void IvrApp::locked() {
  goodbye(prompts({"vm_locked"}));
}

void IvrApp::failed(const Error& e) {
  log::get("voicemail")->error("mailbox {}: {}", mailbox_, e.message);
  goodbye(prompts({"vm_error"}));
}

void IvrApp::load() {
  state_ = State::kLoading;
  std::string mailbox = mailbox_;
  run<Result<MailboxContents>>(
      this, [mailbox](MailboxStore& s) { return s.contents(mailbox); },
      [](IvrApp& self, Result<MailboxContents> r) {
        if (self.state_ != State::kLoading) return;
        if (!r) return self.failed(r.error());
        for (auto& m : r->new_messages) self.new_.push_back(Entry{std::move(m), {}, false, false});
        for (auto& m : r->saved_messages) {
          self.saved_.push_back(Entry{std::move(m), {}, false, false});
        }
        self.main_menu();
      });
}

// --- menus -----------------------------------------------------------------------

std::pair<std::int64_t, std::int64_t> IvrApp::counts() const {
  std::int64_t n = 0, s = 0;
  for (const auto* list : {&new_, &saved_}) {
    for (const auto& e : *list) {
      if (e.deleted) continue;
      if (e.message.folder == store::VoicemailFolder::kNew) ++n;
      if (e.message.folder == store::VoicemailFolder::kSaved) ++s;
    }
  }
  return {n, s};
}

void IvrApp::main_menu(Items notice) {
  if (state_ != State::kMainMenu) repeats_ = 0;
  state_ = State::kMainMenu;
  auto [n, s] = counts();
  Items items = notice;
  append(items, media::audio::message_count_phrase(static_cast<std::uint32_t>(n),
                                                   media::audio::MessageKind::kNew));
  auto saved = media::audio::message_count_phrase(static_cast<std::uint32_t>(s),
                                                  media::audio::MessageKind::kSaved);
  items.emplace_back(app::PromptItem{"and"});
  append(items, media::audio::Phrase(saved.begin() + 1, saved.end()));  // without "you have"
  items.emplace_back(app::PromptItem{"vm_main_menu"});
  prompt_and_collect(std::move(items), one_digit());
}

void IvrApp::message_menu(Items notice) {
  if (state_ != State::kMessageMenu) repeats_ = 0;
  state_ = State::kMessageMenu;
  const Entry* e = current();
  prompt_and_collect(notice + prompts({e && e->deleted ? "vm_deleted_menu" : "vm_message_menu"}),
                     one_digit());
}

void IvrApp::options_menu(Items notice) {
  if (state_ != State::kOptionsMenu) repeats_ = 0;
  state_ = State::kOptionsMenu;
  prompt_and_collect(notice + prompts({"vm_options_menu"}), one_digit());
}

void IvrApp::goodbye(Items notice) {
  close_session();
  state_ = State::kGoodbye;
  play_only(notice + prompts({"goodbye"}));
}

// --- messages ----------------------------------------------------------------------

IvrApp::Entry* IvrApp::current() {
  auto& list = folder();
  return index_ < list.size() ? &list[index_] : nullptr;
}

void IvrApp::open_folder(bool new_folder) {
  in_new_ = new_folder;
  index_ = 0;
  if (folder().empty()) return main_menu(prompts({"vm_no_messages"}));
  play_message();
}

void IvrApp::play_message() {
  Entry* e = current();
  if (!e) return main_menu(prompts({"vm_no_more_messages"}));
  state_ = State::kPlayback;
  auto local = options_->local_time ? options_->local_time(e->message.received_at)
                                    : system_local_time(e->message.received_at);
  Items items;
  append(items, media::audio::envelope_phrase(local, e->message.caller_id));
  items.emplace_back(app::FileItem{e->message.file_path, false});
  if (!e->message.is_read) {
    e->message.is_read = true;
    e->heard = true;
    std::int64_t id = e->message.id;
    run<Status>(
        this, [id](MailboxStore& s) { return s.mark_read(id); },
        [](IvrApp& self, Status st) {
          if (!st) log::get("voicemail")->warn("mailbox {}: {}", self.mailbox_, st.error().message);
        });
  }
  play_only(std::move(items), /*interruptible=*/true);
}

void IvrApp::changed() {
  service_.counts_changed(mailbox_);
}

void IvrApp::on_message_digit(char d) {
  Entry* e = current();
  if (!e) return main_menu();
  switch (d) {
    case '5':
      return play_message();
    case '6':
      ++index_;
      if (index_ >= folder().size()) {
        index_ = folder().size() - 1;
        return main_menu(prompts({"vm_no_more_messages"}));
      }
      return play_message();
    case '4':
      if (index_ == 0) return message_menu(prompts({"vm_first_message"}));
      --index_;
      return play_message();
    case '7':
    case '9': {
      bool del = d == '7';
      store::VoicemailFolder to;
      const char* notice;
      if (del && !e->deleted) {
        e->before_delete = e->message.folder;
        e->deleted = true;
        to = store::VoicemailFolder::kDeleted;
        notice = "vm_message_deleted";
      } else if (del) {
        e->deleted = false;
        to = e->before_delete;
        notice = "vm_message_undeleted";
      } else {
        if (e->deleted) return message_menu(prompts({"vm_invalid_option"}));
        e->message.folder = store::VoicemailFolder::kSaved;
        to = store::VoicemailFolder::kSaved;
        notice = "vm_message_saved";
      }
      if (to != store::VoicemailFolder::kDeleted) e->message.folder = to;
      std::int64_t id = e->message.id;
      state_ = State::kWaiting;
      return run<Status>(
          this, [id, to](MailboxStore& s) { return s.move(id, to); },
          [notice](IvrApp& self, Status st) {
            if (self.state_ != State::kWaiting) return;
            if (!st) return self.failed(st.error());
            self.changed();
            self.message_menu(prompts({notice}));
          });
    }
    case '3': {
      const std::string& number = e->message.caller_id;
      bool dialable =
          !number.empty() && number.find_first_not_of("0123456789*#+") == std::string::npos;
      if (!dialable) return message_menu(prompts({"vm_no_callback"}));
      log::get("voicemail")->info("mailbox {}: calling back {}", mailbox_, number);
      std::string target = number;
      control_->redirect(target);
      return;
    }
    case '8': {
      state_ = State::kForwardEntry;
      auto c = digits(10);
      return prompt_and_collect(prompts({"vm_enter_forward"}), c);
    }
    case '*':
      return main_menu();
    default:
      return message_menu(prompts({"vm_invalid_option"}));
  }
}

// --- options -----------------------------------------------------------------------

void IvrApp::on_options_digit(char d) {
  switch (d) {
    case '1':
      return start_recording(store::Recording::kUnavailableGreeting);
    case '2':
      return start_recording(store::Recording::kBusyGreeting);
    case '3':
      return start_recording(store::Recording::kName);
    case '4': {
      state_ = State::kNewPin;
      auto c = digits(20);
      c.flush = true;
      return prompt_and_collect(prompts({"vm_enter_new_pin"}), c);
    }
    case '*':
      return main_menu();
    default:
      return options_menu(prompts({"vm_invalid_option"}));
  }
}

void IvrApp::start_recording(store::Recording which) {
  recording_kind_ = which;
  state_ = State::kWaiting;
  std::string mailbox = mailbox_;
  const char* kind = which == store::Recording::kName ? "name" : "greeting";
  run<Result<std::string>>(
      this, [mailbox, kind](MailboxStore& s) { return s.new_recording_path(mailbox, kind); },
      [](IvrApp& self, Result<std::string> path) {
        if (self.state_ != State::kWaiting) return;
        if (!path) return self.failed(path.error());
        self.recording_path_ = *path;
        self.state_ = State::kRecordPrompt;
        Items items = prompts({"vm_record_after_tone"});
        items.emplace_back(app::ToneItem{media::dsp::ToneKind::kBeep, {}});
        self.play_only(std::move(items));
      });
}

void IvrApp::on_recorded(const app::RecordDone& r) {
  bool hung_up = r.result == app::RecordResult::kStopped && !active();
  if (r.result == app::RecordResult::kError || hung_up || r.path.empty() ||
      r.seconds * 1000 < static_cast<double>(options_->min_message.count())) {
    std::string path = r.path.empty() ? recording_path_ : r.path;
    run<int>(
        this,
        [path](MailboxStore& s) {
          s.abandon_deposit(path);
          return 0;
        },
        [](IvrApp&, int) {});
    if (active()) options_menu(prompts({"vm_too_short"}));
    return;
  }
  state_ = State::kWaiting;
  std::string mailbox = mailbox_, path = r.path;
  auto which = recording_kind_;
  run<Status>(
      this,
      [mailbox, which, path](MailboxStore& s) { return s.set_recording(mailbox, which, path); },
      [](IvrApp& self, Status st) {
        if (self.state_ != State::kWaiting) return;
        if (!st) return self.failed(st.error());
        self.options_menu(prompts({"vm_recording_saved"}));
      });
}

void IvrApp::on_new_pin(const std::string& pin) {
  state_ = State::kWaiting;
  std::string mailbox = mailbox_;
  run<Status>(
      this, [mailbox, pin](MailboxStore& s) { return s.set_pin(mailbox, pin); },
      [](IvrApp& self, Status st) {
        if (self.state_ != State::kWaiting) return;
        if (!st) return self.failed(st.error());
        log::get("voicemail")->info("mailbox {}: PIN changed", self.mailbox_);
        self.options_menu(prompts({"vm_pin_changed"}));
      });
}

// --- events ------------------------------------------------------------------------

void IvrApp::on_media(const app::MediaEvent& event) {
  if (!expected(event)) return;
  if (const auto* d = std::get_if<app::DigitsDone>(&event)) return on_digits(*d);
  if (const auto* r = std::get_if<app::RecordDone>(&event)) {
    if (state_ == State::kRecording) on_recorded(*r);
    return;
  }
  const auto& p = std::get<app::PlayDone>(event);
  switch (state_) {
    case State::kPlayback:
      return message_menu();
    case State::kRecordPrompt: {
      if (!control_) return;
      state_ = State::kRecording;
      app::RecordRequest req;
      req.path = recording_path_;
      req.max_duration = options_->max_greeting;
      req.silence_end = std::chrono::seconds(3);
      req.silence_rms = options_->silence_rms;
      req.terminators = "#";
      forget_ops();
      record_op_ = control_->record(std::move(req));
      return;
    }
    case State::kGoodbye:
      state_ = State::kEnded;
      if (control_) control_->hang_up("voicemail: goodbye");
      return;
    default:
      (void)p;
      return;
  }
}

void IvrApp::on_timeout(Menu menu) {
  if (repeats_ < options_->menu_repeats) {
    ++repeats_;
    switch (menu) {
      case Menu::kMain:
        return main_menu();
      case Menu::kMessage:
        return message_menu();
      case Menu::kOptions:
        return options_menu();
    }
  }
  if (menu == Menu::kMain) return goodbye();
  main_menu();
}

void IvrApp::on_digits(const app::DigitsDone& d) {
  if (d.result == app::CollectResult::kStopped) return;
  bool timeout = d.result == app::CollectResult::kTimeout && d.digits.empty();
  switch (state_) {
    case State::kMailboxEntry:
      if (timeout) {
        if (repeats_++ < options_->menu_repeats) return ask_mailbox();
        return goodbye();
      }
      mailbox_ = d.digits;
      return check_lock();
    case State::kPinEntry:
      if (timeout) return wrong_pin();
      return verify(d.digits);
    case State::kMainMenu:
      if (timeout) return on_timeout(Menu::kMain);
      repeats_ = 0;
      return on_main_digit(d.digits.empty() ? '\0' : d.digits[0]);
    case State::kMessageMenu:
      if (timeout) return on_timeout(Menu::kMessage);
      repeats_ = 0;
      return on_message_digit(d.digits.empty() ? '\0' : d.digits[0]);
    case State::kOptionsMenu:
      if (timeout) return on_timeout(Menu::kOptions);
      repeats_ = 0;
      return on_options_digit(d.digits.empty() ? '\0' : d.digits[0]);
    case State::kForwardEntry: {
      if (timeout || d.digits.empty()) return message_menu();
      std::string to = d.digits;
      Entry* e = current();
      if (!e || !service_.mailbox_store()->has_mailbox(to)) {
        return message_menu(prompts({"vm_invalid_mailbox"}));
      }
      state_ = State::kWaiting;
      std::int64_t id = e->message.id;
      std::string by = mailbox_;
      return run<Result<store::VoicemailMessage>>(
          this, [id, to, by](MailboxStore& s) { return s.forward(id, to, by); },
          [](IvrApp& self, Result<store::VoicemailMessage> copy) {
            if (self.state_ != State::kWaiting) return;
            if (!copy) return self.failed(copy.error());
            self.service_.message_stored(*copy);
            self.message_menu(prompts({"vm_forwarded"}));
          });
    }
    case State::kNewPin: {
      if (timeout) return options_menu();
      if (weak_pin_reason(d.digits, mailbox_, options_->min_pin_length)) {
        return options_menu(prompts({"vm_pin_weak"}));
      }
      new_pin_ = d.digits;
      state_ = State::kConfirmPin;
      auto c = digits(20);
      c.flush = true;
      return prompt_and_collect(prompts({"vm_confirm_pin"}), c);
    }
    case State::kConfirmPin: {
      std::string first = std::move(new_pin_);
      new_pin_.clear();
      if (timeout) return options_menu();
      if (!same_pin(first, d.digits)) return options_menu(prompts({"vm_pin_mismatch"}));
      return on_new_pin(first);
    }
    default:
      return;
  }
}

void IvrApp::on_main_digit(char d) {
  switch (d) {
    case '1':
      return open_folder(true);
    case '2':
      return open_folder(false);
    case '0':
      return options_menu();
    case '*':
    case '#':
      return goodbye();
    default:
      return main_menu(prompts({"vm_invalid_option"}));
  }
}

void IvrApp::close_session() {
  if (closed_ || (new_.empty() && saved_.empty())) return;
  closed_ = true;
  std::vector<std::int64_t> deleted, read_new;
  for (const auto* list : {&new_, &saved_}) {
    for (const auto& e : *list) {
      if (e.deleted) {
        deleted.push_back(e.message.id);
      } else if (e.message.is_read && e.message.folder == store::VoicemailFolder::kNew) {
        read_new.push_back(e.message.id);
      }
    }
  }
  if (deleted.empty() && read_new.empty()) return;
  // Not through run(): the session's end is written even after the app is gone.
  std::string mailbox = mailbox_;
  VoicemailService* service = &service_;
  service_.async<Status>(
      [deleted, read_new](MailboxStore& s) { return s.close_session(deleted, read_new); },
      [service, mailbox](Status st) {
        if (!st) log::get("voicemail")->error("mailbox {}: {}", mailbox, st.error().message);
        service->counts_changed(mailbox);
      });
}

}  // namespace switchboard::features::voicemail
