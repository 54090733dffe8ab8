// The messages every SIP parse benchmark uses (ours and the oSIP reference),
// so the figures in docs/PERFORMANCE.md compare like with like.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::bench {

inline std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

inline const std::string kInvite = crlf(
    "INVITE sip:1002@pbx.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---77ba3f8e5c6b4d12;rport\n"
    "Max-Forwards: 70\n"
    "Contact: <sip:1001@192.0.2.10:5060;transport=udp>\n"
    "To: <sip:1002@pbx.example.com>\n"
    "From: \"Alice Example\" <sip:1001@pbx.example.com>;tag=4b9e7a21\n"
    "Call-ID: 8Jq2bJ0dLw9Xe1mV3kQ7pA..\n"
    "CSeq: 1 INVITE\n"
    "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\n"
    "Content-Type: application/sdp\n"
    "Supported: replaces, norefersub, timer\n"
    "User-Agent: Z 5.6.4 v2.10.20.5\n"
    "Allow-Events: presence, kpml, talk\n"
    "Content-Length: 224\n"
    "\n"
    "v=0\n"
    "o=Z 1700000000 1 IN IP4 192.0.2.10\n"
    "s=Z\n"
    "c=IN IP4 192.0.2.10\n"
    "t=0 0\n"
    "m=audio 8000 RTP/AVP 0 8 101\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-16\n"
    "a=sendrecv\n"
    "a=ptime:20\n");

inline const std::string kRegister = crlf(
    "REGISTER sip:pbx.example.com SIP/2.0\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---9a0c1d2e3f4a5b6c;rport\n"
    "Max-Forwards: 70\n"
    "Contact: <sip:1001@192.0.2.10:5060;rinstance=5f8c0e3b7a1d2c4e;transport=udp>;expires=3600\n"
    "To: <sip:1001@pbx.example.com>\n"
    "From: <sip:1001@pbx.example.com>;tag=93ab17c2\n"
    "Call-ID: Yz3kP0qLw8Rt5uVx1mN2bC..\n"
    "CSeq: 2 REGISTER\n"
    "Expires: 3600\n"
    "Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\n"
    "Supported: replaces, norefersub, extended-refer, timer, outbound, path, X-cisco-serviceuri\n"
    "User-Agent: Z 5.6.4 v2.10.20.5\n"
    "Authorization: Digest username=\"1001\",realm=\"pbx.example.com\","
    "nonce=\"AAAAAGVTAQBgq3Jb0v3oWQk8eC0mS1vQpZy2xF7nL4hD8aRtUoEwIcKjYbNmHsGq\","
    "uri=\"sip:pbx.example.com\",response=\"0f5a8e1b2c3d4e5f60718293a4b5c6d7\","
    "cnonce=\"c2b9a1f0e3d4\",nc=00000001,qop=auth,algorithm=MD5,opaque=\"b3BhcXVl\"\n"
    "Allow-Events: presence, kpml, talk\n"
    "Content-Length: 0\n"
    "\n");

inline const std::string kOk = crlf(
    "SIP/2.0 200 OK\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-524287-1---77ba3f8e5c6b4d12;rport=5060;"
    "received=192.0.2.10\n"
    "Record-Route: <sip:192.0.2.1;lr>\n"
    "Contact: <sip:1002@192.0.2.20:5062>\n"
    "To: <sip:1002@pbx.example.com>;tag=as6f1e2d3c\n"
    "From: \"Alice Example\" <sip:1001@pbx.example.com>;tag=4b9e7a21\n"
    "Call-ID: 8Jq2bJ0dLw9Xe1mV3kQ7pA..\n"
    "CSeq: 1 INVITE\n"
    "Server: Switchboard/0.1\n"
    "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE\n"
    "Supported: replaces, timer\n"
    "Content-Length: 0\n"
    "\n");

}  // namespace switchboard::bench
