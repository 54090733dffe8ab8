#include "sdp/attributes.hpp"

#include <algorithm>
#include <bitset>
#include <string>

#include "sdp/tokens.hpp"

namespace switchboard::sdp::detail {
namespace {

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

std::optional<Direction> direction_named(std::string_view name) {
  std::string n(name);
  if (iequals(n, "sendrecv")) return Direction::kSendRecv;
  if (iequals(n, "sendonly")) return Direction::kSendOnly;
  if (iequals(n, "recvonly")) return Direction::kRecvOnly;
  if (iequals(n, "inactive")) return Direction::kInactive;
  return std::nullopt;
}

Status set_direction(std::optional<Direction>& slot, Direction d) {
  if (slot && *slot != d) return invalid("conflicting direction attributes");
  slot = d;
  return Status::Ok();
}

// "20" or the "20.0" some phones write; milliseconds, 1..10000.
Result<std::uint32_t> parse_ptime(std::string_view text) {
  std::size_t dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view frac = text.substr(dot + 1);
    if (frac.empty() || !parse_number(frac, 999999999)) return invalid("bad packet time");
  }
  auto ms = parse_number(whole, 10000);
  if (!ms || *ms == 0) return invalid("packet time must be 1-10000 ms");
  return static_cast<std::uint32_t>(*ms);
}

Result<RtpMap> parse_rtpmap(std::string_view text) {
  auto parts = split_spaces(text);
  if (parts.size() != 2) return invalid("rtpmap needs '<pt> <encoding>/<rate>'");
  auto pt = parse_number(parts[0], 127);
  if (!pt) return invalid("rtpmap payload type must be 0-127");
  RtpMap map;
  map.payload_type = static_cast<int>(*pt);
  std::string_view rest = parts[1];
  std::size_t slash = rest.find('/');
  if (slash == 0 || slash == std::string_view::npos) return invalid("rtpmap needs a clock rate");
  map.encoding = std::string(rest.substr(0, slash));
  rest = rest.substr(slash + 1);
  slash = rest.find('/');
  auto rate = parse_number(rest.substr(0, slash), 0xffffffffu);
  if (!rate || *rate == 0) return invalid("rtpmap clock rate is not a positive number");
  map.clock_rate = static_cast<std::uint32_t>(*rate);
  if (slash != std::string_view::npos) {
    auto channels = parse_number(rest.substr(slash + 1), 255);
    if (!channels || *channels == 0) return invalid("rtpmap channel count must be 1-255");
    map.channels = static_cast<std::uint32_t>(*channels);
  }
  return map;
}

Result<RtcpAttribute> parse_rtcp(std::string_view text) {
  text = trim_left(text);
  std::size_t space = text.find(' ');
  auto port = parse_number(text.substr(0, space), 65535);
  if (!port) return invalid("rtcp port must be 0-65535");
  RtcpAttribute rtcp;
  rtcp.port = static_cast<std::uint16_t>(*port);
  if (space != std::string_view::npos) {
    auto conn = parse_connection(text.substr(space + 1));
    if (!conn.ok()) return conn.error();
    rtcp.connection = std::move(conn).value();
  }
  return rtcp;
}

Attribute verbatim(std::string_view name, std::optional<std::string_view> value) {
  Attribute a{std::string(name), std::nullopt};
  if (value) a.value = std::string(*value);
  return a;
}

}  // namespace

Result<Connection> parse_connection(std::string_view text) {
  auto parts = split_spaces(text);
  if (parts.size() != 3) return invalid("connection needs 'IN <IP4|IP6> <address>'");
  if (!iequals(std::string(parts[0]), "IN")) return invalid("network type must be IN");
  Connection c;
  std::string type(parts[1]);
  if (iequals(type, "IP4")) {
    c.type = AddressType::kIp4;
  } else if (iequals(type, "IP6")) {
    c.type = AddressType::kIp6;
  } else {
    return invalid("address type must be IP4 or IP6");
  }
  c.address = std::string(parts[2]);
  return c;
}

