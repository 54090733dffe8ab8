#include "media/app/conference.hpp"

#include <boost/asio/post.hpp>
#include <deque>
#include <filesystem>

#include "media/app/sources.hpp"
#include "media/audio/async_wav_writer.hpp"
#include "media/audio/resampler.hpp"
#include "media/mixer/mixer_host.hpp"
#include "media/rtp/media_thread.hpp"

namespace switchboard::media::app {
namespace {

constexpr mixer::PartyId kAnnouncerId = Conference::kFirstReservedId;
constexpr mixer::PartyId kRecorderId = Conference::kFirstReservedId + 1;

dsp::ToneSpec beep(double freq) {
  dsp::ToneSpec s;
  s.frequencies = {freq, 0};
  s.level_dbm0 = -13;
  s.cadence = {{120, 40}};
  s.repeat = false;
  return s;
}

// Plays queued sources one after the other as a party's voice. Room thread only.
class Announcer final : public audio::FrameSource {
 public:
  void push(audio::AudioSourcePtr source) { queue_.push_back(std::move(source)); }
  void clear() { queue_.clear(); }
  bool read(std::span<std::int16_t> frame) override {
    std::size_t filled = 0;
    while (filled < frame.size() && !queue_.empty()) {
      std::size_t n = queue_.front()->read(frame.subspan(filled));
      filled += n;
      if (filled < frame.size()) queue_.pop_front();  // ended
    }
    if (filled == 0) return false;
    std::fill(frame.begin() + static_cast<std::ptrdiff_t>(filled), frame.end(), std::int16_t{0});
    return true;
  }

 private:
  std::deque<audio::AudioSourcePtr> queue_;
};

// What the room hears, to a WAV off the room thread. Room thread only.
class RecorderSink final : public audio::FrameSink {
 public:
  explicit RecorderSink(std::unique_ptr<audio::AsyncWavWriter> writer)
      : writer_(std::move(writer)) {}
  void write(std::span<const std::int16_t> frame) override { writer_->write(frame); }
  void finish(audio::AsyncWavWriter::OnDone on_done) { writer_->finish(std::move(on_done)); }

 private:
  std::unique_ptr<audio::AsyncWavWriter> writer_;
};

}  // namespace

// The media thread's side: the mixer host, the announcer, the recorder, and
// the thread's tick driving the host.
struct Conference::Room final : rtp::MediaThread::Client {
  Room(std::shared_ptr<rtp::MediaThread> t, int rate)
      : thread(std::move(t)),
        id(thread->next_id()),
        host([th = thread](std::function<void()> fn) { th->post(std::move(fn)); }, rate),
        tick(host.media_tick()),
        announcer(std::make_shared<Announcer>()) {
    ++thread->sessions;
  }
  ~Room() override {
    thread->detach(id);
    --thread->sessions;
  }
  void on_readable(unsigned) override {}
  void on_tick(TimePoint now) override { tick(now); }

