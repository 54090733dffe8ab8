// A terminating RTP leg: the media API (MediaChannel: play, record,
// collect_digits, stop) bound to a real RTP stream, for IVR, voicemail,
// music on hold, a conference party. One RTP/RTCP port pair from the
// MediaEngine's pool and one of its media threads, which runs RtpLegCore on
// every datagram and every tick. Created and used on the core thread:
//
//   auto leg = TerminatingLeg::create(engine, params_from_sdp, options, core, on_event);
//   answer SDP ← leg->local_address(), leg->local_port()
//   leg->channel().play(...), .collect_digits(...), ... → events on `core`
//   leg->close();   // on BYE: stops every request, returns the ports
//
// States (core thread): kOpen → kClosed. close() (or the destructor) stops
// every request — each completes as kStopped and is delivered while the leg
// object lives — then closes the sockets on the media thread; the ports
// return to the pool there, or when the last reference goes, on every path.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "media/app/leg_params.hpp"
#include "media/app/media_channel.hpp"
#include "media/app/rtp_leg_core.hpp"
#include "media/rtp/media_engine.hpp"

namespace switchboard::media::app {

class TerminatingLeg {
 public:
  struct Options {
    /// The session's rate and in-band detection are set from the codec and
    /// the telephone-event payload type; the rest is taken as given.
    MediaChannel::Options channel{};
    LegBehaviour behaviour{};
  };

  /// kInvalidArgument / kNotFound for parameters no leg can use (unknown
  /// codec, bad payload types); kUnavailable when the engine is stopped or
  /// out of ports. Events of the channel run on `core`.
  static Result<std::unique_ptr<TerminatingLeg>> create(rtp::MediaEngine& engine,
                                                        const LegParams& params, Options options,
                                                        boost::asio::any_io_executor core,
                                                        MediaChannel::EventHandler on_event);
  ~TerminatingLeg();
  TerminatingLeg(const TerminatingLeg&) = delete;
  TerminatingLeg& operator=(const TerminatingLeg&) = delete;

  /// For the answer SDP (c= and m=).
  std::string local_address() const { return local_address_; }
  std::uint16_t local_port() const { return local_port_; }

  /// The PCM rate of the leg's codec (8000, 16000, 48000): the rate of
  /// what its session hears and says.
  int rate() const { return rate_; }

  /// The media API of this leg (valid until the leg is destroyed).
  MediaChannel& channel() { return *channel_; }

  /// A new offer/answer on this leg (re-INVITE, UPDATE: hold, resume, a
  /// new remote address, ptime, telephone-event). kInvalidArgument for
  /// another codec or payload type (make a new leg), kUnavailable once closed.
  Status update(const LegParams& params);

  /// Counters of the media thread (a snapshot, any time).
  LegStats stats() const;

  void close();
  bool closed() const { return state_ == State::kClosed; }

 private:
  enum class State { kOpen, kClosed };
  class Stream;
  TerminatingLeg() = default;

  State state_ = State::kOpen;
  LegParams params_;
  std::string local_address_;
  std::uint16_t local_port_ = 0;
  int rate_ = 8000;
  std::unique_ptr<MediaChannel> channel_;
  std::shared_ptr<Stream> stream_;
};

}  // namespace switchboard::media::app
