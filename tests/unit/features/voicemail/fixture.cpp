#include "fixture.hpp"

#include <cmath>

namespace switchboard::features::voicemail::testing {
namespace fs = std::filesystem;

std::vector<std::string> items_of(const app::PlayRequest& p) {
  std::vector<std::string> out;
  for (const auto& item : p.items) {
    if (const auto* pr = std::get_if<app::PromptItem>(&item)) out.push_back(pr->name);
    if (const auto* f = std::get_if<app::FileItem>(&item)) out.push_back("file:" + f->path);
    if (std::holds_alternative<app::ToneItem>(item)) out.push_back("tone");
  }
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

void write_wav(const std::string& path, double seconds) {
  auto rec = media::audio::WavRecorder::create(path);
  ASSERT_TRUE(rec.ok()) << rec.error().message;
  std::vector<std::int16_t> samples(static_cast<std::size_t>(seconds * 8000));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<std::int16_t>(8000 * std::sin(2 * M_PI * 440 * i / 8000.0));
  }
  ASSERT_TRUE((*rec)->write(samples).ok());
  ASSERT_TRUE((*rec)->finish().ok());
}

void VoicemailTest::SetUp() {
  auto s = store::testing::ScratchDatabase::create(store::Engine::kSqlite);
  ASSERT_TRUE(s.ok()) << s.error().message;
  scratch_ = std::move(*s);
  auto applied = store::migrate(scratch_->db(), store::builtin_migrations(), clock_.fn());
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  char tmpl[] = "/tmp/sb-vm-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  make_service(base_options());
}

void VoicemailTest::TearDown() {
  drain();
  service_.reset();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

void VoicemailTest::drain() {
  while (!jobs_.empty()) {
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    job();
  }
}

VoicemailOptions VoicemailTest::base_options() {
  VoicemailOptions o;
  o.storage_path = dir_ + "/vm";
  o.operator_number = "1000";
  o.pin_iterations = 1000;  // fast tests; the format records the count
  o.mailboxes["1001"] = MailboxDef{"Alice", Secret("4711")};
  o.mailboxes["1002"] = MailboxDef{"Bob", Secret("8642")};
  o.mailboxes["1003"] = MailboxDef{"Carol", Secret()};
  o.now = clock_.fn();
  o.local_time = [](store::Timestamp) { return media::audio::LocalTime{2024, 3, 1, 5, 9, 30}; };
  return o;
}

void VoicemailTest::make_service(VoicemailOptions options) {
  auto post = [this](std::function<void()> f) { jobs_.push_back(std::move(f)); };
  service_ = std::make_unique<VoicemailService>(std::move(options), scratch_->db(), post, post);
  service_->on_counts_changed([this](const std::string& m, std::int64_t n, std::int64_t s) {
    counts_.emplace_back(m, n, s);
  });
  service_->on_new_message([this](const store::VoicemailMessage& m) { stored_.push_back(m); });
}

void VoicemailTest::start(core::CallApp& a, FakeControl& c) {
  c.app = &a;
  a.on_start(c);
  drain();
}

void VoicemailTest::finish_play(FakeControl& c, app::PlayResult result, char digit) {
  auto* r = c.pending(FakeControl::Request::kPlay);
  ASSERT_NE(r, nullptr) << "no play pending";
  r->done = true;
  c.app->on_media(app::PlayDone{r->id, result, digit, {}});
  drain();
  c.deliver_stops();
  drain();
}

void VoicemailTest::press(FakeControl& c, std::string digits) {
  auto* r = c.pending(FakeControl::Request::kCollect);
  ASSERT_NE(r, nullptr) << "no collect pending";
  r->done = true;
  app::DigitsDone d{r->id, app::CollectResult::kMaxDigits, digits, 0};
  if (!digits.empty() && digits.back() == '#') {
    d.digits.pop_back();
    d.result = app::CollectResult::kTerminator;
    d.terminator = '#';
  }
  c.app->on_media(d);
  drain();
  c.deliver_stops();
  drain();
}

void VoicemailTest::collect_timeout(FakeControl& c) {
  // The prompt finished first, then the wait for a digit ran out.
  if (auto* p = c.pending(FakeControl::Request::kPlay)) {
    p->done = true;
    c.app->on_media(app::PlayDone{p->id, app::PlayResult::kDone, 0, {}});
    drain();
  }
  auto* r = c.pending(FakeControl::Request::kCollect);
  ASSERT_NE(r, nullptr) << "no collect pending";
  r->done = true;
  c.app->on_media(app::DigitsDone{r->id, app::CollectResult::kTimeout, {}, 0});
  drain();
  c.deliver_stops();
  drain();
}

void VoicemailTest::finish_record(FakeControl& c, double seconds, app::RecordResult result) {
  auto* r = c.pending(FakeControl::Request::kRecord);
  ASSERT_NE(r, nullptr) << "no recording pending";
  r->done = true;
  write_wav(r->record.path, seconds);
  c.app->on_media(app::RecordDone{r->id,
                                  result,
                                  r->record.path,
                                  seconds,
                                  result == app::RecordResult::kTerminator ? '#' : '\0',
                                  {}});
  drain();
}

std::string VoicemailTest::now_playing(FakeControl& c) {
  auto* r = c.pending(FakeControl::Request::kPlay);
  return r ? joined(items_of(r->play)) : std::string("<nothing>");
}

std::int64_t VoicemailTest::add_message(const std::string& mailbox, const std::string& caller,
                                        const char* received, store::VoicemailFolder folder,
                                        bool read) {
  fs::create_directories(dir_ + "/vm/" + mailbox);
  std::string path = dir_ + "/vm/" + mailbox + "/" + caller + "-" + received + ".wav";
  write_wav(path, 2.0);
  store::VoicemailMessage m;
  m.mailbox = mailbox;
  m.caller_id = caller;
  m.received_at = *store::parse_timestamp(received);
  m.duration_ms = 2000;
  m.folder = folder;
  m.is_read = read;
  m.file_path = path;
  auto id = store::VoicemailRepository(scratch_->db()).insert(m);
  EXPECT_TRUE(id.ok());
  return id.ok() ? *id : 0;
}

}  // namespace switchboard::features::voicemail::testing
