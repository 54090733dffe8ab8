#include "media/audio/wav_recorder.hpp"

#include <fcntl.h>
#include <sndfile.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace switchboard::media::audio {
namespace {

Error io_error(const std::string& what, const std::string& path) {
  return make_error(ErrorCode::kIoError, what + " " + path + ": " + std::strerror(errno));
}

SNDFILE* as_snd(void* p) {
  return static_cast<SNDFILE*>(p);
}

// fsync of the directory makes the rename itself durable.
void sync_dir(const std::filesystem::path& file) {
  auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d >= 0) {
    ::fsync(d);
    ::close(d);
  }
}

}  // namespace

struct WavRecorder::Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

WavRecorder::WavRecorder(std::string path, RecorderOptions options)
    : path_(std::move(path)), options_(std::move(options)) {}

Result<std::unique_ptr<WavRecorder>> WavRecorder::create(const std::string& path,
                                                         RecorderOptions options) {
  if (options.rate <= 0) return make_error(ErrorCode::kInvalidArgument, "recorder: bad rate");
  if (options.channels != 1 && options.channels != 2)
    return make_error(ErrorCode::kInvalidArgument, "recorder: channels must be 1 or 2");
  std::unique_ptr<WavRecorder> r(new WavRecorder(path, std::move(options)));
  r->fd_ = std::make_shared<Fd>();
  r->fd_->fd = ::open(r->temp_path().c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (r->fd_->fd < 0) return io_error("create", r->temp_path());
  SF_INFO info{};
  info.samplerate = r->options_.rate;
  info.channels = r->options_.channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open_fd(r->fd_->fd, SFM_WRITE, &info, SF_FALSE);
  if (f == nullptr) {
    std::string msg = sf_strerror(nullptr);
    ::unlink(r->temp_path().c_str());
    return make_error(ErrorCode::kIoError, "libsndfile " + r->temp_path() + ": " + msg);
  }
  r->sndfile_ = f;
  // A valid (empty) header on disk from the first moment.
  Status s = r->sync_now();
  if (!s) return s.error();
  return r;
}

WavRecorder::~WavRecorder() {
  if (!done_) abort();
}

Status WavRecorder::write(std::span<const std::int16_t> samples) {
  if (done_) return make_error(ErrorCode::kFailedPrecondition, "recorder: already finished");
  if (samples.size() % static_cast<std::size_t>(options_.channels) != 0)
    return make_error(ErrorCode::kInvalidArgument, "recorder: partial stereo frame");
  auto n =
      sf_write_short(as_snd(sndfile_), samples.data(), static_cast<sf_count_t>(samples.size()));
  if (n != static_cast<sf_count_t>(samples.size())) {
    return make_error(ErrorCode::kIoError,
                      "write " + temp_path() + ": " + sf_strerror(as_snd(sndfile_)));
  }
  written_ += n / options_.channels;
  auto interval = static_cast<std::int64_t>(options_.rate) * options_.sync_interval.count() / 1000;
  if (written_ - synced_at_ >= interval) return sync_now();
  return Status::Ok();
}

Status WavRecorder::truncate(std::int64_t samples) {
  if (done_) return make_error(ErrorCode::kFailedPrecondition, "recorder: already finished");
  if (samples < 0 || samples >= written_) return Status::Ok();
  sf_count_t frames = samples;
  if (sf_command(as_snd(sndfile_), SFC_FILE_TRUNCATE, &frames, sizeof(frames)) != 0) {
    return make_error(ErrorCode::kIoError, "truncate " + temp_path());
  }
  written_ = samples;
  return sync_now();
}

Status WavRecorder::sync_now() {
  // libsndfile writes straight to the fd (no user-space buffer): after this
  // the header's sizes cover every sample written.
  sf_command(as_snd(sndfile_), SFC_UPDATE_HEADER_NOW, nullptr, 0);
  synced_at_ = written_;
  auto job = [fd = fd_] { ::fdatasync(fd->fd); };
  if (options_.run_blocking) {
    options_.run_blocking(std::move(job));
  } else {
    job();
  }
  return Status::Ok();
}

Status WavRecorder::finish() {
  if (done_) return make_error(ErrorCode::kFailedPrecondition, "recorder: already finished");
  done_ = true;
  int err = sf_close(as_snd(sndfile_));
  sndfile_ = nullptr;
  if (err != 0)
    return make_error(ErrorCode::kIoError, "close " + temp_path() + ": " + sf_error_number(err));
  if (::fsync(fd_->fd) != 0) return io_error("fsync", temp_path());
  if (::rename(temp_path().c_str(), path_.c_str()) != 0) return io_error("rename", temp_path());
  sync_dir(path_);
  return Status::Ok();
}

void WavRecorder::abort() {
  if (done_) return;
  done_ = true;
  sf_close(as_snd(sndfile_));
  sndfile_ = nullptr;
  ::unlink(temp_path().c_str());
}

Result<std::vector<std::string>> recover_recordings(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> recovered;
  const std::string suffix = WavRecorder::kPartSuffix;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().string();
    if (!entry.is_regular_file() || name.size() <= suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    // The header already covers everything up to the last sync point; a file
    // libsndfile cannot parse (killed before its first header) is left alone.
    SF_INFO info{};
    SNDFILE* f = sf_open(name.c_str(), SFM_READ, &info);
    if (f == nullptr) continue;
    sf_close(f);
    std::string target = name.substr(0, name.size() - suffix.size());
    if (::rename(name.c_str(), target.c_str()) == 0) recovered.push_back(target);
  }
  if (ec) return make_error(ErrorCode::kIoError, "list " + dir + ": " + ec.message());
  if (!recovered.empty()) sync_dir(recovered.front());
  return recovered;
}

}  // namespace switchboard::media::audio
