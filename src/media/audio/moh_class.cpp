#include "media/audio/moh_class.hpp"

#include <algorithm>
#include <cstring>

#include "media/audio/resampler.hpp"
#include "media/audio/sound_file.hpp"

namespace switchboard::media::audio {

// The class's single decoder: files in order (reshuffled per round when
// random), each read at 48 kHz and converted to 16 and 8 kHz by streaming
// resamplers whose state carries over file boundaries (seamless).
class MohClass::Decoder {
 public:
  Decoder(const MohClassOptions& o, std::atomic<std::uint64_t>& opened,
          std::atomic<std::uint64_t>& failed)
      : files_(o.files),
        random_(o.order == MohOrder::kRandom),
        rng_(o.seed != 0 ? o.seed : std::random_device{}()),
        to16_(kDecodeRate, 16000),
        to8_(kDecodeRate, 8000),
        opened_(opened),
        failed_(failed) {
    order_.resize(files_.size());
    for (std::size_t i = 0; i < order_.size(); ++i) order_[i] = i;
    next_ = order_.size();  // a new round starts at the first frame
  }

  /// The next 20 ms; false when no file can be read at all.
  bool next(Frame& out) {
    while (f48_.size() < 960 || f16_.size() < 320 || f8_.size() < 160) {
      if (!pull()) return false;
    }
    take(f48_, out.s48, 960);
    take(f16_, out.s16, 320);
    take(f8_, out.s8, 160);
    return true;
  }

 private:
  static void take(std::vector<std::int16_t>& fifo, std::int16_t* out, std::size_t n) {
    std::memcpy(out, fifo.data(), n * sizeof(std::int16_t));
    fifo.erase(fifo.begin(), fifo.begin() + static_cast<std::ptrdiff_t>(n));
  }

  // Reads up to 20 ms more from the current file (opening the next one at
  // its end) into the three fifos.
  bool pull() {
    std::int16_t chunk[960];
    for (std::size_t tries = 0; tries <= 2 * files_.size(); ++tries) {
      if (!source_) {
        if (!open_next()) return false;  // every file failed
        if (!source_) continue;          // this one failed: the next
      }
      std::size_t n = source_->read(chunk);
      if (n < std::size(chunk)) source_.reset();  // ended: the next file continues this frame
      if (n == 0) continue;
      std::span<const std::int16_t> in(chunk, n);
      f48_.insert(f48_.end(), in.begin(), in.end());
      to16_.process(in, f16_);
      to8_.process(in, f8_);
      bad_in_a_row_ = 0;
      return true;
    }
    return false;
  }

  bool open_next() {
    if (bad_in_a_row_ >= files_.size()) return false;  // every file failed: give up
    if (next_ >= order_.size()) {
      next_ = 0;
      if (random_ && order_.size() > 1) {
        std::size_t last = order_.back();
        std::shuffle(order_.begin(), order_.end(), rng_);
        if (order_.front() == last && played_any_) std::swap(order_.front(), order_.back());
      }
    }
    const std::string& path = files_[order_[next_++]];
    auto src = SoundFileSource::open(path, kDecodeRate, false);
    if (!src) {
      ++failed_;
      ++bad_in_a_row_;
      return true;  // try the next one
    }
    ++opened_;
    played_any_ = true;
    source_ = std::move(src).value();
    return true;
  }

  std::vector<std::string> files_;
  bool random_;
  std::mt19937 rng_;
  std::vector<std::size_t> order_;
  std::size_t next_ = 0;
  std::size_t bad_in_a_row_ = 0;
  bool played_any_ = false;
  std::unique_ptr<SoundFileSource> source_;
  Resampler to16_, to8_;
  std::vector<std::int16_t> f48_, f16_, f8_;
  std::atomic<std::uint64_t>& opened_;
  std::atomic<std::uint64_t>& failed_;
};

// One listener's view of the broadcast: its own frame number, nothing else.
class MohClass::Listener final : public FrameSource {
 public:
  Listener(std::shared_ptr<MohClass> owner, int rate, std::uint64_t position)
      : owner_(std::move(owner)), rate_(rate), position_(position) {}
  ~Listener() override { owner_->leave(position_); }
  bool read(std::span<std::int16_t> frame) override {
    if (frame.size() != frame_samples(rate_)) return false;
    return owner_->read_frame(position_++, rate_, frame);
  }

