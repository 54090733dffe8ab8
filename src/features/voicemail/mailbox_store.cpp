#include "features/voicemail/mailbox_store.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "common/log.hpp"
#include "features/voicemail/pin.hpp"
#include "media/audio/sound_file.hpp"
#include "media/audio/wav_recorder.hpp"

namespace switchboard::features::voicemail {
namespace fs = std::filesystem;
namespace {

constexpr const char* kMetaSuffix = ".meta";

bool valid_mailbox(std::string_view m) {
  if (m.empty() || m.size() > 32) return false;
  for (char c : m) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '_' || c == '+';
    if (!ok) return false;
  }
  return true;
}

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

std::string meta_path(const std::string& wav) {
  fs::path p(wav);
  p.replace_extension(kMetaSuffix);
  return p.string();
}

struct Meta {
  std::string mailbox, caller_id, caller_name;
  store::Timestamp received_at{};
};

Status write_meta(const std::string& path, const Meta& m) {
  std::ofstream out(path, std::ios::trunc);
  out << "mailbox=" << one_line(m.mailbox) << "\n"
      << "caller_id=" << one_line(m.caller_id) << "\n"
      << "caller_name=" << one_line(m.caller_name) << "\n"
      << "received_at=" << store::to_iso(m.received_at) << "\n";
  out.flush();
  if (!out) return make_error(ErrorCode::kIoError, "cannot write " + path);
  return {};
}

Result<Meta> read_meta(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error(ErrorCode::kIoError, "cannot read " + path);
  Meta m;
  bool have_time = false;
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "mailbox") m.mailbox = value;
    if (key == "caller_id") m.caller_id = value;
    if (key == "caller_name") m.caller_name = value;
    if (key == "received_at") {
      auto t = store::parse_timestamp(value);
      if (t) {
        m.received_at = *t;
        have_time = true;
      }
    }
  }
  if (m.mailbox.empty() || !have_time) {
    return make_error(ErrorCode::kInvalidArgument, "malformed voicemail sidecar " + path);
  }
  return m;
}

void remove_quietly(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

}  // namespace

MailboxStore::MailboxStore(store::Database& db, OptionsPtr options)
    : db_(db), options_(std::move(options)) {}

bool MailboxStore::has_mailbox(std::string_view mailbox) const {
  return options_->mailboxes.find(mailbox) != options_->mailboxes.end();
}

std::string MailboxStore::unique_name() {
  auto now = options_->now();
  unsigned char rnd[4] = {};
  (void)RAND_bytes(rnd, sizeof rnd);
  return fmt::format("{}-{:02x}{:02x}{:02x}{:02x}", now.time_since_epoch().count(), rnd[0], rnd[1],
                     rnd[2], rnd[3]);
}

Result<std::string> MailboxStore::mailbox_dir(const std::string& mailbox) {
  if (!valid_mailbox(mailbox)) {
    return make_error(ErrorCode::kInvalidArgument, "invalid mailbox name");
  }
  fs::path dir = fs::path(options_->storage_path) / mailbox;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return make_error(ErrorCode::kIoError, "cannot create " + dir.string() + ": " + ec.message());
  return dir.string();
}

Result<std::string> MailboxStore::new_recording_path(const std::string& mailbox,
                                                     const std::string& kind) {
  auto dir = mailbox_dir(mailbox);
  if (!dir) return dir.error();
  return (fs::path(*dir) / (kind + "-" + unique_name() + ".wav")).string();
}

Result<DepositPlan> MailboxStore::prepare_deposit(const std::string& mailbox, bool busy,
                                                  const std::string& caller_id,
                                                  const std::string& caller_name) {
  auto dir = mailbox_dir(mailbox);
  if (!dir) return dir.error();
  auto settings = store::MailboxRepository(db_, options_->now).get(mailbox);
  if (!settings) return settings.error();
  DepositPlan plan;
  plan.wav_path = (fs::path(*dir) / ("msg-" + unique_name() + ".wav")).string();
  std::error_code ec;
  const std::string& recorded = busy ? settings->greeting_busy : settings->greeting_unavailable;
  if (!recorded.empty() && fs::exists(recorded, ec)) plan.greeting = recorded;
  if (!settings->name_recording.empty() && fs::exists(settings->name_recording, ec)) {
    plan.name_recording = settings->name_recording;
  }
  Meta meta{mailbox, caller_id, caller_name, options_->now()};
  if (Status s = write_meta(meta_path(plan.wav_path), meta); !s) return s.error();
  return plan;
}

