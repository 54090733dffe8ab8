#include "sdp/serializer.hpp"

namespace switchboard::sdp {
namespace {

const char* type_name(AddressType type) {
  return type == AddressType::kIp6 ? "IP6" : "IP4";
}

void line(std::string& out, char type, const std::string& value) {
  out += type;
  out += '=';
  out += value;
  out += "\r\n";
}

std::string connection_text(const Connection& c) {
  return std::string("IN ") + type_name(c.type) + " " + c.address;
}

// Verbatim lines whose rank (see parser.cpp) is in [from, to].
void raw_lines(std::string& out, const std::vector<RawLine>& lines, int from, int to) {
  for (const RawLine& l : lines) {
    int rank = (l.type == 'i' || l.type == 'u' || l.type == 'e' || l.type == 'p') ? 0
               : l.type == 'b'                                                    ? 1
                                                                                  : 2;
    if (rank >= from && rank <= to) line(out, l.type, l.value);
  }
}

void attribute(std::string& out, const Attribute& a) {
  line(out, 'a', a.value ? a.name + ":" + *a.value : a.name);
}

void media_section(std::string& out, const MediaDescription& m) {
  std::string value = m.media + " " + std::to_string(m.port);
  if (m.port_count) value += "/" + std::to_string(*m.port_count);
  value += " " + m.protocol;
  for (const std::string& f : m.formats) value += " " + f;
  line(out, 'm', value);
  raw_lines(out, m.lines, 0, 0);
  if (m.connection) line(out, 'c', connection_text(*m.connection));
  raw_lines(out, m.lines, 1, 2);
  for (const RtpMap& map : m.rtpmaps) {
    std::string v = std::to_string(map.payload_type) + " " + map.encoding + "/" +
                    std::to_string(map.clock_rate);
    if (map.channels) v += "/" + std::to_string(*map.channels);
    line(out, 'a', "rtpmap:" + v);
  }
  for (const Fmtp& f : m.fmtps) {
    line(out, 'a', "fmtp:" + f.format + (f.parameters.empty() ? "" : " " + f.parameters));
  }
  if (m.ptime) line(out, 'a', "ptime:" + std::to_string(*m.ptime));
  if (m.maxptime) line(out, 'a', "maxptime:" + std::to_string(*m.maxptime));
  if (m.rtcp) {
    std::string v = "rtcp:" + std::to_string(m.rtcp->port);
    if (m.rtcp->connection) v += " " + connection_text(*m.rtcp->connection);
    line(out, 'a', v);
  }
  if (m.rtcp_mux) line(out, 'a', "rtcp-mux");
  for (const Attribute& a : m.attributes) attribute(out, a);
  if (m.direction) line(out, 'a', to_string(*m.direction));
}

}  // namespace

std::string serialize(const SessionDescription& sd) {
  std::string out;
  out.reserve(512);
  line(out, 'v', "0");
  const Origin& o = sd.origin;
  line(out, 'o',
       o.username + " " + o.session_id + " " + std::to_string(o.version) + " IN " +
           type_name(o.type) + " " + o.address);
  line(out, 's', sd.session_name.empty() ? " " : sd.session_name);
  raw_lines(out, sd.lines, 0, 0);
  if (sd.connection) line(out, 'c', connection_text(*sd.connection));
  raw_lines(out, sd.lines, 1, 1);
  if (sd.timing.empty()) line(out, 't', "0 0");
  for (const std::string& t : sd.timing) line(out, 't', t);
  raw_lines(out, sd.lines, 2, 2);
  for (const Attribute& a : sd.attributes) attribute(out, a);
  if (sd.direction) line(out, 'a', to_string(*sd.direction));
  for (const MediaDescription& m : sd.media) media_section(out, m);
  return out;
}

}  // namespace switchboard::sdp