 private:
  std::shared_ptr<MohClass> owner_;
  int rate_;
  std::uint64_t position_;
};

MohClass::MohClass(MohClassOptions options)
    : options_(std::move(options)),
      decoder_(std::make_unique<Decoder>(options_, files_opened_, files_failed_)) {
  if (!options_.run_blocking) options_.run_blocking = [](std::function<void()> fn) { fn(); };
}

MohClass::~MohClass() = default;

Result<std::shared_ptr<MohClass>> MohClass::create(MohClassOptions options) {
  if (options.files.empty())
    return make_error(ErrorCode::kInvalidArgument, "moh class '" + options.name + "': no files");
  if (options.lead_frames < 1 || options.fill_frames <= options.lead_frames)
    return make_error(ErrorCode::kInvalidArgument, "moh: fill_frames must exceed lead_frames");
  return std::shared_ptr<MohClass>(new MohClass(std::move(options)));
}

TimePoint MohClass::now() const {
  return options_.now ? options_.now() : Clock::now();
}

Result<std::shared_ptr<FrameSource>> MohClass::listen(int rate) {
  if (rate != 8000 && rate != 16000 && rate != 48000)
    return make_error(ErrorCode::kInvalidArgument, "moh: listener rate must be 8/16/48 kHz");
  std::uint64_t position = join();
  ++listeners_;
  return std::shared_ptr<FrameSource>(
      std::make_shared<Listener>(shared_from_this(), rate, position));
}

std::uint64_t MohClass::join() {
  std::lock_guard lock(mu_);
  auto t = now();
  if (joined_++ == 0) {
    epoch_ = t;
    epoch_position_ = paused_at_;
    return paused_at_;
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(t - epoch_).count();
  return epoch_position_ +
         static_cast<std::uint64_t>(std::max<std::int64_t>(0, elapsed) / kFrameMs);
}

void MohClass::leave(std::uint64_t position) {
  --listeners_;
  std::lock_guard lock(mu_);
  if (--joined_ == 0) paused_at_ = position;
}

std::uint64_t MohClass::frames_decoded() const {
  std::lock_guard lock(mu_);
  return first_ + ring_.size();
}

bool MohClass::read_frame(std::uint64_t n, int rate, std::span<std::int16_t> out) {
  bool found = false;
  bool refill = false;
  {
    std::lock_guard lock(mu_);
    std::uint64_t end = first_ + ring_.size();
    if (n >= first_ && n < end) {
      const Frame& f = ring_[n - first_];
      const std::int16_t* src = rate == 8000 ? f.s8 : rate == 16000 ? f.s16 : f.s48;
      std::memcpy(out.data(), src, out.size() * sizeof(std::int16_t));
      found = true;
    }
    if (end < n + static_cast<std::uint64_t>(options_.lead_frames) && !fill_pending_) {
      fill_pending_ = true;
      refill = true;
    }
  }
  if (refill) request_fill(n + static_cast<std::uint64_t>(options_.fill_frames));
  return found;
}

void MohClass::preload() {
  {
    std::lock_guard lock(mu_);
    if (fill_pending_) return;
    fill_pending_ = true;
  }
  request_fill(static_cast<std::uint64_t>(options_.fill_frames));
}

void MohClass::request_fill(std::uint64_t upto) {
  options_.run_blocking([weak = weak_from_this(), upto] {
    if (auto self = weak.lock()) self->fill(upto);
  });
}

void MohClass::fill(std::uint64_t upto) {
  // Only one fill job runs at a time (fill_pending_), so the decoder is ours.
  std::uint64_t end;
  {
    std::lock_guard lock(mu_);
    end = first_ + ring_.size();
    auto fill = static_cast<std::uint64_t>(options_.fill_frames);
    if (upto > end + 2 * fill) {
      // Far behind the listeners (a stalled worker): restart the ring at
      // their position instead of decoding what nobody will hear.
      ring_.clear();
      first_ = upto - fill;
      end = first_;
    }
  }
  std::vector<Frame> fresh;
  if (upto > end) fresh.resize(static_cast<std::size_t>(upto - end));
  std::size_t made = 0;
  while (made < fresh.size() && decoder_->next(fresh[made])) ++made;
  std::lock_guard lock(mu_);
  for (std::size_t i = 0; i < made; ++i) ring_.push_back(fresh[i]);
  // Keep what a slightly late listener may still need; drop the rest.
  auto keep = static_cast<std::size_t>(options_.fill_frames + 50);
  while (ring_.size() > keep + static_cast<std::size_t>(options_.fill_frames)) {
    ring_.pop_front();
    ++first_;
  }
  fill_pending_ = false;
}

}  // namespace switchboard::media::audio
