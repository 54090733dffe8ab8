// The back-to-back user agent (issue 5 §1): it answers the caller as a UAS
// (leg A) and calls every registered contact of the target as a UAC (leg B,
// parallel forking: the first 2xx wins, the others get CANCEL), anchoring
// media through a MediaRelay with each leg's SDP rewritten to the PBX.
//
// Routing goes through the Router (dialplan + hooks); callers are the
// authenticated extension (RequestAuthenticator runs first, see
// note_authenticated()). In-dialog BYE ends both legs; re-INVITE and UPDATE
// are passed to the other leg with SDP rewritten; INFO and MESSAGE are
// relayed. No-answer timeout (with a hook for voicemail), maximum call
// duration and RFC 4028 session timers (we are the UAS towards A and let A
// refresh) run on Timers. Core thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/timers.hpp"
#include "core/call/app_media.hpp"
#include "core/call/call.hpp"
#include "core/call/call_app.hpp"
#include "core/call/call_digits.hpp"
#include "core/call/call_events.hpp"
#include "core/call/conference_bridge.hpp"
#include "core/call/forwarding_policy.hpp"
#include "core/call/recording_policy.hpp"
#include "core/call/router.hpp"
#include "core/registrar/registrar.hpp"
#include "sdp/media_config.hpp"
#include "sip/dialog_headers.hpp"
#include "sip/transaction/transaction_layer.hpp"
#include "store/time.hpp"

namespace switchboard::core {

struct B2buaOptions {
  sdp::MediaConfig media;
  Duration no_answer_timeout = std::chrono::seconds(30);  ///< voicemail.no_answer_timeout
  Duration max_call_duration = std::chrono::hours(2);     ///< 0 = unlimited
  std::string domain = "switchboard";                     ///< From/To host of B legs
  std::string user_agent = "Switchboard";
  std::uint32_t min_session_expires = 90;  ///< RFC 4028 Min-SE
  bool require_authentication = true;
  std::string moh_class;  ///< music on hold for held parties ("" = the default class)
  /// Hold/resume re-offers are answered by the PBX with music on hold toward
  /// the held party (features.music_on_hold); false: passed to the other
  /// phone like any re-offer (phones play their own hold tone).
  bool pbx_hold = true;
};

struct CallerProfile {
  std::string name;
  bool allow_external = false;
};

struct B2buaStats {
  std::uint64_t calls = 0, answered = 0, rejected = 0, active = 0;
};

/// The methods every dialog of ours accepts (Allow).
inline constexpr const char* kAllowedMethods =
    "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, MESSAGE, REFER, NOTIFY";

class B2bua {
 public:
  using CallerLookup = std::function<std::optional<CallerProfile>(std::string_view number)>;
  /// A target kind other than an extension handled by a feature that answers
  /// the INVITE itself (trunks); kinds with a call application (set_app)
  /// go there instead; without either the caller gets 480.
  using TargetHandler = std::function<void(const sip::ServerTransactionPtr& invite,
                                           const RouteDecision& route, const std::string& caller)>;

  B2bua(sip::TransactionLayer& layer, Timers& timers, const Registrar& registrar,
        const Router& router, MediaRelayFactory& media, CallEvents& events, CallerLookup callers,
        store::NowFn wall_now, B2buaOptions options);
  ~B2bua();
  B2bua(const B2bua&) = delete;
  B2bua& operator=(const B2bua&) = delete;

  /// The request filter authenticated `txn` as `user`; the B2BUA takes the
  /// caller identity from here (and from nowhere else when authentication
  /// is required).
  void note_authenticated(const sip::ServerTransaction& txn, std::string user);

  /// For SipEndpoint::handle: INVITE, BYE, UPDATE, INFO, MESSAGE, in or out
  /// of dialog.
  void on_request(const sip::ServerTransactionPtr& txn);
  /// The transaction user parts for SipEndpoint::set_dialog_user: CANCEL of
  /// a ringing call, ACKs of our 2xx, stray 2xx retransmissions.
  sip::TransactionUser dialog_user();

