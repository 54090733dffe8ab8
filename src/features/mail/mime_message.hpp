// An Internet message (RFC 5322) with MIME (RFC 2045-2047): a text body and
// at most one attachment, base64 in lines of 76 characters. Built here
// rather than with curl_mime so that the exact bytes are unit-tested and the
// same text can be stored, logged (without the attachment) or resent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace switchboard::features::mail {

struct Attachment {
  std::string filename;      ///< e.g. "voicemail-1001-42.wav"
  std::string content_type;  ///< e.g. "audio/wav"
  std::string data;          ///< the raw bytes
};

struct MailMessage {
  std::string from_address;
  std::string from_name;  ///< may be empty
  std::string to_address;
  std::string subject;
  std::string text_body;  ///< UTF-8, "\n" line ends
  std::optional<Attachment> attachment;
  std::string date;        ///< RFC 5322 date (rfc5322_date())
  std::string message_id;  ///< "<unique@domain>"
  /// Extra headers ("X-Switchboard-Mailbox: 1001"), each one line.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// kInvalidArgument unless `address` looks like local@domain with no space,
/// control character, angle bracket or comma (it goes into MAIL FROM/RCPT TO
/// and a header verbatim).
Status check_address(std::string_view address);

/// Base64 of `data` in CRLF-terminated lines of at most 76 characters.
std::string base64_lines(std::string_view data);

/// `text` as is when it is printable ASCII, else one or more RFC 2047
/// encoded words ("=?UTF-8?B?...?=").
std::string encode_header_text(std::string_view text);

/// The whole message with CRLF line ends. `boundary` separates the MIME parts
/// (only used with an attachment); it must not occur in the body.
Result<std::string> build_mime(const MailMessage& message, std::string_view boundary);

/// A fresh random token (boundaries, Message-IDs): 32 hex digits.
std::string random_token();

}  // namespace switchboard::features::mail
