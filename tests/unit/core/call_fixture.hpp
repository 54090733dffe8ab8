// The B2BUA on virtual time over an in-memory network: the real transaction
// layer, registrar (bindings restored by hand) and router, a fake media relay
// that records how each side was configured, and helpers to play the caller
// (198.51.100.1) and the callees' phones (198.51.100.2x).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/timers.hpp"
#include "core/call/b2bua.hpp"
#include "sip/builder.hpp"
#include "sip/message_headers.hpp"
#include "sip/parser.hpp"
#include "sip/serializer.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace switchboard::core::testing {

using namespace std::chrono_literals;

class FakeRelay final : public MediaRelay {
 public:
  struct Log {
    std::map<MediaSide, sdp::StreamParams> configured;
    std::map<MediaSide, MediaLatch> latch;
    int configures = 0;
    bool closed = false;
    std::map<MediaSide, std::string> music;  ///< side → class while music plays toward it
    std::vector<std::string> recordings;
    std::vector<bool> stereo;  ///< per recording
    bool recording = false;
    int recording_stops = 0;  ///< stop_recording() calls
    std::function<void(const RecordingResult&)> recording_done;
    DigitListener digits;  ///< what set_digit_listener() gave (tests send digits with it)
    std::optional<Detection> detection;  ///< what it asked for (nullopt: never called)
  };
  FakeRelay(std::uint16_t base, std::shared_ptr<Log> log) : base_(base), log_(std::move(log)) {}
  std::uint16_t local_port(MediaSide s) const override {
    return static_cast<std::uint16_t>(base_ + (s == MediaSide::kA ? 0 : 2));
  }
  Status configure(MediaSide s, const sdp::StreamParams& p, MediaLatch latch) override {
    log_->configured[s] = p;
    log_->latch[s] = latch;
    ++log_->configures;
    return Status::Ok();
  }
  MediaQuality quality() const override { return {100, 99, 1, 2}; }
  Status start_music(MediaSide toward, const std::string& moh_class) override {
    log_->music[toward] = moh_class.empty() ? "default" : moh_class;
    return Status::Ok();
  }
  void stop_music(MediaSide toward) override { log_->music.erase(toward); }
  Status start_recording(const std::string& path, bool stereo,
                         std::function<void(const RecordingResult&)> done) override {
    if (log_->recording) return make_error(ErrorCode::kFailedPrecondition, "recording");
    log_->recording = true;
    log_->recordings.push_back(path);
    log_->stereo.push_back(stereo);
    log_->recording_done = std::move(done);
    return Status::Ok();
  }
  void stop_recording() override {
    log_->recording = false;
    ++log_->recording_stops;
  }
  void set_digit_listener(DigitListener listener, Detection detection) override {
    log_->digits = std::move(listener);
    log_->detection = detection;
  }
  /// Like the engine's relay, close() ends a recording (its done follows;
  /// tests call recording_done themselves).
  void close() override {
    log_->closed = true;
    log_->recording = false;
  }

 private:
  std::uint16_t base_;
  std::shared_ptr<Log> log_;
};

class FakeRelayFactory final : public MediaRelayFactory {
 public:
  Result<MediaRelayPtr> open(DeadPeer dead) override {
    if (exhausted) return make_error(ErrorCode::kUnavailable, "no ports");
    dead_peer = std::move(dead);
    logs.push_back(std::make_shared<FakeRelay::Log>());
    return MediaRelayPtr(std::make_unique<FakeRelay>(
        static_cast<std::uint16_t>(10000 + 4 * logs.size()), logs.back()));
  }
  std::vector<std::shared_ptr<FakeRelay::Log>> logs;
  DeadPeer dead_peer;
  bool exhausted = false;
};

inline sip::Source from_ip(const std::string& ip, uint16_t port = 5060) {
  return sip::Source{sip::Protocol::kUdp,
                     boost::asio::ip::make_address(ip),
                     port,
                     boost::asio::ip::make_address("192.0.2.1"),
                     5060,
                     0};
}

inline std::string sdp_body(const std::string& ip, int port, const std::string& dir = "sendrecv",
                            const std::string& codecs = "0 101") {
  std::string s = "v=0\r\no=- 1 1 IN IP4 " + ip + "\r\ns=-\r\nc=IN IP4 " + ip + "\r\nt=0 0\r\n";
  s += "m=audio " + std::to_string(port) + " RTP/AVP " + codecs + "\r\n";
  if (codecs.find("101") != std::string::npos) {
    s += "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n";
  }
  s += "a=" + dir + "\r\n";
  return s;
}

