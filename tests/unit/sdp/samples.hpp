// Realistic session descriptions, written after what these phones send
// (addresses from the documentation ranges). Also the fuzzer's seed corpus.
#pragma once

namespace switchboard::sdp::samples {

/// A Polycom/Yealink-style desk phone: PCMU, PCMA, G722, telephone-event,
/// session-level c=, ptime, sendrecv.
inline constexpr const char* kDeskPhone =
    "v=0\r\n"
    "o=- 20518 0 IN IP4 192.0.2.31\r\n"
    "s=SDP data\r\n"
    "c=IN IP4 192.0.2.31\r\n"
    "t=0 0\r\n"
    "m=audio 11780 RTP/AVP 9 0 8 18 101\r\n"
    "a=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=fmtp:18 annexb=no\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n";

/// baresip 1.x: LF-only, a=rtcp, a=ssrc, label attributes.
inline constexpr const char* kBaresip =
    "v=0\n"
    "o=- 1712131803 1712131804 IN IP4 198.51.100.7\n"
    "s=-\n"
    "c=IN IP4 198.51.100.7\n"
    "t=0 0\n"
    "a=tool:baresip 1.0.0\n"
    "m=audio 10142 RTP/AVP 0 8 101\n"
    "b=AS:64\n"
    "a=rtpmap:0 PCMU/8000\n"
    "a=rtpmap:8 PCMA/8000\n"
    "a=rtpmap:101 telephone-event/8000\n"
    "a=fmtp:101 0-15\n"
    "a=rtcp:10143\n"
    "a=sendrecv\n"
    "a=label:1\n"
    "a=ssrc:2839910 cname:a1b2c3d4@baresip\n"
    "a=ptime:20\n";

/// Linphone with opus first, dynamic payload types, rtcp-fb, media-level c=.
inline constexpr const char* kLinphone =
    "v=0\r\n"
    "o=alice 3124 2389 IN IP4 203.0.113.50\r\n"
    "s=Talk\r\n"
    "c=IN IP4 203.0.113.50\r\n"
    "t=0 0\r\n"
    "a=ice-pwd:4d3f8c0e1b2a\r\n"
    "a=ice-ufrag:9c1a\r\n"
    "a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics\r\n"
    "m=audio 7078 RTP/AVP 96 97 98 0 8 101 99 100\r\n"
    "c=IN IP4 203.0.113.50\r\n"
    "a=rtpmap:96 opus/48000/2\r\n"
    "a=fmtp:96 useinbandfec=1\r\n"
    "a=rtpmap:97 SILK/16000\r\n"
    "a=rtpmap:98 speex/16000\r\n"
    "a=fmtp:98 vbr=on\r\n"
    "a=rtpmap:101 telephone-event/48000\r\n"
    "a=rtpmap:99 telephone-event/16000\r\n"
    "a=rtpmap:100 telephone-event/8000\r\n"
    "a=candidate:1 1 UDP 2130706431 203.0.113.50 7078 typ host\r\n"
    "a=rtcp-fb:* trr-int 1000\r\n"
    "a=rtcp-fb:* ccm tmmbr\r\n";

/// Audio and video; the PBX carries no video, so the answer rejects it.
inline constexpr const char* kAudioVideo =
    "v=0\r\n"
    "o=bob 2890844526 2890842807 IN IP4 192.0.2.77\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.77\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0 101\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "m=video 51372 RTP/AVP 99\r\n"
    "b=AS:512\r\n"
    "a=rtpmap:99 H264/90000\r\n"
    "a=fmtp:99 profile-level-id=42e01f;packetization-mode=1\r\n";

/// A hold re-offer in the legacy form: c=0.0.0.0 (RFC 2543).
inline constexpr const char* kLegacyHold =
    "v=0\r\n"
    "o=- 20518 1 IN IP4 192.0.2.31\r\n"
    "s=SDP data\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "t=0 0\r\n"
    "m=audio 11780 RTP/AVP 0 101\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n";

/// IPv6, rtcp-mux and a=rtcp with its own address.
inline constexpr const char* kIpv6 =
    "v=0\r\n"
    "o=- 5 5 IN IP6 2001:db8::10\r\n"
    "s=-\r\n"
    "c=IN IP6 2001:db8::10\r\n"
    "t=0 0\r\n"
    "m=audio 30000 RTP/AVP 8 0 101\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=rtcp:30000 IN IP6 2001:db8::10\r\n"
    "a=rtcp-mux\r\n"
    "a=ptime:30\r\n";

}  // namespace switchboard::sdp::samples
