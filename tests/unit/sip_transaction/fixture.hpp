// A TransactionLayer on virtual time with an in-memory "network" that records
// every message sent.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/timers.hpp"
#include "sip/parser.hpp"
#include "sip/transaction/transaction_key.hpp"
#include "sip/transaction/transaction_layer.hpp"

namespace switchboard::sip::testing {

using namespace std::chrono_literals;

struct Sent {
  Destination to;
  std::string bytes;
  Message msg() const { return parse_message(bytes).value(); }
};

class TransactionFixture : public ::testing::Test {
 protected:
  TransactionFixture() : layer(timers, sender(), options()) {
    TransactionUser tu;
    tu.request = [this](const ServerTransactionPtr& t) { requests.push_back(t); };
    tu.cancelled = [this](const ServerTransactionPtr& t) { cancelled.push_back(t); };
    tu.ack = [this](const Message& m, const Source&) { acks.push_back(m); };
    tu.stray_response = [this](const Message& m, const Source&) { strays.push_back(m); };
    tu.ack_timeout = [this](const ServerTransaction&) { ++ack_timeouts; };
    layer.set_user(tu);
  }

  static TransactionLayerOptions options() {
    TransactionLayerOptions o;
    o.sent_by = [](Protocol) { return std::string("192.0.2.1:5060"); };
    return o;
  }

  TransactionLayer::Sender sender() {
    return [this](const Destination& d, std::string b, TransportLayer::SendDone done) {
      sent.push_back({d, std::move(b)});
      if (done) done(fail_sends ? Status(make_error(ErrorCode::kIoError, "down")) : Status());
    };
  }

  static Source udp_from(uint16_t port = 5062) {
    return Source{Protocol::kUdp, boost::asio::ip::make_address("127.0.0.1"), port,
                  boost::asio::ip::make_address("127.0.0.1"), 5060, 0};
  }
  static Source tcp_from(uint64_t conn = 7) {
    return Source{Protocol::kTcp, boost::asio::ip::make_address("127.0.0.1"), 40000,
                  boost::asio::ip::make_address("127.0.0.1"), 5060, conn};
  }

  static std::string request(std::string_view method, std::string_view branch = "z9hG4bKabc",
                             int cseq = 1, std::string_view transport = "UDP",
                             std::string_view extra = "") {
    std::string m(method);
    return m + " sip:1002@192.0.2.1 SIP/2.0\r\n"
               "Via: SIP/2.0/" + std::string(transport) + " 127.0.0.1:5062;branch=" +
           std::string(branch) + "\r\n"
               "Max-Forwards: 70\r\n"
               "From: <sip:1001@192.0.2.1>;tag=from1\r\n"
               "To: <sip:1002@192.0.2.1>\r\n"
               "Call-ID: call-1@127.0.0.1\r\n"
               "CSeq: " + std::to_string(cseq) + " " + m + "\r\n" + std::string(extra) + "Content-Length: 0\r\n\r\n";
  }

  /// A response to our sent request `req` (same Via/From/To/Call-ID/CSeq).
  static std::string response_to(const Message& req, int code, std::string_view reason,
                                 std::string_view to_tag = "totag") {
    std::string out = "SIP/2.0 " + std::to_string(code) + " " + std::string(reason) + "\r\n";
    for (auto v : req.values(HeaderId::kVia)) out += "Via: " + std::string(v) + "\r\n";
    out += "From: " + std::string(*req.value(HeaderId::kFrom)) + "\r\n";
    out += "To: " + std::string(*req.value(HeaderId::kTo));
    if (!to_tag.empty()) out += ";tag=" + std::string(to_tag);
    out += "\r\nCall-ID: " + std::string(*req.value(HeaderId::kCallId)) + "\r\n";
    out += "CSeq: " + std::string(*req.value(HeaderId::kCSeq)) + "\r\n";
    out += "Content-Length: 0\r\n\r\n";
    return out;
  }

  static Message outgoing(std::string_view method) {
    Message m = Message::request(method, "sip:1002@127.0.0.1:5062");
    m.add_header(HeaderId::kMaxForwards, "70");
    m.add_header(HeaderId::kFrom, "<sip:pbx@192.0.2.1>;tag=pbx1");
    m.add_header(HeaderId::kTo, "<sip:1002@127.0.0.1>");
    m.add_header(HeaderId::kCallId, "out-1@192.0.2.1");
    m.add_header(HeaderId::kCSeq, std::string("1 ") + std::string(method));
    return m;
  }

  static Destination udp_to() {
    return Destination{Protocol::kUdp, boost::asio::ip::make_address("127.0.0.1"), 5062, 0};
  }
  static Destination tcp_to() {
    return Destination{Protocol::kTcp, boost::asio::ip::make_address("127.0.0.1"), 5062, 0};
  }

  size_t sent_count(std::string_view start) const {
    size_t n = 0;
    for (const auto& s : sent) n += s.bytes.rfind(std::string(start), 0) == 0;
    return n;
  }

  VirtualTimers timers;
  TransactionLayer layer;
  std::vector<Sent> sent;
  bool fail_sends = false;
  std::vector<ServerTransactionPtr> requests, cancelled;
  std::vector<Message> acks, strays;
  int ack_timeouts = 0;
};

}  // namespace switchboard::sip::testing
