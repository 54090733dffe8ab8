#include "sip/builder.hpp"

#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <random>
#include <utility>
#include <vector>

#include "sip/name_addr.hpp"
#include "sip/via.hpp"

namespace switchboard::sip {
namespace {

std::string number(long long n) {
  char digits[24];
  const auto res = std::to_chars(digits, digits + sizeof(digits), n);
  return std::string(digits, res.ptr);
}

constexpr std::array<std::pair<int, std::string_view>, 54> kReasons{{
    {100, "Trying"},
    {180, "Ringing"},
    {181, "Call Is Being Forwarded"},
    {182, "Queued"},
    {183, "Session Progress"},
    {199, "Early Dialog Terminated"},
    {200, "OK"},
    {202, "Accepted"},
    {204, "No Notification"},
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Moved Temporarily"},
    {305, "Use Proxy"},
    {380, "Alternative Service"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {410, "Gone"},
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Unsupported URI Scheme"},
    {420, "Bad Extension"},
    {421, "Extension Required"},
    {422, "Session Interval Too Small"},
    {423, "Interval Too Brief"},
    {480, "Temporarily Unavailable"},
    {481, "Call/Transaction Does Not Exist"},
    {482, "Loop Detected"},
    {483, "Too Many Hops"},
    {484, "Address Incomplete"},
    {485, "Ambiguous"},
    {486, "Busy Here"},
    {487, "Request Terminated"},
    {488, "Not Acceptable Here"},
    {489, "Bad Event"},
    {491, "Request Pending"},
    {493, "Undecipherable"},
    {500, "Server Internal Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Server Time-out"},
    {505, "Version Not Supported"},
    {513, "Message Too Large"},
    {600, "Busy Everywhere"},
    {603, "Decline"},
    {604, "Does Not Exist Anywhere"},
}};

}  // namespace

std::string_view default_reason_phrase(int status_code) {
  for (const auto& [code, phrase] : kReasons) {
    if (code == status_code) return phrase;
  }
  return {};
}

Message make_response(const Message& request, int status_code, std::string_view reason,
                      std::string_view to_tag) {
  Message r = Message::response(status_code, reason);
  for (std::size_t i = 0; i < request.header_count(); ++i) {
    const HeaderField h = request.header(i);
    switch (h.id) {
      case HeaderId::kVia:
      case HeaderId::kFrom:
      case HeaderId::kCallId:
      case HeaderId::kCSeq:
        r.add_header(h.id, h.value);
        break;
      case HeaderId::kTimestamp:
        if (status_code == 100) r.add_header(h.id, h.value);
        break;
      case HeaderId::kTo: {
        // Only add a tag to a To we can read: appending to a malformed value
        // (the 400 for RFC 4475 §3.1.2.6) would not make it a valid one.
        if (!to_tag.empty() && status_code != 100) {
          Result<NameAddr> to = parse_name_addr(h.value);
          if (to.ok() && !to->tag()) {
            std::string tagged(h.value);
            tagged.append(";tag=").append(to_tag);
            r.add_header(h.id, tagged);
            break;
          }
        }
        r.add_header(h.id, h.value);
        break;
      }
      default:
        break;
    }
  }
  return r;
}

Message make_request(const RequestParams& p) {
  Message m = Message::request(p.method, p.request_uri);
  std::string via = "SIP/2.0/";
  via.append(p.via_transport).append(" ").append(p.via_sent_by);
  via.append(";branch=").append(p.branch);
  m.add_header(HeaderId::kVia, via);
  m.add_header(HeaderId::kMaxForwards, number(p.max_forwards));
  std::string from(p.from);
  if (!p.from_tag.empty()) from.append(";tag=").append(p.from_tag);
  m.add_header(HeaderId::kFrom, from);
  m.add_header(HeaderId::kTo, p.to);
  m.add_header(HeaderId::kCallId, p.call_id);
  std::string cseq = number(p.cseq);
  cseq.append(" ").append(p.method);
  m.add_header(HeaderId::kCSeq, cseq);
  if (!p.contact.empty()) m.add_header(HeaderId::kContact, p.contact);
  if (!p.content_type.empty() || !p.body.empty()) {
    set_body(m, p.content_type, p.body);
  } else {
    m.set_body({});
  }
  return m;
}

void set_body(Message& m, std::string_view content_type, std::string_view body) {
  if (!content_type.empty()) m.set_header(HeaderId::kContentType, content_type);
  m.set_body(body);
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  if (RAND_bytes(raw.data(), static_cast<int>(raw.size())) != 1) {
    // OpenSSL's DRBG only fails without OS entropy; fall back rather than
    // hand out predictable tags.
    std::random_device rd;
    for (unsigned char& b : raw) b = static_cast<unsigned char>(rd());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : raw) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

std::string make_branch() {
  return std::string(kBranchMagicCookie) + random_hex(8);
}

}  // namespace switchboard::sip