  /// Ends every call (shutdown): ringing ones get 503, answered ones BYE on
  /// both legs; each publishes its end, so its CDR row is completed.
  void end_all(const std::string& cause);
  /// Click-to-dial (issue 9): rings every phone of extension `from`; when
  /// one answers, `to` is dialed as if `from` had dialed it (dialplan and
  /// permissions), with ringback to `from` until it answers. Returns the
  /// call's id (the Call-ID of the leg towards `from`); kNotFound for an
  /// unknown or unregistered `from`, kFailedPrecondition (not allowed) or
  /// kNotFound when the dialplan refuses `to`, kUnavailable without ports.
  Result<std::string> originate(const std::string& from, const std::string& to);
  /// Hold from the API (issue 9): the `held` party hears music on hold (the
  /// relay; no re-INVITE), until resume(). kNotFound: no such call;
  /// kFailedPrecondition: not answered yet, or already held.
  Status hold(std::string_view call_id, MediaSide held);
  Status resume(std::string_view call_id);
  /// Blind transfer from the API: the party on side `stays` keeps the call
  /// and hears ringback while `target` rings (dialed as the other party
  /// would dial it); when it answers, the other party is released (BYE). A
  /// target that fails or does not answer returns the call as it was.
  /// kNotFound: no such call or target; kFailedPrecondition: not answered,
  /// already changing, `stays` is an application, or the target is not
  /// allowed; kUnavailable: the target is not reachable.
  /// `by` names who asked in the call's transfer list: "api", or the
  /// transferrer's number (a feature code: "" takes the other party's).
  Status transfer(std::string_view call_id, MediaSide stays, const std::string& target,
                  const std::string& by = "api");
  /// Recording from the API (issue 7 §5, b2bua_recording.cpp): both
  /// directions of an answered call into a new file of the recording
  /// policy, until stop_recording() or the call's end. kNotFound: no such
  /// call; kFailedPrecondition: not answered to two phones, already (not)
  /// recording; kUnavailable: no recording policy (recording off). Returns
  /// the new recording's reference.
  Result<std::string> start_recording(std::string_view call_id);
  Status stop_recording(std::string_view call_id);
  /// Without a policy nothing is recorded (recording off).
  void set_recording_policy(RecordingPolicy* policy) { recording_ = policy; }
  /// Ends the call whose caller Call-ID is `call_id` as end_all() would
  /// (the API's hangup); false when there is no such call.
  bool hang_up(std::string_view call_id, const std::string& cause);

  /// The call application for a target kind (kVoicemail, kConference,
  /// kParking …). The kVoicemail application also takes calls to an
  /// extension that ring unanswered for no_answer_timeout, are busy or are
  /// not registered (AppReason kNoAnswer / kBusy).
  void set_app(TargetKind kind, CallAppFactory factory) { apps_[kind] = std::move(factory); }
  /// Where application legs come from; without it no application runs.
  void set_app_media(AppMediaFactory* media) { app_media_ = media; }
  void set_target_handler(TargetKind kind, TargetHandler handler) {
    target_handlers_[kind] = std::move(handler);
  }
  void set_options(B2buaOptions o) { options_ = std::move(o); }
  const B2buaStats& stats() const { return stats_; }
  size_t active_calls() const { return calls_.size(); }

 private:
  class AppHandle;
  friend class AppHandle;
  struct LegRef {
    std::uint64_t call = 0;
    MediaSide side = MediaSide::kA;
    bool transferrer = false;  ///< the leg waiting in Call::transfer
  };

  // b2bua.cpp: a new call.
  void on_new_invite(const sip::ServerTransactionPtr& txn);
  std::optional<std::string> caller_of(const sip::ServerTransaction& txn);
  bool session_timer_check(const sip::ServerTransactionPtr& txn, std::uint32_t& interval);
  void start_forks(Call& call, const std::vector<const Binding*>& contacts,
                   const std::string& display, const sdp::SessionDescription& offer);
  void reject(const sip::ServerTransactionPtr& txn, int status, std::string_view reason,
              std::string_view warning = {});
  std::string contact_for(sip::Protocol p) const;