Result<std::optional<store::VoicemailMessage>> MailboxStore::finish_deposit(
    const std::string& wav_path) {
  const std::string meta_file = meta_path(wav_path);
  auto meta = read_meta(meta_file);
  if (!meta) return meta.error();
  std::error_code ec;
  std::int64_t duration_ms = 0;
  if (fs::exists(wav_path, ec)) {
    auto info = media::audio::probe_sound_file(wav_path);
    if (info && info->rate > 0) duration_ms = info->frames * 1000 / info->rate;
  }
  if (duration_ms < options_->min_message.count()) {
    remove_quietly(wav_path);
    remove_quietly(meta_file);
    return std::optional<store::VoicemailMessage>{};
  }
  store::VoicemailMessage m;
  m.mailbox = meta->mailbox;
  m.caller_id = meta->caller_id;
  m.caller_name = meta->caller_name;
  m.received_at = meta->received_at;
  m.duration_ms = duration_ms;
  m.file_path = wav_path;
  store::VoicemailRepository repo(db_);
  auto known = repo.has_file(wav_path);
  if (!known) return known.error();
  if (*known) {  // already stored (recovery after a crash between insert and unlink)
    remove_quietly(meta_file);
    return std::optional<store::VoicemailMessage>{};
  }
  auto id = repo.insert(m);
  if (!id) return id.error();
  m.id = *id;
  remove_quietly(meta_file);
  return std::optional<store::VoicemailMessage>{std::move(m)};
}

void MailboxStore::abandon_deposit(const std::string& wav_path) {
  remove_quietly(wav_path);
  remove_quietly(wav_path + media::audio::WavRecorder::kPartSuffix);
  remove_quietly(meta_path(wav_path));
}

Result<std::vector<store::VoicemailMessage>> MailboxStore::recover() {
  std::vector<store::VoicemailMessage> out;
  std::error_code ec;
  if (!fs::is_directory(options_->storage_path, ec)) return out;
  for (const auto& box : fs::directory_iterator(options_->storage_path, ec)) {
    if (!box.is_directory()) continue;
    auto renamed = media::audio::recover_recordings(box.path().string());
    if (!renamed) {
      log::get("voicemail")
          ->warn("recovering recordings in {}: {}", box.path().string(), renamed.error().message);
    }
    std::vector<fs::path> metas;
    for (const auto& f : fs::directory_iterator(box.path(), ec)) {
      if (f.path().extension() == kMetaSuffix) metas.push_back(f.path());
    }
    for (const auto& meta : metas) {
      fs::path wav = meta;
      wav.replace_extension(".wav");
      if (!fs::exists(wav, ec)) {  // the caller hung up before the beep
        remove_quietly(meta.string());
        continue;
      }
      auto kept = finish_deposit(wav.string());
      if (!kept) return kept.error();
      if (*kept) out.push_back(std::move(**kept));
    }
  }
  return out;
}

Result<LoginOutcome> MailboxStore::check_lock(const std::string& mailbox,
                                              const std::string& source) {
  store::MailboxRepository repo(db_, options_->now);
  auto now = options_->now();
  auto m = repo.failures(store::LockScope::kMailbox, mailbox);
  if (!m) return m.error();
  if (m->locked_at(now)) return LoginOutcome::kLocked;
  if (!source.empty()) {
    auto s = repo.failures(store::LockScope::kSource, source);
    if (!s) return s.error();
    if (s->locked_at(now)) return LoginOutcome::kLocked;
  }
  return LoginOutcome::kOk;
}

Result<LoginOutcome> MailboxStore::login(const std::string& mailbox, const std::string& source,
                                         const std::string& pin) {
  auto locked = check_lock(mailbox, source);
  if (!locked) return locked.error();
  if (*locked == LoginOutcome::kLocked) return LoginOutcome::kLocked;
  store::MailboxRepository repo(db_, options_->now);
  bool ok = false;
  auto def = options_->mailboxes.find(mailbox);
  if (def != options_->mailboxes.end() && !pin.empty()) {
    auto settings = repo.get(mailbox);
    if (!settings) return settings.error();
    if (!settings->pin_hash.empty()) {
      ok = verify_pin(pin, settings->pin_hash);
    } else if (!def->second.initial_pin.empty()) {
      ok = same_pin(pin, def->second.initial_pin.reveal());
    }
  }
  if (ok) {
    if (auto r = repo.clear(store::LockScope::kMailbox, mailbox); !r) return r.error();
    if (!source.empty()) {
      if (auto r = repo.clear(store::LockScope::kSource, source); !r) return r.error();
    }
    return LoginOutcome::kOk;
  }
  auto now = options_->now();
  store::Timestamp until =
      options_->lockout_duration.count() > 0
          ? now + std::chrono::duration_cast<std::chrono::milliseconds>(options_->lockout_duration)
          : *store::parse_timestamp("9999-12-31T23:59:59.000Z");
  bool now_locked = false;
  if (def != options_->mailboxes.end()) {  // unknown numbers get no rows
    auto f = repo.add_failure(store::LockScope::kMailbox, mailbox,
                              options_->mailbox_lockout_failures, until);
    if (!f) return f.error();
    now_locked = now_locked || f->locked_at(now);
  }
  if (!source.empty()) {
    auto f = repo.add_failure(store::LockScope::kSource, source, options_->source_lockout_failures,
                              until);
    if (!f) return f.error();
    now_locked = now_locked || f->locked_at(now);
  }
  if (now_locked) {
    log::get("voicemail")->warn("voicemail login locked: mailbox {} from {}", mailbox, source);
    return LoginOutcome::kLocked;
  }
  return LoginOutcome::kWrongPin;
}

