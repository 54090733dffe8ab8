// The running process: owns the core thread's io_context, the worker pool,
// the store and the API server, and handles SIGTERM/SIGINT (graceful stop)
// and SIGHUP (reload). DESIGN.md §3 describes the threads.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/config/config.hpp"
#include "common/result.hpp"
#include "common/timers.hpp"

namespace switchboard::api {
class HttpServer;
}
namespace switchboard::core {
class SipEndpoint;
}
namespace switchboard::store {
class Database;
}

namespace switchboard::app {

class Application {
 public:
  Application(std::string config_path, config::Config config);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  /// Opens the store, starts every service, runs the core loop until a stop
  /// signal; returns the process exit code.
  int run();

 private:
  bool start_services();
  bool start_sip();
  void wait_for_signals();
  void reload();
  void apply(config::Config next);
  void sync_extensions();
  Status sync_extensions_blocking(const config::Config& cfg);
  void shutdown();
  std::string status_json() const;

  std::string config_path_;
  std::shared_ptr<const config::Config> config_;
  boost::asio::io_context core_;  ///< the core thread: all call state lives here
  boost::asio::thread_pool workers_{2};
  boost::asio::signal_set signals_;
  AsioTimers timers_{core_};
  std::unique_ptr<core::SipEndpoint> sip_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<api::HttpServer> http_;
  std::chrono::steady_clock::time_point started_;
  int reloads_ = 0;
};

}  // namespace switchboard::app
