// A call application (DESIGN §2): a feature that answers a call itself —
// voicemail, the voicemail IVR, a conference party, parking, an IVR menu.
// The B2BUA answers the caller, anchors its media in the relay as for any
// call and connects the relay's far side to a terminating RTP leg on
// loopback, whose media API (play, record, collect digits) the application
// drives through AppControl. Because the caller always talks to the relay,
// the call can later be handed on (redirect: `0` to the operator, call back
// the caller) without a re-INVITE towards the caller.
//
// Lifetime: the B2BUA creates the application with a CallAppFactory when a
// call reaches its target kind (or, for voicemail, when ringing ends
// unanswered or busy), calls on_start() once the caller is answered, feeds
// on_media() with every completion of a request, and calls on_end() exactly
// once when the call ends or the application is detached by redirect().
// Before on_end() every request still running completes through on_media()
// (kStopped for what the hang-up cut short; a recording's RecordDone names
// its finished file), so an application can keep what it recorded; the
// AppControl ignores new requests from the hang-up on and must not be used
// after on_end(). Core thread only.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/call/dialplan.hpp"
#include "media/app/requests.hpp"

namespace switchboard::media::app {
class TerminatingLeg;
}

namespace switchboard::core {

/// Why the call reached the application.
enum class AppReason {
  kDialed,     ///< the dialplan routed the dialed string here
  kNoAnswer,   ///< the target rang for the no-answer timeout
  kBusy,       ///< the target was busy (every contact 486/600) or not registered
  kForwarded,  ///< a forwarding rule sent it here
};

const char* to_string(AppReason r);

struct AppCallInfo {
  std::string call_id;      ///< the caller's Call-ID (API and CDR key)
  std::string caller;       ///< caller's extension or number (From user)
  std::string caller_name;  ///< display name, may be empty
  std::string dialed;       ///< what the caller dialed (Request-URI user)
  TargetKind kind = TargetKind::kNone;
  /// The extension the call was for (voicemail: the mailbox; for a dialed
  /// `*1001` the dialplan's target, "1001"); empty when none.
  std::string target;
  AppReason reason = AppReason::kDialed;
  /// The caller came from a registered extension of this PBX (authenticated).
  bool caller_is_local = false;
  std::string source_address;  ///< where the caller's signalling came from (lockouts)
  /// The transferrer, when a blind transfer brought the call here (parking:
  /// who parked it); empty otherwise.
  std::string referred_by;
};

/// What an application can do with its call.
class AppControl {
 public:
  virtual ~AppControl() = default;
  virtual const AppCallInfo& info() const = 0;

  /// The media API of the call (see media/app/requests.hpp); each request's
  /// completion comes back through CallApp::on_media().
  virtual media::app::OpId play(media::app::PlayRequest request) = 0;
  virtual media::app::OpId record(media::app::RecordRequest request) = 0;
  virtual media::app::OpId collect_digits(media::app::CollectRequest request) = 0;
  /// Stops every running request (each completes as kStopped).
  virtual void stop_media() = 0;
  /// The call's terminating leg, for a conference room to mix it
  /// (media::app::Conference::add_party); valid while the application runs.
  /// nullptr when there is none (fakes, a call that is ending).
  virtual media::app::TerminatingLeg* terminating_leg() { return nullptr; }

  /// Ends the call (BYE to the caller); on_end() follows.
  virtual void hang_up(std::string cause) = 0;
  /// Hands the caller on to `dialed`, routed by the dialplan as if the
  /// caller had dialed it (the operator, an extension, the caller of a
  /// message). The application is detached: its requests are stopped and
  /// on_end() follows, and the call goes on without it; the caller hears
  /// ringback meanwhile. (Straight to another application, e.g. a mailbox,
  /// the requests are cut without their completions.) A target that
  /// refuses or cannot be reached ends the call.
  virtual void redirect(std::string dialed) = 0;
  /// redirect() with a fallback: when `dialed` fails or rings unanswered
  /// for `no_answer`, `fallback` is dialed instead (a parked call's
  /// callback goes to the operator); when that fails too the call ends.
  virtual void redirect(std::string dialed, std::string fallback,
                        std::chrono::seconds no_answer) = 0;

  /// Music on hold toward the caller (the relay's shared stream of
  /// `moh_class`, "" = the default class) instead of what the application
  /// plays, until stop_music(), a redirect or the end.
  virtual void start_music(const std::string& moh_class) = 0;
  virtual void stop_music() = 0;
  /// Connects this call's caller with the caller of call `call_id`, which
  /// an application holds (a parked call): that party moves into this call
  /// (a re-INVITE toward this call's relay) and its own call ends; this
  /// application is detached (on_end()). `failed` runs instead when the
  /// call is not there or its phone refuses the move.
  virtual void join(const std::string& call_id, std::function<void()> failed) = 0;
};

class CallApp {
 public:
  virtual ~CallApp() = default;
  virtual void on_start(AppControl& control) = 0;
  virtual void on_media(const media::app::MediaEvent& event) = 0;
  /// The call ended (caller hung up, shutdown, media died) or redirect()
  /// detached the application, and every request has completed. Called
  /// once, never from inside an AppControl call; the AppControl is gone
  /// after it.
  virtual void on_end() = 0;
  /// Another party took the caller's place (an attended transfer of the
  /// caller to this application): `caller` is its number.
  virtual void on_caller_changed(const std::string& caller) { (void)caller; }
};

using CallAppPtr = std::unique_ptr<CallApp>;
/// Makes the application for a call; nullptr refuses it (the caller then
/// gets 480, or for kNoAnswer/kBusy the usual final response).
using CallAppFactory = std::function<CallAppPtr(const AppCallInfo&)>;

}  // namespace switchboard::core
