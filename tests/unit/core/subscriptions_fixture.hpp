// The subscription server and MWI notifier on virtual time over an
// in-memory network: the real transaction layer and registrar, mailbox
// counts served from a map either at once or held back (as the worker pool
// would), and helpers to play a subscribing phone (198.51.100.7).
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/timers.hpp"
#include "core/registrar/registrar.hpp"
#include "core/subscriptions/mwi_notifier.hpp"
#include "core/subscriptions/subscription_server.hpp"
#include "sip/builder.hpp"
#include "sip/event_headers.hpp"
#include "sip/message_headers.hpp"
#include "sip/parser.hpp"
#include "sip/serializer.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace switchboard::core::testing {

using namespace std::chrono_literals;

inline const std::string kPhoneIp = "198.51.100.7";

inline sip::Source phone_source(const std::string& ip = kPhoneIp, uint16_t port = 5062) {
  return sip::Source{sip::Protocol::kUdp,
                     boost::asio::ip::make_address(ip),
                     port,
                     boost::asio::ip::make_address("192.0.2.1"),
                     5060,
                     0};
}

/// A SUBSCRIBE as a phone writes it.
struct Sub {
  std::string user = "1001";     ///< subscriber (From)
  std::string mailbox = "1001";  ///< Request-URI / To user
  std::string event = "message-summary";
  std::optional<uint32_t> expires = 600;
  std::string call_id = "sub-1";
  uint32_t cseq = 1;
  std::string to_tag;  ///< set: in-dialog (refresh / unsubscribe)
  std::string extra;   ///< more header lines, each ending in \r\n
  bool contact = true;

  std::string text() const {
    std::string m = "SUBSCRIBE " +
                    (to_tag.empty() ? "sip:" + mailbox + "@pbx.test"
                                    : std::string("sip:switchboard@192.0.2.1:5060")) +
                    " SIP/2.0\r\n";
    m += "Via: SIP/2.0/UDP " + kPhoneIp + ":5062;branch=" + sip::make_branch() + ";rport\r\n";
    m += "Max-Forwards: 70\r\n";
    m += "From: <sip:" + user + "@pbx.test>;tag=ph" + call_id + "\r\n";
    m += "To: <sip:" + mailbox + "@pbx.test>" + (to_tag.empty() ? "" : ";tag=" + to_tag) + "\r\n";
    m += "Call-ID: " + call_id + "\r\n";
    m += "CSeq: " + std::to_string(cseq) + " SUBSCRIBE\r\n";
    if (contact) m += "Contact: <sip:" + user + "@" + kPhoneIp + ":5062>\r\n";
    if (!event.empty()) m += "Event: " + event + "\r\n";
    if (expires) m += "Expires: " + std::to_string(*expires) + "\r\n";
    m += extra;
    m += "Content-Length: 0\r\n\r\n";
    return m;
  }
};

class SubscriptionsFixture : public ::testing::Test {
 protected:
  SubscriptionsFixture()
      : layer_(timers, sender(), layer_options()),
        registrar(
            timers, RegistrarOptions{}, [this] { return wall_now(); },
            [](std::string_view n) { return n == "1001" || n == "1002"; }),
        server(layer_, timers, SubscriptionOptions{},
               [](std::string_view n) { return n == "1001" || n == "1002"; }),
        mwi(
            server, layer_, registrar,
            [](std::string_view n) { return n == "1001" || n == "1002"; },
            [this](const std::string& mailbox, MessageSummaryPackage::CountsCallback done) {
              ++lookups;
              auto answer = [this, mailbox, done] {
                if (counts_fail) return done(make_error(ErrorCode::kIoError, "store down"));
                done(counts[mailbox]);
              };
              if (hold_lookups) {
                held.push_back(answer);
              } else {
                answer();
              }
            },
            MwiOptions{"pbx.test", false}) {
    sip::TransactionUser tu;
    tu.request = [this](const sip::ServerTransactionPtr& t) {
      if (t->request().method() == "SUBSCRIBE") {
        if (authenticate_as) server.note_authenticated(*t, *authenticate_as);
        server.on_subscribe(t);
      }
    };
    layer_.set_user(tu);
    counts["1001"] = MessageCounts{2, 5};
  }

