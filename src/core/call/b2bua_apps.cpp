// Call applications on side B (call_app.hpp): the relay's side B is pointed
// at a terminating leg on loopback as if that leg were the callee's phone,
// so the caller's side never changes when the application hands the call on
// (redirect) — only side B is re-targeted.
#include <fmt/format.h>
#include <strings.h>

#include <algorithm>

#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "core/call/g711_bridge.hpp"
#include "sdp/codec.hpp"
#include "sdp/negotiation.hpp"
#include "sdp/parser.hpp"
#include "sdp/relay.hpp"
#include "sdp/serializer.hpp"
#include "sip/builder.hpp"
#include "sip/message_headers.hpp"

namespace switchboard::core {

namespace {

/// What a terminating leg encodes and decodes.
std::vector<sdp::CodecSpec> app_codecs() {
  return {
      {"opus", 48000, 2, ""}, {"G722", 8000, 1, ""}, {"PCMU", 8000, 1, ""}, {"PCMA", 8000, 1, ""}};
}

/// Wait this long for the requests of an ending application to complete.
constexpr auto kEndingGrace = std::chrono::seconds(5);

/// `offer` cut down to the codec side A uses (and telephone-event), for a
/// new callee of an answered caller: side A cannot change codec without a
/// re-INVITE, so B must take A's (the other G.711 law is added back).
sdp::SessionDescription restricted_to(const sdp::SessionDescription& offer,
                                      const std::string& codec, std::uint32_t rate) {
  sdp::SessionDescription out = offer;
  for (auto& m : out.media) {
    if (m.media != "audio" || !m.is_rtp()) continue;
    std::vector<std::string> keep;
    for (const auto& k : sdp::codecs_of(m)) {
      const bool same = strcasecmp(k.name.c_str(), codec.c_str()) == 0 && k.clock_rate == rate;
      const bool dtmf = strcasecmp(k.name.c_str(), "telephone-event") == 0;
      if (same || dtmf) keep.push_back(std::to_string(k.payload_type));
    }
    if (!keep.empty()) m.formats = std::move(keep);
    std::erase_if(m.rtpmaps, [&](const sdp::RtpMap& r) {
      return std::find(m.formats.begin(), m.formats.end(), std::to_string(r.payload_type)) ==
             m.formats.end();
    });
    std::erase_if(m.fmtps, [&](const sdp::Fmtp& f) {
      return std::find(m.formats.begin(), m.formats.end(), f.format) == m.formats.end();
    });
  }
  offer_other_g711_law(out);
  return out;
}

/// Whether `sd` (a phone's offer or answer) has telephone-event on an
/// active audio stream.
bool sends_telephone_events(const sdp::SessionDescription& sd) {
  for (const auto& m : sd.media) {
    if (m.media != "audio" || m.port == 0) continue;
    for (const auto& k : sdp::codecs_of(m)) {
      if (strcasecmp(k.name.c_str(), "telephone-event") == 0) return true;
    }
  }
  return false;
}

}  // namespace

const char* to_string(AppReason r) {
  switch (r) {
    case AppReason::kDialed:
      return "dialed";
    case AppReason::kNoAnswer:
      return "no-answer";
    case AppReason::kBusy:
      return "busy";
    case AppReason::kForwarded:
      return "forwarded";
  }
  return "?";
}

// The AppControl of one call: every use looks the call up again, so a
// handle kept by an application after on_end() (or after the B2BUA is gone)
// does nothing.
class B2bua::AppHandle final : public AppControl {
 public:
  AppHandle(std::weak_ptr<B2bua*> b2bua, std::uint64_t id, AppCallInfo info)
      : b2bua_(std::move(b2bua)), id_(id), info_(std::move(info)) {}

  const AppCallInfo& info() const override { return info_; }