class CallFixture : public ::testing::Test {
 protected:
  CallFixture()
      : layer_(timers, sender(), layer_options()),
        registrar(
            timers, RegistrarOptions{}, [this] { return wall_now(); },
            [](std::string_view n) { return n == "1001" || n == "1002" || n == "1003"; }),
        router(*Dialplan::compile({"^1[0-9]{3}$", "^2[0-9]{3}$", "^\\*[0-9]{4}$", "^7[0-9]$",
                                   "^8[0-9]{3}$", "^0[0-9]+$"}),
               [](std::string_view n) { return n == "1001" || n == "1002" || n == "1003"; }),
        b2bua(
            layer_, timers, registrar, router, relays, events,
            [](std::string_view n) -> std::optional<CallerProfile> {
              if (n == "1001") return CallerProfile{"Ada", false};
              if (n == "1002") return CallerProfile{"Bob", true};
              if (n == "1003") return CallerProfile{"Carol", false};
              return std::nullopt;
            },
            [this] { return wall_now(); }, options()) {
    sip::TransactionUser tu = b2bua.dialog_user();
    tu.request = [this](const sip::ServerTransactionPtr& t) {
      if (t->request().method_id() == sip::Method::kInvite && authenticate_as) {
        b2bua.note_authenticated(*t, *authenticate_as);
      }
      b2bua.on_request(t);
    };
    layer_.set_user(tu);
    events.subscribe([this](const CallEvent& e) {
      seen.push_back(e.kind);
      last = e.call;
      if (e.kind == CallEventKind::kBridged) {
        bridged.push_back(e.call.call_id + " " + e.call.caller + "-" + e.call.callee + " " +
                          (e.bridge ? e.bridge : "?"));
      }
    });
  }

  static B2buaOptions options() {
    B2buaOptions o;
    o.media.address = "192.0.2.1";
    o.media.rtp_ports = {10000, 20000};
    o.no_answer_timeout = 20s;
    o.max_call_duration = 3600s;
    o.domain = "pbx.test";
    return o;
  }
  sip::TransactionLayerOptions layer_options() {
    sip::TransactionLayerOptions o;
    o.sent_by = [](sip::Protocol) { return std::string("192.0.2.1:5060"); };
    o.policy.reject_zero_max_forwards = true;
    o.policy.content_types = {"application/sdp", "application/dtmf-relay", "application/dtmf",
                              "text/plain"};  // as SipEndpoint sets them
    return o;
  }
  sip::TransactionLayer::Sender sender() {
    return [this](const sip::Destination& d, std::string b, sip::TransportLayer::SendDone done) {
      sent.push_back({d, std::move(b)});
      if (done) done(Status());
    };
  }
  store::Timestamp wall_now() const {
    return store::Timestamp{} + std::chrono::hours(24 * 365 * 54) +
           std::chrono::duration_cast<std::chrono::milliseconds>(timers.now() - start_);
  }

  /// Registers a phone of `aor` at ip:5060 (UDP).
  void register_phone(const std::string& aor, const std::string& ip) {
    Binding b;
    b.aor = aor;
    b.key = "sip:" + aor + "@" + ip + ":5060";
    b.contact = b.key;
    b.call_id = "reg-" + ip;
    b.cseq = 1;
    b.source_ip = boost::asio::ip::make_address(ip);
    b.source_port = 5060;
    b.expires_at = wall_now() + std::chrono::hours(1);
    std::vector<Binding> v{b};
    registrar.restore(std::move(v));
  }

  /// The caller's INVITE (Alice = 1001 at 198.51.100.1).
  std::string invite(const std::string& to, const std::string& call_id = "call-1",
                     const std::string& extra = "", const std::string& body = "") {
    std::string b = body.empty() ? sdp_body("198.51.100.1", 4000) : body;
    std::string m = "INVITE sip:" + to + "@pbx.test SIP/2.0\r\n";
    m += "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=" + sip::make_branch() + ";rport\r\n";
    m += "Max-Forwards: 70\r\nFrom: \"Ada\" <sip:1001@pbx.test>;tag=a1\r\n";
    m += "To: <sip:" + to + "@pbx.test>\r\nCall-ID: " + call_id + "\r\nCSeq: 1 INVITE\r\n";
    m += "Contact: <sip:1001@198.51.100.1:5060>\r\nUser-Agent: PhoneA\r\n" + extra;
    m += "Content-Type: application/sdp\r\nContent-Length: " + std::to_string(b.size()) +
         "\r\n\r\n" + b;
    return m;
  }

