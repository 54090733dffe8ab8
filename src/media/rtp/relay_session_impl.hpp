// The RelaySession of the MediaEngine: four sockets (RTP and RTCP of each
// side) watched by one media thread, a RelayCore for the packet logic, and a
// dead-peer check on the thread's tick. The thread holds only weak
// references: the session dies with its last owner, and its sockets and
// ports go with it.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <mutex>
#include <random>

#include "media/audio/async_wav_writer.hpp"
#include "media/mixer/frame_clock.hpp"
#include "media/rtp/injector.hpp"
#include "media/rtp/media_thread.hpp"
#include "media/rtp/relay_core.hpp"
#include "media/rtp/relay_session.hpp"
#include "media/rtp/socket_pair.hpp"

namespace switchboard::media::rtp {

class RelaySessionImpl final : public RelaySession,
                               public MediaThread::Client,
                               public std::enable_shared_from_this<RelaySessionImpl> {
 public:
  RelaySessionImpl(std::shared_ptr<MediaThread> thread, boost::asio::any_io_executor core,
                   RelayCallbacks callbacks, RelayOptions options, SocketPair a, SocketPair b);
  ~RelaySessionImpl() override;

  /// Starts reading (call once, after make_shared).
  Status start();

  std::uint16_t local_port(Side side) const override { return ports_[index(side)]; }
  std::string local_address() const override { return local_address_; }
  void configure(Side side, SideParams params) override;
  Status inject(Side toward, std::shared_ptr<audio::FrameSource> producer,
                int producer_rate) override;
  void stop_inject(Side toward) override;
  Status start_recording(RecordingRequest request,
                         std::function<void(const RecordingDone&)> on_done) override;
  void stop_recording() override;
  void set_digit_detection(DigitDetection mode) override;
  RelayStats stats() const override;
  void close() override;
  bool closed() const override { return closed_.load(); }

  // MediaThread::Client, on the media thread.
  void on_readable(unsigned index) override;
  void on_tick(TimePoint now) override;

 private:
  struct Socket {
    UdpSocket socket;
    Side side;
    bool rtcp;
  };

  void process(unsigned i, unsigned count);
  void report_events(std::vector<LatchEvent> latched, std::vector<Side> dead,
                     std::vector<DigitEvent> digits = {});
  void close_on_thread();
  void run_injection(Side side, TimePoint now);
  void run_recording(TimePoint now);
  void end_recording_on_thread();
  int fd_for(const Outbound& out) const;

  std::shared_ptr<MediaThread> thread_;
  boost::asio::any_io_executor core_;
  RelayCallbacks callbacks_;
  std::uint64_t id_;
  std::uint16_t ports_[2];
  std::string local_address_;
  PortPool::Lease leases_[2];
  Socket sockets_[4];  // A rtp, A rtcp, B rtp, B rtcp
  Duration check_interval_{1000};
  TimePoint next_check_{};
  mutable std::mutex mu_;  // guards core_logic_ (media thread vs stats()/configure)
  RelayCore core_logic_;
  std::atomic<bool> closed_{false};
  bool sockets_closed_ = false;  // media thread only
  bool digits_on_ = false;       // media thread only

  // What configure() was last given, for inject()'s checks on the caller's
  // thread; and whether a recording is on (start/stop_recording).
  mutable std::mutex api_mu_;
  std::optional<SideParams> api_params_[2];
  bool api_recording_ = false;

  // Media thread only.
  struct Injection {
    std::shared_ptr<Injector> injector;
    InjectStream stream;
    mixer::FrameClock clock;
  };
  Injection injections_[2];
  struct Recording {
    std::unique_ptr<CallRecorder> recorder;  // also registered with core_logic_ (under mu_)
    std::unique_ptr<audio::AsyncWavWriter> writer;
    std::function<void(const RecordingDone&)> on_done;
    mixer::FrameClock clock;
  };
  std::optional<Recording> recording_;
};

}  // namespace switchboard::media::rtp