  media::app::OpId play(media::app::PlayRequest r) override {
    return run([&](AppMedia& m) { return m.play(std::move(r)); });
  }
  media::app::OpId record(media::app::RecordRequest r) override {
    return run([&](AppMedia& m) { return m.record(std::move(r)); });
  }
  media::app::OpId collect_digits(media::app::CollectRequest r) override {
    return run([&](AppMedia& m) { return m.collect_digits(std::move(r)); });
  }
  void stop_media() override {
    if (auto* at = running()) at->media->stop();
  }
  media::app::TerminatingLeg* terminating_leg() override {
    auto* at = running();
    return at ? at->media->terminating_leg() : nullptr;
  }
  void hang_up(std::string cause) override {
    if (B2bua* b = owner(); b && running()) b->app_hang_up(id_, std::move(cause));
  }
  void redirect(std::string dialed) override {
    if (B2bua* b = owner(); b && running()) b->app_redirect(id_, std::move(dialed));
  }
  void redirect(std::string dialed, std::string fallback, std::chrono::seconds no_answer) override {
    if (B2bua* b = owner(); b && running()) {
      b->app_redirect(id_, std::move(dialed), std::move(fallback), no_answer);
    }
  }
  void start_music(const std::string& moh_class) override {
    if (B2bua* b = owner(); b && running()) b->app_music(id_, true, moh_class);
  }
  void stop_music() override {
    if (B2bua* b = owner(); b && running()) b->app_music(id_, false, {});
  }
  void join(const std::string& call_id, std::function<void()> failed) override {
    B2bua* b = owner();
    if (b && running()) return b->app_join(id_, call_id, std::move(failed));
    if (failed) failed();
  }

 private:
  B2bua* owner() const {
    auto p = b2bua_.lock();
    return p ? *p : nullptr;
  }
  AppAttachment* running() const {
    B2bua* b = owner();
    Call* c = b ? b->find(id_) : nullptr;
    if (!c || !c->app || c->app->state != AppState::kRunning || !c->app->media) return nullptr;
    return c->app.get();
  }
  template <typename F>
  media::app::OpId run(F&& f) {
    AppAttachment* at = running();
    if (!at) return 0;
    const media::app::OpId id = f(*at->media);
    if (id) at->pending.push_back(id);
    return id;
  }

