#include "sip/message.hpp"

#include <charconv>

#include "sip/grammar.hpp"

namespace switchboard::sip {

namespace {
constexpr std::string_view kVersion = "SIP/2.0";

template <typename S>
S span_of(std::size_t off, std::size_t len) {
  return S{static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(len)};
}
}  // namespace

Message Message::request(std::string_view method, std::string_view request_uri) {
  Message m;
  m.buf_.reserve(512);
  m.is_request_ = true;
  m.start_[0] = m.append(method);
  m.start_[1] = m.append(request_uri);
  m.start_[2] = m.append(kVersion);
  m.method_id_ = method_from_string(method);
  return m;
}

Message Message::response(int status_code, std::string_view reason) {
  Message m;
  m.buf_.reserve(512);
  m.is_request_ = false;
  m.start_[0] = m.append(kVersion);
  m.status_code_ = status_code;
  m.start_[2] = m.append(reason);
  return m;
}

Message::Span Message::append(std::string_view text) {
  // `text` may point into buf_ itself (copying one header to another); an
  // append that reallocates would invalidate it, so copy such text first.
  const char* base = buf_.data();
  if (text.data() >= base && text.data() < base + buf_.size()) {
    const std::string copy(text);
    return append(copy);
  }
  const Span s = span_of<Span>(buf_.size(), text.size());
  buf_.append(text);
  return s;
}

Message::Entry Message::make_entry(HeaderId id, std::string_view name, std::string_view value) {
  Entry e;
  e.id = id;
  e.name = append(name);
  e.value = append(value);
  return e;
}

HeaderField Message::header(std::size_t index) const {
  const Entry& e = headers_[index];
  return HeaderField{view(e.name), view(e.value), e.id};
}

std::size_t Message::count(HeaderId id) const {
  std::size_t n = 0;
  for (const Entry& e : headers_) n += (e.id == id) ? 1 : 0;
  return n;
}

std::optional<std::string_view> Message::value(HeaderId id) const {
  for (const Entry& e : headers_) {
    if (e.id == id) return view(e.value);
  }
  return std::nullopt;
}

std::optional<std::string_view> Message::value(std::string_view name) const {
  const HeaderId id = header_id_from_name(name);
  if (id != HeaderId::kOther) return value(id);
  for (const Entry& e : headers_) {
    if (e.id == HeaderId::kOther && grammar::iequals(view(e.name), name)) return view(e.value);
  }
  return std::nullopt;
}

SmallVector<std::string_view, 4> Message::values(HeaderId id) const {
  SmallVector<std::string_view, 4> out;
  for (const Entry& e : headers_) {
    if (e.id == id) out.push_back(view(e.value));
  }
  return out;
}

void Message::set_request_uri(std::string_view uri) {
  if (is_request_) start_[1] = append(uri);
}

void Message::set_reason(std::string_view reason) {
  if (!is_request_) start_[2] = append(reason);
}

void Message::add_header(HeaderId id, std::string_view value) {
  headers_.push_back(make_entry(id, header_canonical_name(id), value));
}

void Message::add_header(std::string_view name, std::string_view value) {
  headers_.push_back(make_entry(header_id_from_name(name), name, value));
}

void Message::prepend_header(HeaderId id, std::string_view value) {
  headers_.insert_front(make_entry(id, header_canonical_name(id), value));
}

void Message::set_header(HeaderId id, std::string_view value) {
  // Keep the position of the first existing field, so edits stay readable.
  for (std::size_t i = 0; i < headers_.size(); ++i) {
    if (headers_[i].id == id) {
      headers_[i].value = append(value);
      for (std::size_t j = headers_.size(); j-- > i + 1;) {
        if (headers_[j].id == id) headers_.erase_at(j);
      }
      return;
    }
  }
  add_header(id, value);
}

std::size_t Message::remove_headers(HeaderId id) {
  std::size_t removed = 0;
  for (std::size_t i = headers_.size(); i-- > 0;) {
    if (headers_[i].id == id) {
      headers_.erase_at(i);
      ++removed;
    }
  }
  return removed;
}

std::size_t Message::remove_headers(std::string_view name) {
  const HeaderId id = header_id_from_name(name);
  if (id != HeaderId::kOther) return remove_headers(id);
  std::size_t removed = 0;
  for (std::size_t i = headers_.size(); i-- > 0;) {
    if (headers_[i].id == HeaderId::kOther && grammar::iequals(view(headers_[i].name), name)) {
      headers_.erase_at(i);
      ++removed;
    }
  }
  return removed;
}

bool Message::remove_first(HeaderId id) {
  for (std::size_t i = 0; i < headers_.size(); ++i) {
    if (headers_[i].id == id) {
      headers_.erase_at(i);
      return true;
    }
  }
  return false;
}

void Message::set_body(std::string_view body) {
  body_ = append(body);
  char digits[24];
  const auto res = std::to_chars(digits, digits + sizeof(digits), body.size());
  set_header(HeaderId::kContentLength, std::string_view(digits, res.ptr - digits));
}

void MessageBuilderAccess::set_request_line(Message& m, std::size_t method_off,
                                            std::size_t method_len, std::size_t uri_off,
                                            std::size_t uri_len, std::size_t ver_off,
                                            std::size_t ver_len) {
  m.is_request_ = true;
  m.start_[0] = span_of<Message::Span>(method_off, method_len);
  m.start_[1] = span_of<Message::Span>(uri_off, uri_len);
  m.start_[2] = span_of<Message::Span>(ver_off, ver_len);
  m.method_id_ = method_from_string(m.view(m.start_[0]));
}

void MessageBuilderAccess::set_status_line(Message& m, std::size_t ver_off, std::size_t ver_len,
                                           int code, std::size_t reason_off,
                                           std::size_t reason_len) {
  m.is_request_ = false;
  m.start_[0] = span_of<Message::Span>(ver_off, ver_len);
  m.status_code_ = code;
  m.start_[2] = span_of<Message::Span>(reason_off, reason_len);
}

void MessageBuilderAccess::add_header(Message& m, std::size_t name_off, std::size_t name_len,
                                      std::size_t value_off, std::size_t value_len, HeaderId id) {
  m.headers_.push_back(Message::Entry{span_of<Message::Span>(name_off, name_len),
                                      span_of<Message::Span>(value_off, value_len), id});
}

void MessageBuilderAccess::set_body(Message& m, std::size_t off, std::size_t len) {
  m.body_ = span_of<Message::Span>(off, len);
}

}  // namespace switchboard::sip
