// Building requests and responses. Message itself is the low-level builder
// (Message::request/response, add_header, set_body); these helpers encode the
// header-copying rules of RFC 3261 that every caller would otherwise repeat.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sip/message.hpp"

namespace switchboard::sip {

/// A response to `request` per RFC 3261 §8.2.6.2: Via fields (all, in order),
/// From, To, Call-ID and CSeq copied as written, Timestamp copied for 100
/// (§8.2.6.1). If `to_tag` is non-empty, the status is not 100 and To has no
/// tag yet, ";tag=<to_tag>" is appended to To.
Message make_response(const Message& request, int status_code, std::string_view reason,
                      std::string_view to_tag = {});

/// The standard reason phrase of a status code ("Not Found"), or "" if none.
std::string_view default_reason_phrase(int status_code);

/// The headers of a typical out-of-dialog request (RFC 3261 §8.1.1).
struct RequestParams {
  std::string_view method;
  std::string_view request_uri;
  std::string_view from;  ///< name-addr, e.g. "\"Alice\" <sip:alice@example.com>"
  std::string_view from_tag;
  std::string_view to;  ///< name-addr; no tag for out-of-dialog requests
  std::string_view call_id;
  std::uint32_t cseq = 1;
  std::string_view via_transport = "UDP";
  std::string_view via_sent_by;  ///< host[:port]
  std::string_view branch;       ///< must start with z9hG4bK
  int max_forwards = 70;
  std::string_view contact;  ///< name-addr; omitted if empty
  std::string_view content_type;
  std::string_view body;
};

/// Builds a request from `p` (Via, Max-Forwards, From, To, Call-ID, CSeq,
/// Contact, Content-Type, body with the matching Content-Length).
Message make_request(const RequestParams& p);

/// Sets Content-Type and the body (Content-Length follows from the body).
void set_body(Message& m, std::string_view content_type, std::string_view body);

/// `bytes` random bytes as lower-case hex, from OpenSSL's CSPRNG; for tags,
/// Call-IDs and branches (which must be unguessable, RFC 3261 §19.3).
std::string random_hex(std::size_t bytes);

/// A fresh branch: the magic cookie followed by 64 random bits.
std::string make_branch();

}  // namespace switchboard::sip
