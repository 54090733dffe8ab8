// A Call (DESIGN §2): the logical call a user sees and a CDR row records.
// It owns the caller's leg (A), the callee's leg (B) and, while ringing, the
// outgoing INVITEs to every contact of the target (forks; the first to
// answer becomes leg B). Plain data driven by the B2BUA on the core thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/timers.hpp"
#include "core/call/app_media.hpp"
#include "core/call/call_app.hpp"
#include "core/call/call_events.hpp"
#include "core/call/leg.hpp"
#include "core/call/media_relay.hpp"
#include "core/call/router.hpp"
#include "sdp/session.hpp"
#include "sip/dialog/uac_invite.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace switchboard::core {

/// One outgoing INVITE to one registered contact.
struct Fork {
  std::shared_ptr<sip::UacInvite> uac;
  sip::Destination destination;
  bool done = false;  ///< a final response (or a failure) arrived
  int status = 0;
  std::string reason;
};

/// A re-INVITE or UPDATE with an offer from one leg, waiting for the other.
struct ReOffer {
  MediaSide from = MediaSide::kA;
  sip::ServerTransactionPtr txn;
  sdp::SessionDescription offer_from;  ///< as received
  sdp::SessionDescription offer_to;    ///< as sent to the other leg
};

enum class CallPhase { kRinging, kAnswered, kEnded };

/// A call application on side B (call_app.hpp):
///   kRunning ─hang-up/redirect→ kEnding (requests stopping, completions
///   still delivered) ─all completed→ kEnded (on_end() called).
enum class AppState { kRunning, kEnding, kEnded };

struct AppAttachment {
  AppCallInfo info;
  std::shared_ptr<CallApp> app;
  std::shared_ptr<AppControl> control;
  AppMediaPtr media;
  AppState state = AppState::kRunning;
  std::vector<media::app::OpId> pending;  ///< requests not completed yet
  bool keep_media = false;  ///< redirect: the leg plays ringback until the new target answers
  TimerId ending_timer = 0;
};

/// A blind transfer in progress (b2bua_transfer.cpp): side B is being
/// re-targeted while the transferrer's leg waits here, so the transferee can
/// go back to it when the target fails.
///
///   kRinging ─target answers→ done (NOTIFY 200, transferrer released)
///      └─fails / no answer→ back to the transferrer (NOTIFY failure), or,
///        when it already hung up, kRecall: its phones ring for the
///        transferee ─fails→ the call ends.
struct Transfer {
  explicit Transfer(Leg leg) : transferrer(std::move(leg)) {}
  enum class Stage { kRinging, kRecall };
  Stage stage = Stage::kRinging;
  Leg transferrer;                  ///< its dialog (for NOTIFYs) and media
  std::string transferrer_call_id;  ///< its dialog's Call-ID (the index key)
  std::string transferrer_number;   ///< its extension (permissions, recall)
  sdp::LegMedia transferrer_media;  ///< to restore the relay's side B
  bool transferrer_gone = false;    ///< it sent BYE
  bool by_refer = true;             ///< REFER: progress goes to it as NOTIFY sipfrag
  std::string kind = "blind";       ///< TransferStep::kind
  std::string by;                   ///< TransferStep::by
  std::string target;               ///< what was dialed
  bool swapped = false;             ///< the caller transferred: sides were swapped for it
  TimerId no_answer_timer = 0;
};

/// An attended transfer by feature code (b2bua_consult.cpp). The
/// transferrer's leg left the held call (its place there is empty, its
/// other party hears music) for a consultation call to the target:
///
///   consulting ─transferrer hangs up→ the target (or, still ringing, the
///      │         held party) moves to where the other one waits: transferred
///      ├─target hangs up / fails / no answer / cancel code→ the
///      │         transferrer moves back: the call is as it was
///      └─three-way code→ all three into one ad-hoc conference room
///
/// Both calls carry it: `with` names the other call; `side` is the side of
/// the held call the transferrer left.
struct Consultation {
  std::uint64_t with = 0;
  MediaSide side = MediaSide::kB;
  bool three_way = false;  ///< into a conference as soon as the target answers
};

struct Call {
  Call(std::uint64_t id_, Leg a_, Leg b_) : id(id_), a(std::move(a_)), b(std::move(b_)) {}

  Leg& leg(MediaSide s) { return s == MediaSide::kA ? a : b; }

  std::uint64_t id;
  CallPhase phase = CallPhase::kRinging;
  CallRecord record;
  Leg a, b;
  sip::ServerTransactionPtr invite_a;  ///< until its final response
  std::string b_call_id;
  std::vector<Fork> forks;
  /// Click-to-dial: side A is called by us (UAC) — one fork per phone of A,
  /// and the route to take once A answers.
  std::vector<Fork> a_forks;
  std::optional<RouteDecision> originate_route;
  MediaRelayPtr relay;
  sdp::SessionDescription offer_a, offer_b;  ///< the initial offer and its relayed form
  std::optional<ReOffer> reoffer;
  std::uint32_t session_expires = 0;  ///< RFC 4028 interval agreed with A, 0 = none
  TimerId no_answer_timer = 0, max_duration_timer = 0, session_timer = 0;
  std::unique_ptr<AppAttachment> app;  ///< side B is an application
  std::optional<MediaSide> api_held;   ///< the side B2bua::hold() put on music
  std::string recording;               ///< the running recording's reference ("" = none)
  /// Side B is being re-targeted (AppControl::redirect) while A stays
  /// answered; only forks from index redirect_forks_from on count.
  bool redirecting = false;
  std::size_t redirect_forks_from = 0;
  sdp::SessionDescription redirect_offer;       ///< what those forks were offered
  std::vector<std::string> retired_b_call_ids;  ///< B Call-IDs of earlier targets
  std::optional<Transfer> transfer;             ///< a blind transfer in progress
  /// What each side's remote last described as configured into the relay
  /// (index MediaSide), to restore a side after a failed transfer.
  std::optional<sdp::LegMedia> side_media[2];
  /// A transfer swapped the relay's sides (the relay is a SwappedRelay and
  /// its dead-peer reports name the other side).
  bool sides_swapped = false;
  /// A leg of this call is being re-INVITEd into (or out of) another call
  /// (attended transfer): other changes wait (491).
  bool moving = false;
  /// AppControl::redirect with a fallback: dialed when the redirect fails
  /// or rings unanswered until redirect_timer.
  std::string redirect_fallback;
  TimerId redirect_timer = 0;
  bool app_music = false;  ///< the application put the caller on music
  /// Call forwarding while ringing (b2bua_ringing.cpp): the extensions this
  /// call rang or passed through, and how often it was forwarded.
  std::vector<std::string> forward_visited;
  int forwards = 0;
  /// This call waits for the consultation call held_for->with.
  std::optional<Consultation> held_for;
  /// This call is the consultation for the held call consulting->with.
  std::optional<Consultation> consulting;
  /// Some change is under way: transfers, moves, redirects and
  /// consultations wait (491, kFailedPrecondition).
  bool changing() const {
    return transfer || redirecting || reoffer || moving || held_for || consulting;
  }
};

}  // namespace switchboard::core