  // b2bua_ringing.cpp: forks, answer, cancel, no answer.
  void on_fork_provisional(std::uint64_t id, size_t fork, const sip::Message& r);
  void on_fork_answered(std::uint64_t id, size_t fork, sip::Dialog& dialog, const sip::Message& r);
  void on_fork_final(std::uint64_t id, size_t fork, int status, std::string reason);
  void on_cancel(const sip::ServerTransactionPtr& invite);
  void on_no_answer(std::uint64_t id);
  void cancel_forks(Call& call, std::optional<size_t> except = std::nullopt);
  void answer_caller(Call& call, const sdp::SessionDescription& answer_a);
  /// `callee` is where the answering fork signals from (NAT detection).
  bool apply_answer_sdp(Call& call, const sip::Message& r, const sip::Destination& callee,
                        sdp::SessionDescription& answer_a);
  void respond_a(Call& call, int status, std::string_view reason);

  // b2bua_apps.cpp: call applications on side B.
  bool start_app(Call& call, TargetKind kind, const std::string& target, AppReason reason);
  bool answer_for_app(Call& call, AppMediaPtr& media, const std::string& app_address);
  void on_app_media(std::uint64_t id, const media::app::MediaEvent& event);
  void app_hang_up(std::uint64_t id, std::string cause);
  void app_redirect(std::uint64_t id, std::string dialed, std::string fallback = {},
                    Duration no_answer = Duration::zero());
  /// A redirect failed or was not answered: its fallback, else the end.
  void redirect_failed(Call& call, std::string cause);
  void app_music(std::uint64_t id, bool on, const std::string& moh_class);
  void app_join(std::uint64_t id, const std::string& call_id, std::function<void()> failed);
  /// kRunning → kEnding: stop (or close) the leg's requests; on_end() once
  /// they completed.
  void end_app(Call& call, bool keep_media);
  void app_ended(Call& call);
  void on_redirect_answered(Call& call, size_t fork, sip::Dialog& dialog, const sip::Message& r);
  /// Side A answered, side B (re)starts: an application, or forks to
  /// `contacts` offered A's codec from `base_offer`, with ringback meanwhile.
  void retarget_b(Call& call, const RouteDecision& route,
                  const std::vector<const Binding*>& contacts, bool to_app,
                  const sdp::SessionDescription& base_offer);

  // b2bua_hold.cpp: hold/resume answered by the PBX, music toward the held side.
  void on_local_reoffer(Call& call, MediaSide from, const sip::ServerTransactionPtr& txn,
                        sdp::SessionDescription offer);

  // b2bua_recording.cpp: recording from the answer on, and its files.
  void record_on_answer(Call& call);
  Result<std::string> begin_recording(Call& call);
  void on_recording_done(std::uint64_t id, const CallRecord& snapshot, const std::string& reference,
                         const MediaRelay::RecordingResult& result);

  // b2bua_originate.cpp: click-to-dial.
  void on_originate_answered(std::uint64_t id, size_t fork, sip::Dialog& dialog,
                             const sip::Message& r);
  void on_originate_failed(std::uint64_t id, size_t fork, int status, std::string reason);
  void on_app_reoffer(Call& call, const sip::ServerTransactionPtr& txn);
  bool app_busy(const Call& call) const { return call.app && call.app->state != AppState::kEnded; }

  // b2bua_transfer.cpp: blind transfer (REFER, API), its outcome.
  void on_refer(Call& call, MediaSide from, const sip::ServerTransactionPtr& txn);
  /// {0, ""} when started, else the SIP status and reason it failed with.
  std::pair<int, std::string> start_blind_transfer(Call& call, MediaSide transferrer,
                                                   const std::string& target, bool by_refer,
                                                   std::string kind, std::string by = {});
  void transfer_answered(Call& call);
  void transfer_failed(Call& call, int status, std::string reason);
  void restore_transferrer(Call& call);
  void on_transferrer_request(Call& call, const sip::ServerTransactionPtr& txn);
  void notify_refer(Leg& leg, int status, std::string_view reason, bool final);
  void bye_leg(Leg& leg);
  /// The caller transfers: its leg goes to side B (SwappedRelay).
  void swap_sides(Call& call);
  static std::string leg_call_id(const Call& call, MediaSide side);
  static std::string number_of(const Call& call, MediaSide side);