  std::shared_ptr<rtp::MediaThread> thread;
  std::uint64_t id;
  mixer::MixerHost host;
  std::function<void(TimePoint)> tick;
  std::shared_ptr<Announcer> announcer;         // touched on the room thread only
  std::shared_ptr<RecorderSink> recorder;       // room thread only
  audio::AsyncWavWriter::OnDone recorder_done;  // room thread only
};

std::vector<dsp::ToneSpec> ConferenceOptions::default_entry_tones() {
  return {beep(440), beep(660)};
}
std::vector<dsp::ToneSpec> ConferenceOptions::default_exit_tones() {
  return {beep(660), beep(440)};
}

Conference::Conference(ConferenceOptions options, boost::asio::any_io_executor core)
    : options_(std::move(options)), core_(std::move(core)) {}

Result<std::unique_ptr<Conference>> Conference::create(rtp::MediaEngine& engine,
                                                       ConferenceOptions options,
                                                       boost::asio::any_io_executor core) {
  if (options.rate != 8000 && options.rate != 16000 && options.rate != 48000)
    return make_error(ErrorCode::kInvalidArgument, "conference: rate must be 8/16/48 kHz");
  auto thread = engine.place_task();
  if (!thread) return thread.error();
  std::unique_ptr<Conference> c(new Conference(std::move(options), std::move(core)));
  c->room_ = std::make_shared<Room>(std::move(thread).value(), c->options_.rate);
  Room& room = *c->room_;
  room.host.add(kAnnouncerId, room.announcer, nullptr);
  room.host.start();
  room.thread->attach(room.id, c->room_);
  return c;
}

Conference::~Conference() {
  for (auto& [id, port] : parties_) port->close();
  if (recording_) stop_recording();
  room_->host.stop();
  room_->thread->detach(room_->id);
  // The room (and the host's state) goes with the last task that holds it.
  post([](Room&) {});
}

void Conference::post(std::function<void(Room&)> fn) {
  room_->thread->post([room = room_, fn = std::move(fn)] { fn(*room); });
}

Status Conference::add_party(mixer::PartyId id, TerminatingLeg& leg, mixer::PartyOptions options) {
  if (id >= kFirstReservedId)
    return make_error(ErrorCode::kInvalidArgument, "conference: reserved party id");
  if (leg.closed()) return make_error(ErrorCode::kInvalidArgument, "conference: leg closed");
  if (parties_.count(id)) return make_error(ErrorCode::kAlreadyExists, "conference: party exists");
  auto port = std::make_shared<PartyPort>(leg.rate());
  int party_rate = leg.rate() == options_.rate ? 0 : leg.rate();
  room_->host.add(id, port->voice(), port->mix(), options, party_rate);
  leg.channel().set_party(port);
  parties_.emplace(id, std::move(port));
  return Status::Ok();
}

Status Conference::remove_party(mixer::PartyId id) {
  auto it = parties_.find(id);
  if (it == parties_.end()) return make_error(ErrorCode::kNotFound, "conference: no such party");
  it->second->close();
  room_->host.remove(id);
  parties_.erase(it);
  return Status::Ok();
}

Status Conference::set_muted(mixer::PartyId id, bool muted) {
  if (!parties_.count(id)) return make_error(ErrorCode::kNotFound, "conference: no such party");
  room_->host.set_muted(id, muted);
  return Status::Ok();
}

Status Conference::set_deaf(mixer::PartyId id, bool deaf) {
  if (!parties_.count(id)) return make_error(ErrorCode::kNotFound, "conference: no such party");
  room_->host.set_deaf(id, deaf);
  return Status::Ok();
}

void Conference::play_tone(const dsp::ToneSpec& tone, std::chrono::milliseconds duration) {
  if (tone.repeat && duration.count() <= 0) duration = std::chrono::seconds(1);
  int rate = options_.rate;
  post([tone, duration, rate](Room& r) {
    r.announcer->push(std::make_unique<ToneSource>(tone, rate, duration));
  });
}

void Conference::play_entry_tone() {
  for (const auto& t : options_.entry_tones) play_tone(t);
}

void Conference::play_exit_tone() {
  for (const auto& t : options_.exit_tones) play_tone(t);
}

void Conference::play_clip(audio::PcmBufferPtr clip) {
  if (!clip || clip->samples.empty()) return;
  if (clip->rate != options_.rate)
    clip = std::make_shared<const audio::PcmBuffer>(audio::resample(*clip, options_.rate));
  post([clip = std::move(clip)](Room& r) {
    r.announcer->push(std::make_unique<audio::BufferSource>(clip));
  });
}

void Conference::stop_playing() {
  post([](Room& r) { r.announcer->clear(); });
}

Status Conference::start_recording(std::string path,
                                   std::function<void(const RoomRecordingDone&)> on_done) {
  if (path.empty()) return make_error(ErrorCode::kInvalidArgument, "recording: no path");
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
    return make_error(ErrorCode::kNotFound, "recording: no directory " + dir.string());
  if (recording_) return make_error(ErrorCode::kFailedPrecondition, "already recording");
  recording_ = true;
  audio::RecorderOptions options;
  options.rate = options_.rate;
  auto writer =
      std::make_unique<audio::AsyncWavWriter>(std::move(path), options, options_.run_serial);
  auto sink = std::make_shared<RecorderSink>(std::move(writer));
  // Listen-only and never muted: it hears every party and the announcer.
  room_->host.add(kRecorderId, nullptr, sink);
  post([sink, on_done = std::move(on_done), core = core_](Room& r) mutable {
    r.recorder = std::move(sink);
    r.recorder_done = [on_done = std::move(on_done), core](audio::AsyncWavWriter::Done d) {
      if (!on_done) return;
      boost::asio::post(core, [on_done, d = std::move(d)] {
        on_done(RoomRecordingDone{d.path, d.seconds, d.status});
      });
    };
  });
  return Status::Ok();
}

void Conference::stop_recording() {
  if (!recording_) return;
  recording_ = false;
  room_->host.remove(kRecorderId);  // the room stops writing to it first (same queue)
  post([](Room& r) {
    if (!r.recorder) return;
    r.recorder->finish(std::move(r.recorder_done));
    r.recorder.reset();
  });
}

}  // namespace switchboard::media::app