  void feed(const std::string& bytes, const sip::Source& from) { layer_.receive(bytes, from); }
  void feed(const sip::Message& m, const sip::Source& from) {
    layer_.receive(sip::serialize(m), from);
  }

  /// Messages sent to `ip` since index `from`, parsed.
  std::vector<sip::Message> sent_to(const std::string& ip, size_t from = 0) const {
    std::vector<sip::Message> out;
    for (size_t i = from; i < sent.size(); ++i) {
      if (sent[i].first.ip.to_string() != ip) continue;
      auto m = sip::parse_message(sent[i].second);
      if (m.ok()) out.push_back(std::move(*m));
    }
    return out;
  }
  /// The last request `method` sent to `ip`.
  std::optional<sip::Message> last_request(const std::string& ip, std::string_view method) const {
    auto all = sent_to(ip);
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (it->is_request() && it->method() == method) return *it;
    }
    return std::nullopt;
  }
  /// The last response with `code` sent to `ip`.
  std::optional<sip::Message> last_response(const std::string& ip, int code = 0) const {
    auto all = sent_to(ip);
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (it->is_response() && (code == 0 || it->status_code() == code)) return *it;
    }
    return std::nullopt;
  }
  /// A phone's response to a request the PBX sent it.
  static sip::Message answer(const sip::Message& req, int code, const std::string& tag,
                             const std::string& body = "", const std::string& ip = "") {
    auto r = sip::make_response(req, code, sip::default_reason_phrase(code), tag);
    if (!ip.empty()) r.add_header(sip::HeaderId::kContact, "<sip:phone@" + ip + ":5060>");
    r.add_header(sip::HeaderId::kServer, "PhoneB");
    if (!body.empty()) sip::set_body(r, "application/sdp", body);
    return r;
  }
  /// An in-dialog request from the caller, using the PBX's To tag.
  std::string from_caller(const std::string& method, uint32_t cseq, const std::string& to_tag,
                          const std::string& body = "", const std::string& call_id = "call-1") {
    std::string m = method + " sip:switchboard@192.0.2.1:5060 SIP/2.0\r\n";
    m += "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=" + sip::make_branch() + ";rport\r\n";
    m += "Max-Forwards: 70\r\nFrom: \"Ada\" <sip:1001@pbx.test>;tag=a1\r\n";
    m += "To: <sip:1002@pbx.test>;tag=" + to_tag + "\r\nCall-ID: " + call_id + "\r\n";
    m += "CSeq: " + std::to_string(cseq) + " " + method + "\r\n";
    m += "Contact: <sip:1001@198.51.100.1:5060>\r\n";
    if (!body.empty()) m += "Content-Type: application/sdp\r\n";
    m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return m;
  }
  static std::string to_tag(const sip::Message& m) {
    auto to = sip::get_to(m);
    return to.ok() && to->tag() ? std::string(*to->tag()) : std::string();
  }

  /// Caller 1001 calls 1002 (one phone at 198.51.100.21), which rings and
  /// answers; returns the PBX's To tag towards the caller.
  std::string establish() {
    register_phone("1002", "198.51.100.21");
    feed(invite("1002"), from_ip("198.51.100.1"));
    auto inv = last_request("198.51.100.21", "INVITE");
    EXPECT_TRUE(inv.has_value());
    if (!inv) return {};
    b_invite = *inv;
    feed(answer(*inv, 180, "b1"), from_ip("198.51.100.21"));
    feed(answer(*inv, 200, "b1", sdp_body("198.51.100.21", 5000), "198.51.100.21"),
         from_ip("198.51.100.21"));
    auto ok = last_response("198.51.100.1", 200);
    EXPECT_TRUE(ok.has_value());
    return ok ? to_tag(*ok) : std::string();
  }

  VirtualTimers timers;
  std::vector<std::pair<sip::Destination, std::string>> sent;
  std::optional<std::string> authenticate_as = std::string("1001");

 private:
  TimePoint start_ = timers.now();
  sip::TransactionLayer layer_;

 protected:
  Registrar registrar;
  Router router;
  FakeRelayFactory relays;
  CallEvents events;
  B2bua b2bua;
  std::vector<CallEventKind> seen;
  CallRecord last;
  std::vector<std::string> bridged;  ///< "call-id caller-callee how" of each kBridged
  sip::Message b_invite;
};

}  // namespace switchboard::core::testing
