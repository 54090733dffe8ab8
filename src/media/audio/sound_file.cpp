#include "media/audio/sound_file.hpp"

#include <sndfile.h>

#include <algorithm>
#include <vector>

#include "media/audio/resampler.hpp"

namespace switchboard::media::audio {
namespace {

struct SndCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndPtr = std::unique_ptr<SNDFILE, SndCloser>;

Result<SndPtr> open_read(const std::string& path, SF_INFO& info) {
  info = {};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (f == nullptr) {
    return make_error(ErrorCode::kIoError, path + ": " + sf_strerror(nullptr));
  }
  if (info.channels < 1 || info.samplerate < 1) {
    sf_close(f);
    return make_error(ErrorCode::kInvalidArgument, path + ": no audio");
  }
  return SndPtr(f);
}

// Reads up to `frames` frames, averaging the channels into `mono`.
std::size_t read_mono(SNDFILE* f, int channels, std::size_t frames,
                      std::vector<std::int16_t>& scratch, std::int16_t* mono) {
  if (channels == 1) {
    return static_cast<std::size_t>(sf_readf_short(f, mono, static_cast<sf_count_t>(frames)));
  }
  scratch.resize(frames * static_cast<std::size_t>(channels));
  auto got =
      static_cast<std::size_t>(sf_readf_short(f, scratch.data(), static_cast<sf_count_t>(frames)));
  for (std::size_t i = 0; i < got; ++i) {
    std::int32_t sum = 0;
    for (int c = 0; c < channels; ++c)
      sum += scratch[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)];
    mono[i] = static_cast<std::int16_t>(sum / channels);
  }
  return got;
}

}  // namespace

Result<SoundFileInfo> probe_sound_file(const std::string& path) {
  SF_INFO info;
  auto f = open_read(path, info);
  if (!f) return f.error();
  return SoundFileInfo{info.samplerate, info.channels, info.frames, info.format};
}

Result<PcmBuffer> read_sound_file(const std::string& path, int rate) {
  SF_INFO info;
  auto f = open_read(path, info);
  if (!f) return f.error();
  PcmBuffer pcm{info.samplerate, {}};
  std::vector<std::int16_t> scratch;
  // frames is an estimate for some formats (MP3): read until the end.
  constexpr std::size_t kChunk = 4096;
  for (;;) {
    std::size_t base = pcm.samples.size();
    pcm.samples.resize(base + kChunk);
    std::size_t got =
        read_mono(f->get(), info.channels, kChunk, scratch, pcm.samples.data() + base);
    pcm.samples.resize(base + got);
    if (got < kChunk) break;
  }
  if (rate > 0 && rate != pcm.rate) return resample(pcm, rate);
  return pcm;
}

struct SoundFileSource::Impl {
  SndPtr file;
  SF_INFO info{};
  bool loop = false;
  bool ended = false;
  std::unique_ptr<Resampler> resampler;
  std::vector<std::int16_t> scratch;
  std::vector<std::int16_t> chunk;    // file-rate samples just read
  std::vector<std::int16_t> pending;  // output-rate samples not yet returned
  std::size_t pending_pos = 0;

  // Reads and converts about one frame of the file; false at the (final) end.
  bool refill() {
    chunk.resize(std::max<std::size_t>(frame_samples(info.samplerate), 64));
    std::size_t got = read_mono(file.get(), info.channels, chunk.size(), scratch, chunk.data());
    if (got == 0 && loop && sf_seek(file.get(), 0, SEEK_SET) == 0) {
      got = read_mono(file.get(), info.channels, chunk.size(), scratch, chunk.data());
    }
    if (pending_pos > 0) {
      pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(pending_pos));
      pending_pos = 0;
    }
    if (got == 0) {
      if (!ended && resampler) resampler->flush(pending);
      ended = true;
      return false;
    }
    chunk.resize(got);
    if (resampler) {
      resampler->process(chunk, pending);
    } else {
      pending.insert(pending.end(), chunk.begin(), chunk.end());
    }
    return true;
  }
};

Result<std::unique_ptr<SoundFileSource>> SoundFileSource::open(const std::string& path, int rate,
                                                               bool loop) {
  auto impl = std::make_unique<Impl>();
  auto f = open_read(path, impl->info);
  if (!f) return f.error();
  impl->file = std::move(*f);
  impl->loop = loop;
  if (rate <= 0) rate = impl->info.samplerate;
  if (rate != impl->info.samplerate)
    impl->resampler = std::make_unique<Resampler>(impl->info.samplerate, rate);
  return std::unique_ptr<SoundFileSource>(new SoundFileSource(std::move(impl), rate));
}

SoundFileSource::SoundFileSource(std::unique_ptr<Impl> impl, int rate)
    : impl_(std::move(impl)), rate_(rate) {}
SoundFileSource::~SoundFileSource() = default;

std::size_t SoundFileSource::read(std::span<std::int16_t> out) {
  std::size_t written = 0;
  while (written < out.size()) {
    std::size_t avail = impl_->pending.size() - impl_->pending_pos;
    if (avail == 0) {
      if (impl_->ended || !impl_->refill()) {
        avail = impl_->pending.size() - impl_->pending_pos;
        if (avail == 0) break;
      }
      continue;
    }
    std::size_t n = std::min(avail, out.size() - written);
    std::copy_n(impl_->pending.begin() + static_cast<std::ptrdiff_t>(impl_->pending_pos), n,
                out.begin() + static_cast<std::ptrdiff_t>(written));
    impl_->pending_pos += n;
    written += n;
  }
  return written;
}

}  // namespace switchboard::media::audio