Result<MediaDescription> parse_media_line(std::string_view text) {
  auto parts = split_spaces(text);
  if (parts.size() < 3) return invalid("m= needs '<media> <port> <proto> <fmt>...'");
  MediaDescription m;
  m.media = std::string(parts[0]);
  std::string_view port = parts[1];
  std::size_t slash = port.find('/');
  auto number = parse_number(port.substr(0, slash), 65535);
  if (!number) return invalid("m= port must be 0-65535");
  m.port = static_cast<std::uint16_t>(*number);
  if (slash != std::string_view::npos) {
    auto count = parse_number(port.substr(slash + 1), 65535);
    if (!count || *count == 0) return invalid("m= port count must be 1-65535");
    m.port_count = static_cast<std::uint16_t>(*count);
  }
  m.protocol = std::string(parts[2]);
  // A format listed twice has no meaning (RFC 4566 §5.14 lists each once)
  // and would make our answer list it twice too (found by fuzzing; for RTP,
  // "0" and "000" are the same payload type).
  auto twice = [](const std::string& f) { return invalid("m= lists format " + f + " twice"); };
  for (std::size_t i = 3; i < parts.size(); ++i) {
    if (std::find(m.formats.begin(), m.formats.end(), parts[i]) != m.formats.end()) {
      return twice(std::string(parts[i]));
    }
    m.formats.emplace_back(parts[i]);
  }
  if (m.formats.empty() && m.port != 0) return invalid("m= lists no formats");
  if (m.is_rtp()) {
    std::bitset<128> seen;
    for (const std::string& f : m.formats) {
      auto pt = parse_number(f, 127);
      if (!pt) return invalid("RTP payload type '" + f + "' is not 0-127");
      if (seen.test(*pt)) return twice(f);
      seen.set(*pt);
    }
  }
  return m;
}

Status parse_media_attribute(std::string_view name, std::optional<std::string_view> value,
                             MediaDescription& media) {
  std::string n(name);
  if (auto d = direction_named(name); d && !value) return set_direction(media.direction, *d);
  if (iequals(n, "rtcp-mux") && !value) {
    media.rtcp_mux = true;
    return Status::Ok();
  }
  if (!value) {
    media.attributes.push_back(verbatim(name, value));
    return Status::Ok();
  }
  if (iequals(n, "rtpmap")) {
    auto map = parse_rtpmap(*value);
    if (!map.ok()) return map.error();
    if (media.rtpmap(map->payload_type)) return invalid("two rtpmaps for one payload type");
    media.rtpmaps.push_back(std::move(map).value());
  } else if (iequals(n, "fmtp")) {
    std::string_view v = trim_left(*value);
    std::size_t space = v.find(' ');
    if (space == 0 || v.empty()) return invalid("fmtp needs a format");
    Fmtp f{std::string(v.substr(0, space)), ""};
    if (space != std::string_view::npos) f.parameters = std::string(trim_left(v.substr(space)));
    media.fmtps.push_back(std::move(f));
  } else if (iequals(n, "ptime") || iequals(n, "maxptime")) {
    auto ms = parse_ptime(*value);
    if (!ms.ok()) return ms.error();
    std::optional<std::uint32_t>& slot = iequals(n, "ptime") ? media.ptime : media.maxptime;
    if (slot) return invalid("repeated " + n);
    slot = *ms;
  } else if (iequals(n, "rtcp")) {
    if (media.rtcp) return invalid("repeated rtcp attribute");
    auto rtcp = parse_rtcp(*value);
    if (!rtcp.ok()) return rtcp.error();
    media.rtcp = std::move(rtcp).value();
  } else {
    media.attributes.push_back(verbatim(name, value));
  }
  return Status::Ok();
}

Status parse_session_attribute(std::string_view name, std::optional<std::string_view> value,
                               SessionDescription& session) {
  if (auto d = direction_named(name); d && !value) return set_direction(session.direction, *d);
  session.attributes.push_back(verbatim(name, value));
  return Status::Ok();
}

}  // namespace switchboard::sdp::detail
