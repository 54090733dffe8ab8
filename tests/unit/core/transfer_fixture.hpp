// The fixture of the transfer tests (b2bua_transfer_test.cpp,
// b2bua_consult_test.cpp): 1001 (A) and 1002 (B) connected, 1003 (C)
// registered, and in-dialog requests from each phone.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "call_fixture.hpp"
#include "sdp/parser.hpp"

namespace switchboard::core::testing {

inline constexpr const char* kA = "198.51.100.1";
inline constexpr const char* kB = "198.51.100.21";
inline constexpr const char* kC = "198.51.100.23";

inline std::uint16_t audio_port(const sip::Message& m) {
  auto sd = sdp::parse(m.body());
  return sd.ok() && !sd->media.empty() ? sd->media[0].port : 0;
}

/// An in-dialog request from a phone at `ip`.
inline std::string request(const std::string& method, const std::string& ip,
                           const std::string& from, const std::string& from_tag,
                           const std::string& to_tag, const std::string& call_id, uint32_t cseq,
                           const std::string& extra = "", const std::string& body = "") {
  std::string m = method + " sip:switchboard@192.0.2.1:5060 SIP/2.0\r\n";
  m += "Via: SIP/2.0/UDP " + ip + ":5060;branch=" + sip::make_branch() + ";rport\r\n";
  m += "Max-Forwards: 70\r\nFrom: <sip:" + from + "@pbx.test>;tag=" + from_tag + "\r\n";
  m += "To: <sip:x@pbx.test>;tag=" + to_tag + "\r\nCall-ID: " + call_id + "\r\n";
  m += "CSeq: " + std::to_string(cseq) + " " + method + "\r\n";
  m += "Contact: <sip:" + from + "@" + ip + ":5060>\r\n" + extra;
  if (!body.empty()) m += "Content-Type: application/sdp\r\n";
  m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return m;
}

inline std::string sipfrag(const sip::Message& notify) {
  return std::string(notify.body());
}

class TransferTest : public CallFixture {
 protected:
  /// 1001 (A) ↔ 1002 (B) connected; 1003's phone (C) registered.
  void SetUp() override {
    a_tag = establish();
    ASSERT_FALSE(a_tag.empty());
    feed(from_caller("ACK", 1, a_tag), from_ip(kA));
    register_phone("1003", kC);
    b_call_id = std::string(*b_invite.value(sip::HeaderId::kCallId));
    pbx_tag_b = std::string(*sip::get_from(b_invite)->tag());
  }
  /// A request from B in its dialog with the PBX.
  std::string from_b(const std::string& method, uint32_t cseq, const std::string& extra = "") {
    return request(method, kB, "1002", "b1", pbx_tag_b, b_call_id, cseq, extra);
  }
  std::string from_a(const std::string& method, uint32_t cseq, const std::string& extra = "") {
    return request(method, kA, "1001", "a1", a_tag, "call-1", cseq, extra);
  }
  std::vector<sip::Message> requests_to(const std::string& ip, std::string_view method,
                                        size_t from = 0) const {
    // Each request once (UDP retransmissions left out).
    std::vector<sip::Message> out;
    std::set<std::string> seen_cseq;
    for (auto& m : sent_to(ip, from)) {
      if (!m.is_request() || m.method() != method) continue;
      const std::string key = std::string(m.value(sip::HeaderId::kCallId).value_or("")) + " " +
                              std::string(m.value(sip::HeaderId::kCSeq).value_or(""));
      if (seen_cseq.insert(key).second) out.push_back(m);
    }
    return out;
  }
  /// C answers the INVITE it got from the PBX.
  sip::Message answer_c(const std::string& tag = "c1") {
    auto inv = last_request(kC, "INVITE");
    EXPECT_TRUE(inv);
    feed(answer(*inv, 200, tag, sdp_body(kC, 6000), kC), from_ip(kC));
    return *inv;
  }

  std::string a_tag, b_call_id, pbx_tag_b;
};

}  // namespace switchboard::core::testing
