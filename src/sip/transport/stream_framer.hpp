// Splits a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3): headers end
// at the first empty line, the body is Content-Length bytes (mandatory on
// streams). Also recognises RFC 5626 keep-alives: a double CRLF "ping" between
// messages, which the transport answers with a single CRLF "pong".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sip {

class StreamFramer {
 public:
  struct Limits {
    size_t max_message_bytes = 64 * 1024;  ///< headers + body
    size_t max_header_bytes = 16 * 1024;   ///< before the empty line
  };

  enum class Error {
    kNone,
    kTooLarge,              ///< message or header block over the limits
    kBadContentLength,      ///< missing, negative, non-numeric or repeated
  };

  struct Output {
    std::vector<std::string> messages;  ///< complete messages, in order
    size_t pings = 0;                   ///< CRLFCRLF keep-alives to answer
    size_t pongs = 0;                   ///< lone CRLF (answers to our pings)
    Error error = Error::kNone;         ///< set: close the connection
  };

  StreamFramer() = default;
  explicit StreamFramer(Limits limits) : limits_(limits) {}

  /// Appends received bytes and returns what became complete.
  Output feed(std::string_view bytes);

  /// Bytes buffered that are not yet a whole message.
  size_t buffered() const { return buf_.size(); }

 private:
  Limits limits_;
  std::string buf_;
  bool failed_ = false;
};

/// Finds the Content-Length (or compact "l") header value in a header block;
/// -1 when absent, -2 when malformed or repeated with different values.
long long find_content_length(std::string_view headers);

}  // namespace switchboard::sip