Result<bool> MailboxStore::clear_lockout(store::LockScope scope, const std::string& subject) {
  return store::MailboxRepository(db_, options_->now).clear(scope, subject);
}

Result<std::vector<store::LoginFailures>> MailboxStore::lockouts() {
  return store::MailboxRepository(db_, options_->now).locked(options_->now());
}

Result<MailboxContents> MailboxStore::contents(const std::string& mailbox) {
  store::VoicemailRepository repo(db_);
  auto fresh = repo.list(mailbox, store::VoicemailFolder::kNew);
  if (!fresh) return fresh.error();
  auto saved = repo.list(mailbox, store::VoicemailFolder::kSaved);
  if (!saved) return saved.error();
  MailboxContents c;
  std::stable_partition(fresh->begin(), fresh->end(),
                        [](const store::VoicemailMessage& m) { return !m.is_read; });
  c.new_messages = std::move(*fresh);
  c.saved_messages = std::move(*saved);
  return c;
}

Result<store::MailboxCounts> MailboxStore::counts(const std::string& mailbox) {
  return store::VoicemailRepository(db_).counts(mailbox);
}

Status MailboxStore::mark_read(std::int64_t id) {
  return store::VoicemailRepository(db_).mark_read(id, true);
}

Status MailboxStore::move(std::int64_t id, store::VoicemailFolder folder) {
  return store::VoicemailRepository(db_).move(id, folder);
}

Status MailboxStore::close_session(const std::vector<std::int64_t>& deleted,
                                   const std::vector<std::int64_t>& read_new) {
  store::VoicemailRepository repo(db_);
  for (std::int64_t id : deleted) {
    auto m = repo.get(id);
    if (!m) continue;  // already gone
    if (Status s = repo.remove(id); !s) return s;
    remove_quietly(m->file_path);
  }
  for (std::int64_t id : read_new) {
    auto m = repo.get(id);
    if (!m || m->folder != store::VoicemailFolder::kNew) continue;
    if (Status s = repo.move(id, store::VoicemailFolder::kSaved); !s) return s;
  }
  return {};
}

Result<store::VoicemailMessage> MailboxStore::forward(std::int64_t id,
                                                      const std::string& to_mailbox,
                                                      const std::string& by_mailbox) {
  if (!has_mailbox(to_mailbox)) {
    return make_error(ErrorCode::kNotFound, "no mailbox " + to_mailbox);
  }
  store::VoicemailRepository repo(db_);
  auto original = repo.get(id);
  if (!original) return original.error();
  auto dir = mailbox_dir(to_mailbox);
  if (!dir) return dir.error();
  std::string copy_path = (fs::path(*dir) / ("msg-" + unique_name() + ".wav")).string();
  std::error_code ec;
  fs::copy_file(original->file_path, copy_path, ec);
  if (ec) return make_error(ErrorCode::kIoError, "cannot copy message: " + ec.message());
  store::VoicemailMessage m = *original;
  m.id = 0;
  m.mailbox = to_mailbox;
  m.folder = store::VoicemailFolder::kNew;
  m.is_read = false;
  m.file_path = copy_path;
  (void)by_mailbox;
  auto new_id = repo.insert(m);
  if (!new_id) {
    remove_quietly(copy_path);
    return new_id.error();
  }
  m.id = *new_id;
  return m;
}

Status MailboxStore::set_pin(const std::string& mailbox, const std::string& pin) {
  if (auto weak = weak_pin_reason(pin, mailbox, options_->min_pin_length)) {
    return make_error(ErrorCode::kInvalidArgument, "PIN rejected: " + *weak);
  }
  return store::MailboxRepository(db_, options_->now)
      .set_pin_hash(mailbox, hash_pin(pin, options_->pin_iterations));
}

Status MailboxStore::set_recording(const std::string& mailbox, store::Recording which,
                                   const std::string& path) {
  store::MailboxRepository repo(db_, options_->now);
  auto before = repo.get(mailbox);
  if (!before) return before.error();
  if (Status s = repo.set_recording(mailbox, which, path); !s) return s;
  const std::string& old = which == store::Recording::kUnavailableGreeting
                               ? before->greeting_unavailable
                           : which == store::Recording::kBusyGreeting ? before->greeting_busy
                                                                      : before->name_recording;
  if (!old.empty() && old != path) remove_quietly(old);
  return {};
}

}  // namespace switchboard::features::voicemail
