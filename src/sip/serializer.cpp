#include "sip/serializer.hpp"

#include <charconv>

namespace switchboard::sip {
namespace {

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  const auto res = std::to_chars(digits, digits + sizeof(digits), n);
  out.append(digits, static_cast<std::size_t>(res.ptr - digits));
}

}  // namespace

void serialize_to(const Message& m, std::string& out) {
  std::size_t estimate = 64 + m.body().size();
  for (std::size_t i = 0; i < m.header_count(); ++i) {
    const HeaderField h = m.header(i);
    estimate += h.name.size() + h.value.size() + 4;
  }
  out.reserve(out.size() + estimate);

  if (m.is_request()) {
    out.append(m.method()).push_back(' ');
    out.append(m.request_uri()).push_back(' ');
    out.append(m.version());
  } else {
    out.append(m.version()).push_back(' ');
    append_number(out, static_cast<std::size_t>(m.status_code()));
    out.push_back(' ');
    out.append(m.reason());
  }
  out.append("\r\n");

  bool wrote_length = false;
  for (std::size_t i = 0; i < m.header_count(); ++i) {
    const HeaderField h = m.header(i);
    if (h.id == HeaderId::kContentLength) {
      if (wrote_length) continue;  // duplicates would contradict each other
      wrote_length = true;
      out.append(h.name).append(": ");
      append_number(out, m.body().size());
      out.append("\r\n");
      continue;
    }
    out.append(h.name).append(": ").append(h.value).append("\r\n");
  }
  if (!wrote_length) {
    out.append("Content-Length: ");
    append_number(out, m.body().size());
    out.append("\r\n");
  }
  out.append("\r\n");
  out.append(m.body());
}

std::string serialize(const Message& m) {
  std::string out;
  serialize_to(m, out);
  return out;
}

}  // namespace switchboard::sip
