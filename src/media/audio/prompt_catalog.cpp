#include "media/audio/prompt_catalog.hpp"

#include <filesystem>
#include <set>

#include "media/audio/sound_file.hpp"

namespace switchboard::media::audio {
namespace {

namespace fs = std::filesystem;
constexpr const char* kExtensions[] = {".wav", ".flac", ".ogg", ".mp3"};

}  // namespace

PromptCatalog::PromptCatalog(std::vector<std::string> directories)
    : directories_(std::move(directories)) {}

bool PromptCatalog::valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Result<std::string> PromptCatalog::path(std::string_view name, int rate) const {
  if (!valid_name(name)) return make_error(ErrorCode::kInvalidArgument, "bad prompt name");
  std::error_code ec;
  for (const auto& dir : directories_) {
    // The leg's rate first; else the best other rendering, converted.
    for (const fs::path& base :
         {fs::path(dir) / std::to_string(rate), fs::path(dir), fs::path(dir) / "48000",
          fs::path(dir) / "16000", fs::path(dir) / "8000"}) {
      for (const char* ext : kExtensions) {
        fs::path p = base / (std::string(name) + ext);
        if (fs::is_regular_file(p, ec)) return p.string();
      }
    }
  }
  return make_error(ErrorCode::kNotFound, "no prompt " + std::string(name));
}

PcmBufferPtr PromptCatalog::cached(std::string_view name, int rate) const {
  std::lock_guard lock(mutex_);
  auto it = cache_.find(std::pair<std::string, int>(std::string(name), rate));
  return it == cache_.end() ? nullptr : it->second;
}

Result<PcmBufferPtr> PromptCatalog::get(std::string_view name, int rate) {
  if (auto hit = cached(name, rate)) return hit;
  auto file = path(name, rate);
  if (!file) return file.error();
  auto pcm = read_sound_file(*file, rate);
  if (!pcm) return pcm.error();
  auto shared = std::make_shared<const PcmBuffer>(std::move(*pcm));
  std::lock_guard lock(mutex_);
  // Another thread may have loaded it meanwhile: keep the first.
  auto [it, inserted] =
      cache_.emplace(std::pair<std::string, int>(std::string(name), rate), shared);
  return it->second;
}

std::vector<std::string> PromptCatalog::names() const {
  std::set<std::string> found;
  std::error_code ec;
  for (const auto& dir : directories_) {
    for (const auto& sub : fs::recursive_directory_iterator(dir, ec)) {
      if (!sub.is_regular_file()) continue;
      std::string stem = sub.path().stem().string();
      std::string ext = sub.path().extension().string();
      bool audio = false;
      for (const char* e : kExtensions) audio = audio || ext == e;
      if (audio && valid_name(stem)) found.insert(stem);
    }
  }
  return {found.begin(), found.end()};
}

Result<std::size_t> PromptCatalog::preload(int rate) {
  std::size_t n = 0;
  for (const auto& name : names()) {
    auto p = get(name, rate);
    if (!p) return p.error();
    ++n;
  }
  return n;
}

void PromptCatalog::clear() {
  std::lock_guard lock(mutex_);
  cache_.clear();
}

}  // namespace switchboard::media::audio
