#include "media/audio/async_wav_writer.hpp"

namespace switchboard::media::audio {

struct AsyncWavWriter::State {
  std::unique_ptr<WavRecorder> recorder;
  Status status;
};

AsyncWavWriter::AsyncWavWriter(std::string path, RecorderOptions options, Post run_serial,
                               int batch_ms)
    : path_(std::move(path)),
      channels_(options.channels > 0 ? options.channels : 1),
      run_(run_serial ? std::move(run_serial) : [](std::function<void()> fn) { fn(); }),
      batch_samples_(static_cast<std::size_t>(options.rate) * static_cast<std::size_t>(batch_ms) /
                     1000 * static_cast<std::size_t>(channels_)),
      state_(std::make_shared<State>()) {
  options.run_blocking = nullptr;  // already on the executor
  pending_.reserve(batch_samples_);
  run_([state = state_, path = path_, options]() mutable {
    auto rec = WavRecorder::create(path, std::move(options));
    if (rec) {
      state->recorder = std::move(rec).value();
    } else {
      state->status = rec.error();
    }
  });
}

AsyncWavWriter::~AsyncWavWriter() {
  if (!finished_) finish(nullptr);
}

void AsyncWavWriter::write(std::span<const std::int16_t> samples) {
  if (finished_) return;
  pending_.insert(pending_.end(), samples.begin(), samples.end());
  frames_ += static_cast<std::int64_t>(samples.size()) / channels_;
  if (pending_.size() >= batch_samples_) flush();
}

void AsyncWavWriter::flush() {
  if (pending_.empty()) return;
  run_([state = state_, batch = std::move(pending_)] {
    if (!state->recorder || !state->status) return;
    if (auto st = state->recorder->write(batch); !st) state->status = st;
  });
  pending_ = {};
  pending_.reserve(batch_samples_);
}

void AsyncWavWriter::finish(OnDone on_done) {
  if (finished_) return;
  flush();
  finished_ = true;
  run_([state = state_, path = path_, on_done = std::move(on_done)] {
    Done done{path, 0, state->status};
    if (state->recorder) {
      done.seconds = state->recorder->seconds();
      // A write error keeps what was written: the file is still completed.
      if (auto st = state->recorder->finish(); !st && done.status) done.status = st;
      state->recorder.reset();
    }
    if (on_done) on_done(std::move(done));
  });
}

}  // namespace switchboard::media::audio