  std::weak_ptr<B2bua*> b2bua_;
  std::uint64_t id_;
  AppCallInfo info_;
};

bool B2bua::answer_for_app(Call& c, AppMediaPtr& media, const std::string& app_address) {
  // The leg answers the offer made for side B as a phone would.
  sdp::MediaConfig cfg = options_.media;
  cfg.address = app_address;
  cfg.codecs = app_codecs();
  const sdp::SessionDescription& offer_b = c.redirecting ? c.redirect_offer : c.offer_b;
  std::vector<std::uint16_t> placeholder(offer_b.media.size(), c.relay->local_port(MediaSide::kB));
  sdp::LocalSession session("1", app_address, cfg.origin_username);
  auto answer = sdp::answer_offer(offer_b, cfg, placeholder, session);
  if (!answer.ok()) {
    log::get("call")->info("call {}: no codec for an application leg: {}", c.record.call_id,
                           answer.error().message);
    return false;
  }
  const sdp::StreamParams* stream = nullptr;
  for (const auto& s : answer->streams) {
    if (s.active && s.media == "audio" && s.codec) {
      stream = &s;
      break;
    }
  }
  if (!stream) return false;
  AppMediaParams p;
  p.remote_address = app_address;
  p.remote_port = c.relay->local_port(MediaSide::kB);
  p.codec = stream->codec->name;
  p.clock_rate = stream->codec->clock_rate;
  p.payload_type = stream->codec->payload_type;
  p.telephone_event_pt = stream->telephone_event ? stream->telephone_event->payload_type : -1;
  // A caller without RFC 4733 sends its digits as tones, which the relay
  // passes on as audio: the leg must listen for them in-band.
  if (!sends_telephone_events(c.a.remote_sdp ? *c.a.remote_sdp : c.offer_a)) {
    p.telephone_event_pt = -1;
  }
  p.ptime_ms = static_cast<int>(stream->ptime.value_or(20));
  const std::uint64_t id = c.id;
  auto opened =
      app_media_->open(p, [this, id](const media::app::MediaEvent& e) { on_app_media(id, e); });
  if (!opened.ok()) {
    log::get("call")->warn("call {}: application leg: {}", c.record.call_id,
                           opened.error().message);
    return false;
  }
  media = std::move(*opened);
  for (auto& m : answer->sdp.media) {
    if (m.port != 0) m.port = media->local_port();
  }
  sip::Destination leg_dest;
  boost::system::error_code ec;
  leg_dest.ip = boost::asio::ip::make_address(app_address, ec);
  leg_dest.port = media->local_port();
  if (c.phase == CallPhase::kAnswered) {
    // A stays as it is: only side B moves to the leg.
    auto leg_b = sdp::apply_answer(offer_b, answer->sdp);
    if (!leg_b.ok()) return false;
    configure_media(c, *leg_b, MediaSide::kB, leg_dest);
    c.b.remote_sdp = answer->sdp;
    return true;
  }
  std::vector<std::uint16_t> ports_a(c.offer_a.media.size(), c.relay->local_port(MediaSide::kA));
  auto ra = sdp::relay_answer(c.offer_a, c.offer_b, answer->sdp, options_.media, ports_a,
                              c.a.sdp_session());
  if (!ra.ok()) return false;
  configure_media(c, ra->leg_a, MediaSide::kA, c.a.peer);
  configure_media(c, ra->leg_b, MediaSide::kB, leg_dest);
  c.b.remote_sdp = answer->sdp;
  c.b.user_agent = "switchboard";
  c.b.on(LegEvent::kAnswer);
  answer_caller(c, ra->answer_a);
  return true;
}

bool B2bua::start_app(Call& c, TargetKind kind, const std::string& target, AppReason reason) {
  auto it = apps_.find(kind);
  if (it == apps_.end() || !app_media_ || !c.relay) return false;
  AppCallInfo info;
  info.call_id = c.record.call_id;
  info.caller = c.record.caller;
  info.caller_name = c.record.caller_name;
  info.dialed = c.record.dialed;
  info.kind = kind;
  info.target = target;
  // `*1001` (dialplan voicemail pattern) is mailbox 1001.
  if (kind == TargetKind::kVoicemail && !info.target.empty() && info.target.front() == '*') {
    info.target.erase(0, 1);
  }
  info.reason = reason;
  info.caller_is_local = true;  // callers are authenticated extensions (B2bua::caller_of)
  info.source_address = c.a.peer.ip.to_string();
  if (c.transfer) info.referred_by = c.transfer->transferrer_number;
  CallAppPtr app = it->second(info);
  if (!app) return false;
  log::get("call")->info("call {}: {} application ({}) for {}", c.record.call_id, to_string(kind),
                         to_string(reason), info.target);
  return attach_app(c, std::move(info), std::move(app));
}

bool B2bua::attach_app(Call& c, AppCallInfo info, CallAppPtr app) {
  if (!app_media_ || !c.relay || !app) return false;
  if (!info.target.empty()) c.record.callee = info.target;
  AppMediaPtr media;
  if (!answer_for_app(c, media, app_media_->address())) {
    if (media) media->close();
    return false;
  }
  auto at = std::make_unique<AppAttachment>();
  at->info = info;
  at->app = std::shared_ptr<CallApp>(std::move(app));
  at->control = std::make_shared<AppHandle>(self_, c.id, info);
  at->media = std::move(media);
  c.app = std::move(at);
  // Keep the shared_ptrs: on_start may end the call (and the attachment).
  auto run = c.app->app;
  auto control = c.app->control;
  run->on_start(*control);
  return true;
}

void B2bua::on_app_media(std::uint64_t id, const media::app::MediaEvent& e) {
  Call* c = find(id);
  if (!c || !c->app) return;
  AppAttachment& at = *c->app;
  const auto op = media::app::op_id(e);
  auto pos = std::find(at.pending.begin(), at.pending.end(), op);
  if (pos == at.pending.end()) return;  // not the application's (ringback) or late
  at.pending.erase(pos);
  if (at.state == AppState::kEnded) return;
  auto app = at.app;
  app->on_media(e);
  if (Call* again = find(id); again && again->app && again->app->state == AppState::kEnding &&
                              again->app->pending.empty()) {
    app_ended(*again);
  }
}

void B2bua::end_app(Call& c, bool keep_media) {
  if (!c.app || c.app->state != AppState::kRunning) return;
  if (c.app_music && c.relay && c.phase != CallPhase::kEnded) c.relay->stop_music(MediaSide::kA);
  c.app_music = false;
  AppAttachment& at = *c.app;
  at.state = AppState::kEnding;
  at.keep_media = keep_media;
  if (at.media) {
    if (keep_media) {
      at.media->stop();
    } else {
      at.media->close();
    }
  }
  if (at.pending.empty()) {
    // Never from inside the caller's AppControl call.
    const std::uint64_t id = c.id;
    timers_.schedule(Duration(0), [this, id] {
      if (Call* call = find(id); call && call->app && call->app->state == AppState::kEnding) {
        app_ended(*call);
      }
    });
    return;
  }
  const std::uint64_t id = c.id;
  at.ending_timer = timers_.schedule(kEndingGrace, [this, id] {
    Call* call = find(id);
    if (!call || !call->app || call->app->state != AppState::kEnding) return;
    call->app->ending_timer = 0;
    log::get("call")->warn("call {}: {} application request(s) did not complete",
                           call->record.call_id, call->app->pending.size());
    call->app->pending.clear();
    app_ended(*call);
  });
}

void B2bua::app_ended(Call& c) {
  AppAttachment& at = *c.app;
  if (at.state == AppState::kEnded) return;
  at.state = AppState::kEnded;
  if (at.ending_timer) timers_.cancel(at.ending_timer);
  at.ending_timer = 0;
  if (at.media && !at.keep_media) at.media.reset();
  // on_end() later, never inside a call of the application's own.
  timers_.schedule(Duration(0), [app = at.app, control = at.control] { app->on_end(); });
  at.app.reset();
  at.control.reset();
}

void B2bua::app_hang_up(std::uint64_t id, std::string cause) {
  Call* c = find(id);
  if (!c) return;
  if (c->phase == CallPhase::kAnswered) {
    end_call(*c, Party::kCallee, std::move(cause));
  } else if (c->phase == CallPhase::kRinging) {
    respond_a(*c, 480, "Temporarily Unavailable");
    finish(*c, CallOutcome::kFailed, 480, Party::kCallee, std::move(cause));
  }
}

void B2bua::app_redirect(std::uint64_t id, std::string dialed, std::string fallback,
                         Duration no_answer) {
  Call* c = find(id);
  if (!c || c->phase != CallPhase::kAnswered) return;
  auto log = log::get("call");
  if (c->app_music) c->relay->stop_music(MediaSide::kA);
  c->app_music = false;
  auto profile = callers_(c->record.caller);
  RouteRequest rr{c->record.call_id, c->record.caller, profile && profile->allow_external, dialed};
  RouteDecision route = router_.route(rr);
  if (route.rejected()) {
    log->info("call {}: redirect to {} refused: {}", c->record.call_id, dialed, route.reason);
    return end_call(*c, Party::kCallee, fmt::format("redirect to {}: {}", dialed, route.reason));
  }
  const bool to_app = route.kind != TargetKind::kExtension && apps_.count(route.kind) > 0;
  std::vector<const Binding*> contacts;
  if (!to_app) {
    if (route.kind == TargetKind::kExtension) contacts = registrar_.lookup(route.target);
    if (contacts.empty()) {
      log->info("call {}: redirect to {}: not reachable", c->record.call_id, dialed);
      return end_call(*c, Party::kCallee, fmt::format("redirect to {}: not reachable", dialed));
    }
  }
  // The application steps aside; its leg stays for the ringback (or the
  // next application) until the new target answers.
  end_app(*c, /*keep_media=*/true);
  retarget_b(*c, route, contacts, to_app, c->offer_b);
  Call* again = find(id);
  if (!again || !again->redirecting) return;
  again->redirect_fallback = std::move(fallback);
  if (no_answer.count() > 0) {
    again->redirect_timer = timers_.schedule(no_answer, [this, id] {
      Call* call = find(id);
      if (!call || !call->redirecting) return;
      call->redirect_timer = 0;
      redirect_failed(*call, "redirect not answered");
    });
  }
}

void B2bua::retarget_b(Call& c, const RouteDecision& route,
                       const std::vector<const Binding*>& contacts, bool to_app,
                       const sdp::SessionDescription& base_offer) {
  const std::uint64_t id = c.id;
  c.redirecting = true;
  const std::string codec_name = c.a.codec.substr(0, c.a.codec.find('/'));
  std::uint32_t rate = 8000;
  if (auto slash = c.a.codec.find('/'); slash != std::string::npos) {
    rate = static_cast<std::uint32_t>(std::strtoul(c.a.codec.c_str() + slash + 1, nullptr, 10));
  }
  c.redirect_offer = restricted_to(base_offer, codec_name, rate);
  c.record.callee = route.target;
  if (to_app) {
    // Straight into an application (a mailbox): no ringing.
    if (c.app) {
      if (c.app->state != AppState::kEnded) app_ended(c);  // its requests are cut
      if (c.app->media) c.app->media->close();
      c.app.reset();
    }
    if (!start_app(c, route.kind, route.target, AppReason::kForwarded)) {
      end_call(c, Party::kCallee,
               fmt::format("{}: no {} service", route.target, to_string(route.kind)));
    }
    if (Call* again = find(id)) again->redirecting = false;
    return;
  }
  if (!c.app && app_media_) {
    // A leg of our own for the ringback (click-to-dial: A waits for B).
    AppMediaPtr m;
    if (answer_for_app(c, m, app_media_->address())) {
      c.app = std::make_unique<AppAttachment>();
      c.app->state = AppState::kEnded;
      c.app->keep_media = true;
      c.app->media = std::move(m);
    } else if (m) {
      m->close();
    }
  }
  if (c.app && c.app->media) {
    media::app::PlayRequest ring;
    ring.items.push_back(media::app::ToneItem{media::dsp::ToneKind::kRingback, {}});
    c.app->media->play(std::move(ring));
  }
  // A new dialog towards the new target.
  c.retired_b_call_ids.push_back(c.b_call_id);
  c.b_call_id = sip::random_hex(16);
  by_b_call_id_[c.b_call_id] = id;
  by_dialog_.erase(dialog_key(c.retired_b_call_ids.back(), c.b.local_tag()));
  c.b = Leg(MediaSide::kB, sip::random_hex(8), c.b.sdp_session().session_id() + "2",
            options_.media.address);
  c.redirect_forks_from = c.forks.size();
  log::get("call")->info("call {}: ringing {} ({} contact(s))", c.record.call_id, route.target,
                         contacts.size());
  start_forks(c, contacts, c.record.caller_name, c.redirect_offer);
}

void B2bua::on_redirect_answered(Call& c, size_t fork, sip::Dialog& dialog, const sip::Message& r) {
  const sip::Destination dest = c.forks[fork].destination;
  c.forks[fork].done = true;
  c.forks[fork].status = 200;
  auto answer_b = sdp::parse(r.body());
  auto leg_b = answer_b.ok() ? sdp::apply_answer(c.redirect_offer, *answer_b)
                             : Result<sdp::LegMedia>(answer_b.error());
  if (!leg_b.ok()) {
    layer_.send_request(dialog.make_request("BYE"), dest, {});
    cancel_forks(c);
    return end_call(c, Party::kCallee, "redirect target's SDP refused");
  }
  cancel_forks(c, fork);
  if (c.redirect_timer) timers_.cancel(c.redirect_timer);
  c.redirect_timer = 0;
  c.redirect_fallback.clear();
  if (c.app) {
    if (c.app->state != AppState::kEnded) app_ended(c);
    if (c.app->media) c.app->media->close();
    c.app.reset();
  }
  c.redirecting = false;
  configure_media(c, *leg_b, MediaSide::kB, dest);
  c.b.remote_sdp = std::move(*answer_b);
  c.b.local_sdp = sdp::serialize(c.redirect_offer);
  c.b.dialog = dialog;
  c.b.peer = dest;
  auto ua = sip::get_server(r);
  c.b.user_agent = std::string(ua ? *ua : sip::get_user_agent(r).value_or(""));
  c.b.last_invite_cseq = 1;
  c.b.on(LegEvent::kAnswer);
  index_leg(c, MediaSide::kB, c.b_call_id);
  c.record.callee_user_agent = c.b.user_agent;
  const char* bridge = c.transfer ? "transfer" : c.record.answer ? "redirect" : "answer";
  if (!c.record.answer) {  // click-to-dial: the call counts as answered now
    c.record.answer = wall_now_();
    c.record.final_status = 200;
    ++stats_.answered;
  }
  events_.publish(CallEventKind::kAnswered, c.record);
  log::get("call")->info("call {}: redirect answered by {}", c.record.call_id, c.record.callee);
  record_on_answer(c);
  if (c.transfer) transfer_answered(c);
  // The new party and side A (a person: an application never redirects a
  // caller that is one) talk now — unless this answers a three-way
  // consultation, which goes into a conference room at once.
  if (c.phase == CallPhase::kAnswered && !(c.consulting && c.consulting->three_way)) {
    events_.publish(CallEvent{.kind = CallEventKind::kBridged, .call = c.record, .bridge = bridge});
  }
  if (c.consulting) consult_answered(c);
}

void B2bua::on_app_reoffer(Call& c, const sip::ServerTransactionPtr& txn) {
  // The caller re-offers (hold, a new address) to an application: side A
  // is re-described, the leg keeps its codec.
  const sip::Message& req = txn->request();
  auto offer = sdp::parse(req.body());
  if (!offer.ok()) return reject(txn, 488, "Not Acceptable Here");
  const sdp::SessionDescription& offer_b = c.offer_b;
  if (!c.b.remote_sdp) return reject(txn, 488, "Not Acceptable Here");
  std::vector<std::uint16_t> ports_a(offer->media.size(), c.relay->local_port(MediaSide::kA));
  auto ra = sdp::relay_answer(*offer, offer_b, *c.b.remote_sdp, options_.media, ports_a,
                              c.a.sdp_session());
  if (!ra.ok()) return reject(txn, 488, "Not Acceptable Here");
  configure_media(c, ra->leg_a, MediaSide::kA, c.a.peer);
  c.a.remote_sdp = std::move(*offer);
  auto resp = sip::make_response(req, 200, "OK");
  resp.add_header(sip::HeaderId::kContact, contact_for(c.a.peer.protocol));
  if (c.session_expires) {
    resp.add_header(sip::HeaderId::kSessionExpires,
                    fmt::format("{};refresher=uac", c.session_expires));
    resp.add_header(sip::HeaderId::kRequire, "timer");
    arm_session_timer(c);
  }
  c.a.local_sdp = sdp::serialize(ra->answer_a);
  sip::set_body(resp, "application/sdp", c.a.local_sdp);
  if (txn->is_invite()) return send_2xx(c, MediaSide::kA, txn, std::move(resp));
  txn->respond(std::move(resp));
}

}  // namespace switchboard::core
