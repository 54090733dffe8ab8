#include "sdp/session.hpp"

#include <algorithm>
#include <cctype>

namespace switchboard::sdp {

const char* to_string(Direction direction) {
  switch (direction) {
    case Direction::kSendRecv:
      return "sendrecv";
    case Direction::kSendOnly:
      return "sendonly";
    case Direction::kRecvOnly:
      return "recvonly";
    case Direction::kInactive:
      return "inactive";
  }
  return "sendrecv";
}

Direction make_direction(bool send, bool receive) {
  if (send && receive) return Direction::kSendRecv;
  if (send) return Direction::kSendOnly;
  if (receive) return Direction::kRecvOnly;
  return Direction::kInactive;
}

AddressType address_type_of(const std::string& address) {
  return address.find(':') != std::string::npos ? AddressType::kIp6 : AddressType::kIp4;
}

bool iequals(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool MediaDescription::is_rtp() const {
  return protocol.rfind("RTP/", 0) == 0;
}

const RtpMap* MediaDescription::rtpmap(int payload_type) const {
  for (const RtpMap& map : rtpmaps) {
    if (map.payload_type == payload_type) return &map;
  }
  return nullptr;
}

const std::string* MediaDescription::fmtp(const std::string& format) const {
  for (const Fmtp& f : fmtps) {
    if (f.format == format) return &f.parameters;
  }
  return nullptr;
}

const Connection* SessionDescription::connection_of(const MediaDescription& m) const {
  if (m.connection) return &*m.connection;
  if (connection) return &*connection;
  return nullptr;
}

Direction SessionDescription::effective_direction(const MediaDescription& m) const {
  if (m.direction) return *m.direction;
  if (direction) return *direction;
  return Direction::kSendRecv;
}

}  // namespace switchboard::sdp
