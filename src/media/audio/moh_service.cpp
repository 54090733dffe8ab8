#include "media/audio/moh_service.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace switchboard::media::audio {
namespace fs = std::filesystem;

std::vector<std::string> moh_files(const std::string& dir) {
  static const char* const kExtensions[] = {".wav", ".flac", ".ogg", ".oga", ".mp3"};
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    std::string ext = entry.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (std::find(std::begin(kExtensions), std::end(kExtensions), ext) != std::end(kExtensions))
      out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::unique_ptr<MohService>> MohService::create(MohServiceOptions options) {
  std::error_code ec;
  if (!fs::is_directory(options.directory, ec))
    return make_error(ErrorCode::kNotFound, "music on hold: no directory " + options.directory);
  std::map<std::string, std::vector<std::string>> found;
  for (const auto& entry : fs::directory_iterator(options.directory, ec)) {
    if (!entry.is_directory(ec)) continue;
    auto files = moh_files(entry.path().string());
    if (!files.empty()) found[entry.path().filename().string()] = std::move(files);
  }
  if (!found.count(options.default_class)) {
    auto top = moh_files(options.directory);
    if (!top.empty()) found[options.default_class] = std::move(top);
  }
  if (found.empty())
    return make_error(ErrorCode::kNotFound,
                      "music on hold: no audio files in " + options.directory);
  if (!found.count(options.default_class))
    return make_error(
        ErrorCode::kNotFound,
        "music on hold: no default class '" + options.default_class + "' in " + options.directory);
  std::unique_ptr<MohService> service(new MohService);
  service->default_ = options.default_class;
  std::uint32_t seed = options.seed;
  for (auto& [name, files] : found) {
    MohClassOptions c;
    c.name = name;
    c.files = std::move(files);
    auto it = options.class_order.find(name);
    c.order = it != options.class_order.end() ? it->second : options.order;
    c.seed = seed != 0 ? seed++ : 0;
    c.run_blocking = options.run_blocking;
    c.now = options.now;
    auto cls = MohClass::create(std::move(c));
    if (!cls) return cls.error();
    (*cls)->preload();
    service->classes_.emplace(name, std::move(cls).value());
  }
  return service;
}

std::shared_ptr<MohClass> MohService::find(std::string_view class_name) const {
  auto it = classes_.find(class_name);
  return it == classes_.end() ? nullptr : it->second;
}

Result<std::shared_ptr<FrameSource>> MohService::listen(std::string_view class_name,
                                                        int rate) const {
  auto cls = find(class_name);
  if (!cls) cls = find(default_);
  return cls->listen(rate);
}

std::vector<std::string> MohService::classes() const {
  std::vector<std::string> out;
  for (const auto& [name, cls] : classes_) out.push_back(name);
  return out;
}

}  // namespace switchboard::media::audio
