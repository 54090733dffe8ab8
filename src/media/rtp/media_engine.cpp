#include "media/rtp/media_engine.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <mutex>
#include <thread>
#include <vector>

#include "common/log.hpp"
#include "media/rtp/media_thread.hpp"
#include "media/rtp/port_pool.hpp"
#include "media/rtp/relay_session_impl.hpp"
#include "media/rtp/socket_pair.hpp"

namespace switchboard::media::rtp {

const char* to_string(Side s) {
  return s == Side::kA ? "A" : "B";
}

struct MediaEngine::State {
  boost::asio::any_io_executor core;
  boost::asio::ip::address address;
  std::shared_ptr<PortPool> pool;
  std::vector<std::shared_ptr<MediaThread>> threads;
  mutable std::mutex mu;  // guards sessions, stopped
  std::vector<std::weak_ptr<RelaySessionImpl>> sessions;
  bool stopped = false;

  std::shared_ptr<MediaThread> least_loaded() const {
    return *std::min_element(threads.begin(), threads.end(), [](const auto& x, const auto& y) {
      return x->sessions.load() < y->sessions.load();
    });
  }
};

Result<std::unique_ptr<MediaEngine>> MediaEngine::create(EngineConfig config,
                                                         boost::asio::any_io_executor core) {
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(config.bind_address, ec);
  if (ec) {
    return make_error(ErrorCode::kInvalidArgument,
                      "media bind address '" + config.bind_address + "' is not an IP address");
  }
  if (config.port_last <= config.port_first) {
    return make_error(ErrorCode::kInvalidArgument, "RTP port range is empty");
  }
  if (config.batch == 0) config.batch = 1;
  config.batch = std::min(config.batch, 64u);  // the session's per-batch bookkeeping
  if (config.threads == 0) config.threads = std::max(1u, std::thread::hardware_concurrency());
  std::unique_ptr<MediaEngine> engine(new MediaEngine(std::move(config), std::move(core)));
  engine->state_->address = address;
  if (engine->state_->pool->total() == 0) {
    return make_error(ErrorCode::kInvalidArgument, "RTP port range holds no even/odd port pair");
  }
  for (auto& t : engine->state_->threads) {
    if (auto st = t->start(); !st) return st.error();
  }
  return engine;
}

MediaEngine::MediaEngine(EngineConfig config, boost::asio::any_io_executor core)
    : config_(std::move(config)), state_(std::make_unique<State>()) {
  state_->core = std::move(core);
  state_->pool = PortPool::create(config_.port_first, config_.port_last);
  for (unsigned i = 0; i < config_.threads; ++i)
    state_->threads.push_back(std::make_shared<MediaThread>(config_.batch));
}

MediaEngine::~MediaEngine() {
  stop();
}

Result<RelaySessionPtr> MediaEngine::create_relay(RelayCallbacks callbacks,
                                                  std::optional<RelayOptions> options) {
  std::lock_guard lock(state_->mu);
  if (state_->stopped) return make_error(ErrorCode::kUnavailable, "media engine stopped");
  std::erase_if(state_->sessions, [](const auto& w) { return w.expired(); });
  auto thread = state_->least_loaded();
  auto a = bind_socket_pair(*state_->pool, state_->address, config_.dscp);
  if (!a) return a.error();
  auto b = bind_socket_pair(*state_->pool, state_->address, config_.dscp);
  if (!b) return b.error();  // a's sockets close and its pair returns here
  auto session = std::make_shared<RelaySessionImpl>(thread, state_->core, std::move(callbacks),
                                                    options.value_or(config_.relay_defaults),
                                                    std::move(a).value(), std::move(b).value());
  if (auto st = session->start(); !st) return st.error();
  state_->sessions.push_back(session);
  return RelaySessionPtr(session);
}

Result<MediaEngine::Placement> MediaEngine::place_session() {
  std::lock_guard lock(state_->mu);
  if (state_->stopped) return make_error(ErrorCode::kUnavailable, "media engine stopped");
  auto sockets = bind_socket_pair(*state_->pool, state_->address, config_.dscp);
  if (!sockets) return sockets.error();
  return Placement{std::move(sockets).value(), state_->least_loaded()};
}

Result<std::shared_ptr<MediaThread>> MediaEngine::place_task() {
  std::lock_guard lock(state_->mu);
  if (state_->stopped) return make_error(ErrorCode::kUnavailable, "media engine stopped");
  return state_->least_loaded();
}

void MediaEngine::stop() {
  std::vector<std::shared_ptr<RelaySessionImpl>> live;
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopped) return;
    state_->stopped = true;
    for (auto& w : state_->sessions)
      if (auto s = w.lock()) live.push_back(std::move(s));
    state_->sessions.clear();
  }
  for (auto& s : live) s->close();
  live.clear();
  // Each thread runs the closes posted above, then returns.
  for (auto& t : state_->threads) t->stop_and_join();
}

unsigned MediaEngine::thread_count() const {
  return static_cast<unsigned>(state_->threads.size());
}

std::size_t MediaEngine::free_port_pairs() const {
  return state_->pool->free_count();
}
std::size_t MediaEngine::total_port_pairs() const {
  return state_->pool->total();
}

std::size_t MediaEngine::open_sessions() const {
  std::lock_guard lock(state_->mu);
  std::size_t n = 0;
  for (const auto& w : state_->sessions)
    if (auto s = w.lock(); s && !s->closed()) ++n;
  return n;
}

}  // namespace switchboard::media::rtp
