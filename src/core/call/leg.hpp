// A Leg (DESIGN §2): one SIP dialog with one endpoint plus its media side.
// Its state is an explicit enum with one transition function:
//
//   Calling ─provisional→ Proceeding ─answer→ Answered ⇄ Held
//      └──────────────answer──────────────────┘   any ─end→ Ended
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/call/media_relay.hpp"
#include "sdp/local_session.hpp"
#include "sdp/session.hpp"
#include "sip/dialog/answer_retransmitter.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/message.hpp"
#include "sip/transport/transport.hpp"

namespace switchboard::core {

enum class LegState { kCalling, kProceeding, kAnswered, kHeld, kEnded };
enum class LegEvent { kProvisional, kAnswer, kHold, kResume, kEnd };

const char* to_string(LegState s);
const char* to_string(LegEvent e);

/// The one transition function: the next state, or nullopt when `event`
/// is not allowed in `state`.
std::optional<LegState> next_state(LegState state, LegEvent event);

class Leg {
 public:
  Leg(MediaSide side, std::string local_tag, std::string sdp_session_id, std::string media_address);

  MediaSide side() const { return side_; }
  /// A transfer moves the leg to another side (or call).
  void set_side(MediaSide s) { side_ = s; }
  LegState state() const { return state_; }
  /// Applies `event`; false (state unchanged) when it is not allowed.
  bool on(LegEvent event);
  bool ended() const { return state_ == LegState::kEnded; }

  const std::string& local_tag() const { return local_tag_; }
  sdp::LocalSession& sdp_session() { return sdp_session_; }

  std::optional<sip::Dialog> dialog;  ///< once answered (A: when we answer)
  sip::Destination peer;              ///< where in-dialog requests go (NAT: the source)
  std::string user_agent;
  std::string codec;  ///< what this leg's phone sends and receives ("PCMU/8000")
  /// What this leg's remote last described (its offer or answer).
  std::optional<sdp::SessionDescription> remote_sdp;
  /// The SDP body we last sent to this leg (offer or answer).
  std::string local_sdp;
  /// The last 2xx to an INVITE from this leg, resent until its ACK (UAS side).
  std::optional<sip::Message> last_2xx;
  std::unique_ptr<sip::AnswerRetransmitter> retransmitter;
  /// The ACK we sent for the 2xx of our last INVITE on this leg (UAC side),
  /// re-sent when that 2xx is retransmitted.
  std::optional<sip::Message> last_ack;
  std::uint32_t last_invite_cseq = 0;
  std::uint32_t last_invite_ack_cseq = 0;

 private:
  MediaSide side_;
  LegState state_ = LegState::kCalling;
  std::string local_tag_;
  sdp::LocalSession sdp_session_;
};

}  // namespace switchboard::core
