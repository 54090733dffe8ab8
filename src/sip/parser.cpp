#include "sip/parser.hpp"

#include <cstring>

#include "sip/grammar.hpp"

namespace switchboard::sip {
namespace {

using Access = MessageBuilderAccess;
constexpr std::size_t npos = std::string_view::npos;

Error parse_error(const char* phrase) {
  return make_error(ErrorCode::kInvalidArgument, phrase);
}

// "SIP/" 1*DIGIT "." 1*DIGIT, "SIP" in any case (RFC 3261 §25.1).
bool is_sip_version(std::string_view v) {
  if (v.size() < 7 || !grammar::iequals(v.substr(0, 4), "SIP/")) return false;
  const std::size_t dot = v.find('.', 4);
  if (dot == npos || dot == 4 || dot + 1 == v.size()) return false;
  for (std::size_t i = 4; i < v.size(); ++i) {
    if (i != dot && !grammar::is_digit(v[i])) return false;
  }
  return true;
}

// scheme ":" with scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
bool has_uri_scheme(std::string_view uri) {
  if (uri.empty() || !grammar::is_alpha(uri[0])) return false;
  for (std::size_t i = 1; i < uri.size(); ++i) {
    if (uri[i] == ':') return i + 1 < uri.size();
    if (!grammar::is_scheme_char(uri[i])) return false;
  }
  return false;
}

struct Line {
  std::size_t begin;  // first octet
  std::size_t end;    // one past the last octet, CR excluded
  std::size_t next;   // first octet of the next line
};

// Finds the line starting at `pos`; false if no LF follows.
bool next_line(const char* data, std::size_t n, std::size_t pos, Line& line) {
  const void* lf = std::memchr(data + pos, '\n', n - pos);
  if (lf == nullptr) return false;
  const std::size_t eol = static_cast<std::size_t>(static_cast<const char*>(lf) - data);
  line.begin = pos;
  line.end = (eol > pos && data[eol - 1] == '\r') ? eol - 1 : eol;
  line.next = eol + 1;
  return true;
}

class Parser {
 public:
  Parser(Message& m, const ParseLimits& limits, bool lenient)
      : m_(m), limits_(limits), lenient_(lenient) {}

  Result<std::size_t> run(Framing framing) {
    std::string& buf = Access::buffer(m_);
    data_ = buf.data();
    n_ = buf.size();
    if (n_ > limits_.max_message_size) return parse_error("Message Too Large");

    // Leading CRLFs before the start line are ignored (RFC 3261 §7.5).
    std::size_t pos = 0;
    while (pos < n_ && (data_[pos] == '\r' || data_[pos] == '\n')) ++pos;
    if (pos == n_) return parse_error("Empty Message");

    Line line;
    if (!next_line(data_, n_, pos, line)) return parse_error("Incomplete Message");
    if (line.end - line.begin > limits_.max_line_length) return parse_error("Line Too Long");
    if (const char* err = start_line(line)) return parse_error(err);

    Result<std::size_t> body_start = headers(line.next);
    if (!body_start.ok()) return body_start.error();
    if (lenient_) return *body_start;
    if (const char* err = frame_body(*body_start, framing)) return parse_error(err);
    return *body_start;
  }

 private:
  std::string_view text(std::size_t b, std::size_t e) const {
    return std::string_view(data_ + b, e - b);
  }

  const char* start_line(const Line& l) {
    const std::string_view s = text(l.begin, l.end);
    if (s.size() >= 4 && grammar::iequals(s.substr(0, 4), "SIP/")) return status_line(l, s);

    const std::size_t sp1 = s.find(' ');
    if (lenient_) {
      const std::size_t mlen = grammar::token_length(s);
      if (mlen == 0) return "Malformed Request-Line";
      Access::set_request_line(m_, l.begin, mlen, l.begin + mlen, 0, l.begin + mlen, 0);
      return nullptr;
    }
    // Exactly one SP between the three elements and none after the version
    // (RFC 3261 §7.1). RFC 4475 §3.1.2.8–3.1.2.10 allow a liberal reading;
    // we reject, with a phrase that says which rule was broken.
    if (sp1 == npos) return "Malformed Request-Line";
    if (grammar::is_ws(s.back())) return "Trailing Whitespace In Request-Line";
    if (s.find("  ") != npos || s.find('\t') != npos) return "Extra Whitespace In Request-Line";
    const std::size_t sp2 = s.rfind(' ');
    if (sp2 == sp1) return "Malformed Request-Line";
    const std::string_view method = s.substr(0, sp1);
    const std::string_view uri = s.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = s.substr(sp2 + 1);
    if (uri.find(' ') != npos) return "Whitespace In Request-URI";
    if (!grammar::is_token(method)) return "Malformed Method";
    if (!has_uri_scheme(uri)) return "Malformed Request-URI";
    if (!is_sip_version(version)) return "Malformed SIP Version";
    Access::set_request_line(m_, l.begin, sp1, l.begin + sp1 + 1, uri.size(), l.begin + sp2 + 1,
                             version.size());
    return nullptr;
  }

