#include "sdp/parser.hpp"

#include <algorithm>
#include <string>

#include "sdp/attributes.hpp"
#include "sdp/tokens.hpp"

namespace switchboard::sdp {
namespace {

using detail::parse_number;
using detail::split_spaces;

Error invalid(std::string message) {
  return make_error(ErrorCode::kInvalidArgument, std::move(message));
}

Error at_line(std::size_t number, char type, const std::string& message) {
  return invalid("line " + std::to_string(number) + " (" + std::string(1, type) + "=): " + message);
}

// Canonical position of a verbatim line so that serializing and re-parsing
// gives the same order (RFC 4566 §5: i u e p c b t r z k a).
int rank(char type) {
  switch (type) {
    case 'i':
    case 'u':
    case 'e':
    case 'p':
      return 0;
    case 'b':
      return 1;
    default:
      return 2;
  }
}

void sort_lines(std::vector<RawLine>& lines) {
  std::stable_sort(lines.begin(), lines.end(),
                   [](const RawLine& a, const RawLine& b) { return rank(a.type) < rank(b.type); });
}

// A control character other than tab cannot be written back safely.
bool has_control(std::string_view line) {
  return std::any_of(line.begin(), line.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

Result<Origin> parse_origin(std::string_view text) {
  auto parts = split_spaces(text);
  if (parts.size() != 6) return invalid("o= needs six fields");
  Origin o;
  o.username = std::string(parts[0]);
  o.session_id = std::string(parts[1]);
  auto version = parse_number(parts[2], UINT64_MAX);
  if (!version) return invalid("session version is not a number");
  o.version = *version;
  std::string tail =
      std::string(parts[3]) + " " + std::string(parts[4]) + " " + std::string(parts[5]);
  auto conn = detail::parse_connection(tail);
  if (!conn.ok()) return conn.error();
  o.type = conn->type;
  o.address = conn->address;
  return o;
}

// State of the line loop: which section we are in and what it has seen.
struct Parse {
  SessionDescription sd;
  bool have_origin = false;
  bool have_name = false;
  bool have_timing = false;
  MediaDescription* media = nullptr;
};

Status parse_line(Parse& p, char type, std::string_view value) {
  if (type == 'm') {
    auto m = detail::parse_media_line(value);
    if (!m.ok()) return m.error();
    p.sd.media.push_back(std::move(m).value());
    p.media = &p.sd.media.back();
    return Status::Ok();
  }
  if (type == 'a') {
    std::size_t colon = value.find(':');
    std::string_view name = value.substr(0, colon);
    if (name.empty()) return invalid("attribute without a name");
    std::optional<std::string_view> attr_value;
    if (colon != std::string_view::npos) attr_value = value.substr(colon + 1);
    if (p.media) return detail::parse_media_attribute(name, attr_value, *p.media);
    return detail::parse_session_attribute(name, attr_value, p.sd);
  }
  if (type == 'c') {
    auto conn = detail::parse_connection(value);
    if (!conn.ok()) return conn.error();
    std::optional<Connection>& slot = p.media ? p.media->connection : p.sd.connection;
    if (slot) return invalid("repeated c= line");
    slot = std::move(conn).value();
    return Status::Ok();
  }
  if (p.media) {  // i=, b=, k= and unknown types of a media section
    if (type == 'v' || type == 'o' || type == 's' || type == 't') {
      return invalid("session-level line inside a media section");
    }
    p.media->lines.push_back(RawLine{type, std::string(value)});
    return Status::Ok();
  }
  switch (type) {
    case 'v':
      return invalid("repeated v= line");
    case 'o': {
      if (p.have_origin) return invalid("repeated o= line");
      auto origin = parse_origin(value);
      if (!origin.ok()) return origin.error();
      p.sd.origin = std::move(origin).value();
      p.have_origin = true;
      return Status::Ok();
    }
    case 's':
      if (p.have_name) return invalid("repeated s= line");
      p.sd.session_name = std::string(value);
      p.have_name = true;
      return Status::Ok();
    case 't':
      if (!p.have_timing) p.sd.timing.clear();
      p.have_timing = true;
      if (split_spaces(value).size() != 2) return invalid("t= needs '<start> <stop>'");
      p.sd.timing.emplace_back(value);
      return Status::Ok();
    default:
      p.sd.lines.push_back(RawLine{type, std::string(value)});
      return Status::Ok();
  }
}

Status check(const SessionDescription& sd) {
  for (std::size_t i = 0; i < sd.media.size(); ++i) {
    const MediaDescription& m = sd.media[i];
    if (m.port != 0 && !sd.connection_of(m)) {
      return invalid("m= line " + std::to_string(i + 1) + " (" + m.media +
                     ") has no connection address");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<SessionDescription> parse(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) return invalid("description is too large");
  Parse p;
  std::size_t number = 0;
  std::size_t count = 0;
  bool have_version = false;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++number;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
      line.remove_suffix(1);
    }
    if (line.empty()) continue;
    if (++count > limits.max_lines) return invalid("too many lines");
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
      return invalid("line " + std::to_string(number) + " is not '<letter>=<value>'");
    }
    if (has_control(line)) return at_line(number, line[0], "control character");
    char type = line[0];
    std::string_view value = line.substr(2);
    if (!have_version) {
      if (type != 'v') return at_line(number, type, "a description starts with v=0");
      if (value != "0") return at_line(number, type, "only version 0 is known");
      have_version = true;
      continue;
    }
    if (!p.have_origin && type != 'o') return at_line(number, type, "o= must follow v=");
    if (type == 'm' && p.sd.media.size() >= limits.max_media) return invalid("too many m= lines");
    Status status = parse_line(p, type, value);
    if (!status.ok()) return at_line(number, type, status.error().message);
  }
  if (!have_version) return invalid("empty description");
  if (!p.have_origin) return invalid("no o= line");
  sort_lines(p.sd.lines);
  for (MediaDescription& m : p.sd.media) sort_lines(m.lines);
  Status valid = check(p.sd);
  if (!valid.ok()) return valid.error();
  return std::move(p.sd);
}

}  // namespace switchboard::sdp