  // b2bua_replaces.cpp: attended transfer, INVITE with Replaces.
  void refer_with_replaces(Call& cr, MediaSide sr, const sip::ServerTransactionPtr& txn,
                           const sip::Replaces& replaces);
  /// Re-INVITEs the leg on `src_side` of call `src_id` toward the relay of
  /// call `dst_id` at `dst_side`; on 2xx it takes that side's place. The
  /// outcome goes as NOTIFY to the REFER's leg (`refer_call`, `refer_side`).
  /// `kind` names the move (TransferStep::kind); `failed` runs when it
  /// cannot be done (besides the NOTIFY).
  void relocate(std::uint64_t src_id, MediaSide src_side, std::uint64_t dst_id, MediaSide dst_side,
                std::uint64_t refer_call, MediaSide refer_side, std::string kind = "attended",
                std::function<void()> failed = {});
  void join_moved_leg(Call& src, MediaSide src_side, Call& dst, MediaSide dst_side,
                      const sdp::LegMedia& media, const std::string& kind);
  /// True when `txn` is an INVITE with Replaces (handled here).
  bool on_invite_replaces(const sip::ServerTransactionPtr& txn);
  sdp::MediaConfig media_config_for(const std::string& codec) const;
  /// The leg a Replaces header names (both tags matching), if any.
  std::optional<LegRef> find_replaced(const sip::Replaces& replaces) const;
  void after_join(Call& call);

  // b2bua_dialog.cpp: established calls.
  void on_in_dialog(const sip::ServerTransactionPtr& txn);
  void on_bye(Call& call, MediaSide from, const sip::ServerTransactionPtr& txn);
  void on_reoffer(Call& call, MediaSide from, const sip::ServerTransactionPtr& txn);
  void on_reoffer_answer(std::uint64_t id, MediaSide to, const sip::Message& r);
  void forward(Call& call, MediaSide from, const sip::ServerTransactionPtr& txn);
  void on_ack(const sip::Message& ack, const sip::Source& from);
  void on_stray_response(const sip::Message& r, const sip::Source& from);
  void send_2xx(Call& call, MediaSide to, const sip::ServerTransactionPtr& txn,
                sip::Message response);
  void send_bye(Call& call, MediaSide to);
  void arm_session_timer(Call& call);
  void configure_media(Call& call, const sdp::LegMedia& side_media, MediaSide side,
                       const sip::Destination& peer);
  static MediaLatch latch_for(const sip::Destination& peer, const sdp::StreamParams& stream);
  void end_call(Call& call, Party side, std::string cause);

  // Bookkeeping.
  Call* find(std::uint64_t id);
  Call* find_by_call_id(std::string_view call_id);
  std::optional<LegRef> find_leg(std::string_view call_id, std::string_view local_tag) const;
  void index_leg(Call& call, MediaSide side, const std::string& call_id);
  void finish(Call& call, CallOutcome outcome, int status, Party side, std::string cause);
  void reap(std::uint64_t id, int attempts);
  static std::string dialog_key(std::string_view call_id, std::string_view local_tag);

  sip::TransactionLayer& layer_;
  Timers& timers_;
  const Registrar& registrar_;
  const Router& router_;
  MediaRelayFactory& media_;
  CallEvents& events_;
  CallerLookup callers_;
  store::NowFn wall_now_;
  B2buaOptions options_;
  std::map<TargetKind, TargetHandler> target_handlers_;
  std::map<TargetKind, CallAppFactory> apps_;
  AppMediaFactory* app_media_ = nullptr;
  RecordingPolicy* recording_ = nullptr;
  /// Cleared by the destructor: AppHandles outliving the B2BUA do nothing.
  std::shared_ptr<B2bua*> self_ = std::make_shared<B2bua*>(this);

  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::unique_ptr<Call>> calls_;
  std::unordered_map<std::string, LegRef> by_dialog_;         ///< call-id + our tag
  std::unordered_map<std::string, std::uint64_t> by_invite_;  ///< A's INVITE txn key
  std::unordered_map<std::string, std::uint64_t> by_b_call_id_;
  /// The user the request filter authenticated for the request being
  /// dispatched right now (filter and handler run back to back).
  const sip::ServerTransaction* authenticated_txn_ = nullptr;
  std::string authenticated_user_;
  B2buaStats stats_;

  // Call forwarding on busy / no answer / not registered (issue 7 §3,
  // b2bua_ringing.cpp).
 public:
  /// Without a policy (or when it declines) unanswered calls go to the
  /// mailbox as before. The policy must outlive the B2BUA's calls.
  void set_forwarding_policy(const ForwardingPolicy* policy) { forwarding_ = policy; }