  sip::TransactionLayerOptions layer_options() {
    sip::TransactionLayerOptions o;
    o.sent_by = [](sip::Protocol) { return std::string("192.0.2.1:5060"); };
    return o;
  }
  sip::TransactionLayer::Sender sender() {
    return [this](const sip::Destination& d, std::string b, sip::TransportLayer::SendDone done) {
      sent.push_back({d, std::move(b)});
      if (done)
        done(transport_fails ? Status(make_error(ErrorCode::kIoError, "refused")) : Status());
    };
  }
  store::Timestamp wall_now() const {
    return store::Timestamp{} + std::chrono::hours(24 * 365 * 54) +
           std::chrono::duration_cast<std::chrono::milliseconds>(timers.now() - start_);
  }

  /// Sends a SUBSCRIBE; returns the final response.
  std::optional<sip::Message> subscribe(const Sub& s, const sip::Source& from = phone_source()) {
    const size_t before = sent.size();
    layer_.receive(s.text(), from);
    for (size_t i = before; i < sent.size(); ++i) {
      auto m = sip::parse_message(sent[i].second);
      if (m.ok() && m->is_response() && m->status_code() >= 200) return std::move(*m);
    }
    return std::nullopt;
  }

  /// The requests `method` the PBX sent since index `from`.
  std::vector<sip::Message> requests(std::string_view method = "NOTIFY", size_t from = 0) const {
    std::vector<sip::Message> out;
    for (size_t i = from; i < sent.size(); ++i) {
      auto m = sip::parse_message(sent[i].second);
      if (m.ok() && m->is_request() && m->method() == method) out.push_back(std::move(*m));
    }
    return out;
  }
  std::optional<sip::Message> last_notify() const {
    auto all = requests();
    if (all.empty()) return std::nullopt;
    return all.back();
  }
  /// The phone answers a NOTIFY.
  void answer(const sip::Message& notify, int code, const sip::Source& from = phone_source()) {
    auto r = sip::make_response(notify, code, sip::default_reason_phrase(code));
    layer_.receive(sip::serialize(r), from);
  }

  static std::string header(const sip::Message& m, sip::HeaderId id) {
    auto v = m.value(id);
    return v ? std::string(*v) : std::string();
  }
  static std::string to_tag(const sip::Message& m) {
    auto to = sip::get_to(m);
    return to.ok() && to->tag() ? std::string(*to->tag()) : std::string();
  }
  static uint32_t cseq_of(const sip::Message& m) {
    auto c = sip::get_cseq(m);
    return c.ok() ? c->number : 0;
  }
  static MessageCounts counts_in(const sip::Message& notify) {
    auto c = parse_message_summary(notify.body());
    EXPECT_TRUE(c.ok()) << notify.body();
    return c.ok() ? *c : MessageCounts{-1, -1};
  }

  /// Subscribes 1001 to its own mailbox and answers the first NOTIFY;
  /// returns the PBX's tag.
  std::string subscribed(Sub s = {}) {
    auto r = subscribe(s);
    EXPECT_TRUE(r && r->status_code() == 200);
    auto n = last_notify();
    EXPECT_TRUE(n.has_value());
    if (n) answer(*n, 200);
    return r ? to_tag(*r) : std::string();
  }

  /// Registers a phone of `aor` at ip:port (UDP).
  void register_phone(const std::string& aor, const std::string& ip, uint16_t port) {
    Binding b;
    b.aor = aor;
    b.key = "sip:" + aor + "@" + ip + ":" + std::to_string(port);
    b.contact = b.key;
    b.call_id = "reg-" + ip + std::to_string(port);
    b.cseq = 1;
    b.source_ip = boost::asio::ip::make_address(ip);
    b.source_port = port;
    b.expires_at = wall_now() + std::chrono::hours(1);
    registrar.restore({b});
  }

  /// Lets the held counts lookups answer, oldest first.
  void release_lookups() {
    auto pending = std::move(held);
    held.clear();
    for (auto& f : pending) f();
  }

  VirtualTimers timers;
  std::vector<std::pair<sip::Destination, std::string>> sent;
  std::map<std::string, MessageCounts> counts;
  bool counts_fail = false;
  bool hold_lookups = false;
  bool transport_fails = false;
  std::deque<std::function<void()>> held;
  int lookups = 0;
  std::optional<std::string> authenticate_as = std::string("1001");

 private:
  TimePoint start_ = timers.now();
  sip::TransactionLayer layer_;

 protected:
  Registrar registrar;
  SubscriptionServer server;
  MwiNotifier mwi;
};

}  // namespace switchboard::core::testing
