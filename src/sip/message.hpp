// A SIP message that owns its bytes. The parser hands over the receive buffer
// and the Message keeps offsets into it for the start line, every header's
// name and value and the body, so parsing copies nothing. Edits (used by the
// builder and make_response) append new text to the same buffer and repoint
// the offsets; the serializer writes the current state.
//
// Offsets rather than string_views are stored so that moving or copying a
// Message never leaves a view dangling; accessors return views that stay valid
// until the Message is modified or destroyed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/header_id.hpp"
#include "sip/method.hpp"
#include "sip/small_vector.hpp"

namespace switchboard::sip {

/// One header field as seen through the message.
struct HeaderField {
  std::string_view name;   ///< as written (compact or long, any case)
  std::string_view value;  ///< trimmed; folding already replaced by spaces
  HeaderId id = HeaderId::kOther;
};

class Message {
 public:
  Message() = default;

  /// A request with the given method and Request-URI, version SIP/2.0.
  static Message request(std::string_view method, std::string_view request_uri);
  /// A response with the given status code and reason phrase, version SIP/2.0.
  static Message response(int status_code, std::string_view reason);

  bool is_request() const { return is_request_; }
  bool is_response() const { return !is_request_; }

  // Start line. Request accessors return "" on responses and vice versa.
  std::string_view method() const { return is_request_ ? view(start_[0]) : std::string_view(); }
  Method method_id() const { return method_id_; }
  std::string_view request_uri() const {
    return is_request_ ? view(start_[1]) : std::string_view();
  }
  int status_code() const { return status_code_; }
  std::string_view reason() const { return is_request_ ? std::string_view() : view(start_[2]); }
  /// "SIP/2.0" as written (any case).
  std::string_view version() const { return is_request_ ? view(start_[2]) : view(start_[0]); }

  // Headers, in message order.
  std::size_t header_count() const { return headers_.size(); }
  HeaderField header(std::size_t index) const;
  /// Number of header fields with this id (a comma-joined field counts once).
  std::size_t count(HeaderId id) const;
  /// Value of the first header field with this id.
  std::optional<std::string_view> value(HeaderId id) const;
  /// Value of the first header field with this name (long or compact, any case).
  std::optional<std::string_view> value(std::string_view name) const;
  /// Values of every header field with this id, in order (not comma-split).
  SmallVector<std::string_view, 4> values(HeaderId id) const;

  std::string_view body() const { return view(body_); }

  // Editing.
  void set_request_uri(std::string_view uri);
  void set_reason(std::string_view reason);
  /// Appends a header field (canonical name for known ids).
  void add_header(HeaderId id, std::string_view value);
  /// Appends a header field by name; the id is derived from the name.
  void add_header(std::string_view name, std::string_view value);
  /// Inserts a header field before all others (e.g. a new top Via).
  void prepend_header(HeaderId id, std::string_view value);
  /// Replaces all fields with this id by one field with this value.
  void set_header(HeaderId id, std::string_view value);
  /// Removes every field with this id; returns how many were removed.
  std::size_t remove_headers(HeaderId id);
  /// Removes every field with this name (any case, long or compact).
  std::size_t remove_headers(std::string_view name);
  /// Removes the first field with this id (e.g. popping the top Route).
  bool remove_first(HeaderId id);
  /// Sets the body; the serializer writes a matching Content-Length.
  void set_body(std::string_view body);

  /// The storage all views point into (received bytes plus later edits).
  const std::string& storage() const { return buf_; }

 private:
  friend struct MessageBuilderAccess;

  struct Span {
    std::uint32_t off = 0;
    std::uint32_t len = 0;
  };
  struct Entry {
    Span name;
    Span value;
    HeaderId id;
  };

  std::string_view view(Span s) const { return std::string_view(buf_).substr(s.off, s.len); }
  Span append(std::string_view text);
  Entry make_entry(HeaderId id, std::string_view name, std::string_view value);

  std::string buf_;
  Span start_[3];
  int status_code_ = 0;
  bool is_request_ = true;
  Method method_id_ = Method::kOther;
  SmallVector<Entry, 24> headers_;
  Span body_;
};

/// Low-level construction for the parser: direct access to the offsets.
/// Not for general use; everything else goes through Message's API.
struct MessageBuilderAccess {
  static void adopt(Message& m, std::string buffer) { m.buf_ = std::move(buffer); }
  static std::string& buffer(Message& m) { return m.buf_; }
  static void set_request_line(Message& m, std::size_t method_off, std::size_t method_len,
                               std::size_t uri_off, std::size_t uri_len, std::size_t ver_off,
                               std::size_t ver_len);
  static void set_status_line(Message& m, std::size_t ver_off, std::size_t ver_len, int code,
                              std::size_t reason_off, std::size_t reason_len);
  static void add_header(Message& m, std::size_t name_off, std::size_t name_len,
                         std::size_t value_off, std::size_t value_len, HeaderId id);
  static void set_body(Message& m, std::size_t off, std::size_t len);
};

}  // namespace switchboard::sip