 private:
  /// (Re)arms the no-answer timer of a ringing call for its current callee.
  void arm_no_answer(Call& call);
  /// Asks the policy; true when the call went on to a forward target (or
  /// ended trying), false: the caller decides (mailbox, failure).
  bool forward_unanswered(Call& call, AppReason reason);
  bool forward_ringing(Call& call, const RouteDecision& route, AppReason reason);
  const ForwardingPolicy* forwarding_ = nullptr;

  // DTMF of relayed calls to the feature codes (issue 7 §2, b2bua_digits.cpp).
 public:
  /// Turns digit detection on for calls set up from now on (null: off). The
  /// listener must outlive the B2BUA's calls.
  void set_digit_listener(CallDigitListener* listener) { digits_ = listener; }

 private:
  void watch_digits(Call& call);
  CallDigitListener* digits_ = nullptr;

  // Attended transfer and three-way calling by feature code (issue 7 §2,
  // §6; b2bua_consult.cpp, call.hpp Consultation).
 public:
  /// The party on side `transferrer` of the answered two-phone call
  /// `call_id` leaves it for a consultation call to `target` (dialed with
  /// its permissions, ringback meanwhile; its phone is re-INVITEd to a relay
  /// of its own) while the other party hears music on hold. From there:
  /// the transferrer hangs up → the target takes its place (still ringing:
  /// the held party goes to the ringing target, and the transferrer is
  /// rung back if nobody answers); the target hangs up, fails or does not
  /// answer, or cancel_consultation() → the transferrer is back; the held
  /// party hangs up → the consultation goes on as an ordinary call.
  /// `three_way`: into a conference with the held party as soon as the
  /// target answers. Errors as transfer(); kUnavailable for three_way
  /// without a conference bridge.
  Status consult(std::string_view call_id, MediaSide transferrer, const std::string& target,
                 bool three_way = false);
  /// `call_id`: the consultation call (or the held call).
  Status cancel_consultation(std::string_view call_id);
  /// As if the transferrer hung up (the API): it is released (BYE) and the
  /// target takes its place. `call_id` as cancel_consultation().
  Status complete_consultation(std::string_view call_id);
  /// The consultation's three parties into one ad-hoc room (once the
  /// target answers, if it is still ringing).
  Status merge_three_way(std::string_view call_id);
  bool is_consultation(std::string_view call_id);
  /// Without it there is no three-way calling.
  void set_conference_bridge(ConferenceBridge* bridge) { conference_ = bridge; }

 private:
  struct MoveResult {
    int status = 0;  ///< 200: moved; else why not (0: the call is gone)
    std::string reason;
    sdp::LegMedia media;  ///< the leg's answer applied to our offer
  };
  /// Re-INVITEs the leg on `side` of call `id` toward our port `port`,
  /// offering `codec` (and the other G.711 law); `done` always runs once,
  /// later.
  void reoffer_leg(std::uint64_t id, MediaSide side, std::uint16_t port, const std::string& codec,
                   std::function<void(MoveResult)> done);
  /// The leg on `side` of answered call `src` moves into a new answered
  /// call of its own (side A; side B empty) with its own relay; `done`
  /// gets that call, `failed` why not (the leg stays where it was).
  void split_leg(Call& src, MediaSide side, std::function<void(Call&)> done,
                 std::function<void(int, const std::string&)> failed);
  void consult_answered(Call& y);
  /// The transferrer goes back to the held call.
  void consult_back(Call& y);
  /// The transferrer hung up: the transfer is done.
  void consult_complete(Call& y);
  bool on_consult_bye(Call& c, MediaSide from);
  /// The consultation `call_id` names (itself or its held call); kNotFound,
  /// or kFailedPrecondition while a leg is being moved.
  Result<Call*> consultation_of(std::string_view call_id);
  /// The leg on `side` is gone (its BYE answered or sent): out of the index.
  void leave_leg(Call& c, MediaSide side);
  void merge_now(Call& y);
  /// A call ends: its partner in a consultation is told (finish()).
  void unlink_consultation(Call& c);
  /// Runs `app` on side B of `c` (start_app without the factory).
  bool attach_app(Call& c, AppCallInfo info, CallAppPtr app);
  ConferenceBridge* conference_ = nullptr;
};

}  // namespace switchboard::core
