// Call applications (voicemail, IVR, conference …): the media they run on —
// prompts, speech, terminating legs on the RTP engine — and the B2BUA's
// factory of application legs. Features register their CallApp factories
// with B2bua::set_app() after this.
#include <fmt/ranges.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <filesystem>

#include "app/application.hpp"
#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "core/call/engine_app_media.hpp"
#include "core/call/engine_media_relay.hpp"
#include "media/audio/moh_service.hpp"
#include "media/audio/prompt_catalog.hpp"
#include "media/audio/speech.hpp"
#include "media/dsp/tones.hpp"

namespace switchboard::app {

namespace {

/// `<dir of the executable>/../prompts/en`: where the build renders the
/// built-in prompts (prompts/prompts.cmake) next to build/bin/.
std::string builtin_prompts_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "prompts/en";
  return (exe.parent_path().parent_path() / "prompts" / "en").string();
}

}  // namespace

bool Application::start_app_media() {
  const auto& cfg = *config_;
  auto logger = log::get("app");
  if (cfg.features.music_on_hold) {
    media::audio::MohServiceOptions mo;
    mo.directory = cfg.music_on_hold.directory;
    mo.default_class = cfg.music_on_hold.default_class;
    mo.run_blocking = [this](std::function<void()> job) {
      boost::asio::post(workers_, std::move(job));
    };
    auto moh = media::audio::MohService::create(std::move(mo));
    if (moh.ok()) {
      moh_ = std::move(*moh);
      relays_->set_music(moh_.get());
      logger->info("music on hold: {} class(es) in {}", moh_->classes().size(),
                   cfg.music_on_hold.directory);
    } else {
      logger->warn("music on hold unavailable (held calls hear silence): {}", moh.error().message);
    }
  }
  relays_->set_recording_post(
      [this, strand = boost::asio::make_strand(workers_)](std::function<void()> job) {
        boost::asio::post(strand, std::move(job));
      });
  std::vector<std::string> dirs;
  if (!cfg.voicemail.ivr.prompts_path.empty() &&
      std::filesystem::is_directory(cfg.voicemail.ivr.prompts_path)) {
    dirs.push_back(cfg.voicemail.ivr.prompts_path);  // custom recordings first
  }
  dirs.push_back(builtin_prompts_dir());
  prompts_ = std::make_unique<media::audio::PromptCatalog>(dirs);
  if (auto n = prompts_->preload(8000); n.ok()) {
    logger->info("prompts: {} loaded from {}", *n, fmt::join(dirs, ", "));
  } else {
    logger->warn("prompts: {}", n.error().message);
  }
  auto engine = media::audio::SpeechEngine::create();
  if (engine.ok()) {
    speech_engine_ = std::shared_ptr<media::audio::SpeechEngine>(std::move(*engine));
    speech_ = std::make_unique<media::audio::SpeechService>(speech_engine_, core_.get_executor(),
                                                            workers_.get_executor());
  } else {
    logger->warn("text-to-speech unavailable: {}", engine.error().message);
  }
  media::app::TerminatingLeg::Options o;
  o.channel.prompts = prompts_.get();
  o.channel.speech = speech_.get();
  o.channel.run_blocking = [this](std::function<void()> job) {
    boost::asio::post(workers_, std::move(job));
  };
  o.channel.session.tone_region = media::dsp::parse_tone_region(cfg.features.tones.region)
                                      .value_or(media::dsp::ToneRegion::kUs);
  // Legs listen where the engine binds; every address → reach it on loopback.
  std::string address = cfg.server.sip_host;
  if (address.empty() || address == "0.0.0.0") address = "127.0.0.1";
  if (address == "::") address = "::1";
  app_media_ = std::make_unique<core::EngineAppMediaFactory>(*media_engine_, address, std::move(o),
                                                             core_.get_executor());
  b2bua_->set_app_media(app_media_.get());
  return true;
}

}  // namespace switchboard::app