  const char* status_line(const Line& l, std::string_view s) {
    const std::size_t sp1 = s.find(' ');
    if (sp1 == npos || !is_sip_version(s.substr(0, sp1))) return "Malformed Status-Line";
    // Status-Code = 3DIGIT; anything longer (RFC 4475 §3.1.2.19) is invalid.
    const std::string_view rest = s.substr(sp1 + 1);
    if (rest.size() < 3 || !grammar::is_digit(rest[0]) || !grammar::is_digit(rest[1]) ||
        !grammar::is_digit(rest[2]) || (rest.size() > 3 && rest[3] != ' ')) {
      return "Malformed Status-Code";
    }
    const int code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
    if (code < 100 || code > 699) return "Status-Code Out Of Range";
    // The SP before an empty reason phrase is required, but a liberal
    // receiver accepts its absence (RFC 4475 §3.1.1.13).
    const std::size_t reason_off = rest.size() > 3 ? sp1 + 5 : s.size();
    Access::set_status_line(m_, l.begin, sp1, code, l.begin + reason_off, s.size() - reason_off);
    return nullptr;
  }

  Result<std::size_t> headers(std::size_t pos) {
    bool open = false;  // a header is being accumulated
    std::size_t name_b = 0, name_e = 0, value_b = 0, value_e = 0;
    std::size_t count = 0;
    Line line;
    for (;;) {
      if (pos >= n_ || !next_line(data_, n_, pos, line)) {
        if (!lenient_) return parse_error("Incomplete Header Section");
        line = Line{pos, n_, n_};
        if (pos >= n_) break;
      }
      if (line.end == line.begin) {  // the empty line ending the headers
        pos = line.next;
        break;
      }
      if (line.end - line.begin > limits_.max_line_length) return parse_error("Line Too Long");

      if (grammar::is_ws(data_[line.begin])) {
        // A continuation line: the CRLF before it becomes whitespace
        // (RFC 3261 §7.3.1), done in place so the value stays one view.
        if (!open) {
          if (!lenient_) return parse_error("Misplaced Continuation Line");
        } else {
          std::memset(data_ + value_e, ' ', line.begin - value_e);
          value_e = line.end;
        }
        pos = line.next;
        continue;
      }

      if (open) finish(name_b, name_e, value_b, value_e);
      open = false;
      const std::size_t tlen = grammar::token_length(text(line.begin, line.end));
      std::size_t colon = line.begin + tlen;
      while (colon < line.end && grammar::is_ws(data_[colon])) ++colon;
      if (tlen == 0 || colon == line.end || data_[colon] != ':') {
        if (!lenient_) return parse_error("Malformed Header Line");
        pos = line.next;
        continue;
      }
      if (++count > limits_.max_header_count) return parse_error("Too Many Headers");
      open = true;
      name_b = line.begin;
      name_e = line.begin + tlen;
      value_b = colon + 1;
      value_e = line.end;
      pos = line.next;
    }
    if (open) finish(name_b, name_e, value_b, value_e);
    return pos;
  }

  void finish(std::size_t name_b, std::size_t name_e, std::size_t value_b, std::size_t value_e) {
    while (value_b < value_e && grammar::is_ws(data_[value_b])) ++value_b;
    while (value_e > value_b && grammar::is_ws(data_[value_e - 1])) --value_e;
    const HeaderId id = header_id_from_name(text(name_b, name_e));
    if (id == HeaderId::kContentLength) note_content_length(text(value_b, value_e));
    Access::add_header(m_, name_b, name_e - name_b, value_b, value_e - value_b, id);
  }

  // Content-Length is checked as its header is finished, so framing needs
  // no second pass over the headers.
  void note_content_length(std::string_view value) {
    std::uint64_t v = 0;
    // Digits only: "-999" and "five" are framing errors (RFC 4475 §3.1.2.3).
    if (!grammar::parse_uint(value, limits_.max_message_size, v)) {
      if (cl_error_ == nullptr) {
        cl_error_ = !value.empty() && grammar::is_digit(value[0]) ? "Content-Length Too Large"
                                                                  : "Bad Content-Length";
      }
      return;
    }
    if (cl_seen_ && v != cl_value_ && cl_error_ == nullptr) {
      cl_error_ = "Conflicting Content-Length";  // RFC 4475 §3.3.9
    }
    cl_seen_ = true;
    cl_value_ = v;
  }

  const char* frame_body(std::size_t body_b, Framing framing) {
    if (cl_error_ != nullptr) return cl_error_;
    bool seen = cl_seen_;
    std::uint64_t length = cl_value_;
    const std::size_t available = n_ - body_b;
    if (!seen) {
      if (framing == Framing::kStream) return "Missing Content-Length";
      // RFC 2543 style datagram: the body is the rest (RFC 4475 §3.4.1).
      length = available;
    }
    if (length > available) return "Content-Length Exceeds Message";  // §3.1.2.2
    Access::set_body(m_, body_b, static_cast<std::size_t>(length));
    return nullptr;
  }

  Message& m_;
  const ParseLimits& limits_;
  bool lenient_;
  char* data_ = nullptr;
  std::size_t n_ = 0;
  bool cl_seen_ = false;
  std::uint64_t cl_value_ = 0;
  const char* cl_error_ = nullptr;
};

Result<Message> parse(std::string& buffer, const ParseLimits& limits, Framing framing,
                      bool lenient) {
  Message m;
  Access::adopt(m, std::move(buffer));
  Parser p(m, limits, lenient);
  Result<std::size_t> r = p.run(framing);
  if (!r.ok()) {
    buffer = std::move(Access::buffer(m));
    return r.error();
  }
  return m;
}

}  // namespace

Result<Message> parse_message(std::string buffer, const ParseLimits& limits, Framing framing) {
  return parse(buffer, limits, framing, false);
}

Result<Message> try_parse_message(std::string& buffer, const ParseLimits& limits, Framing framing) {
  return parse(buffer, limits, framing, false);
}

Result<Message> parse_message_leniently(std::string buffer, const ParseLimits& limits) {
  return parse(buffer, limits, Framing::kDatagram, true);
}

}  // namespace switchboard::sip
