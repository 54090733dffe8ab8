#include "features/mail/mime_message.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <chrono>

#include "features/mail/subject_template.hpp"

namespace switchboard::features::mail {
namespace {

bool is_printable_ascii(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  if (!data.empty()) {
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(data.data()),
                                  static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(n));
  }
  return out;
}

// Body text with CRLF line ends (a bare "\r" is dropped).
std::string crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (char c : text) {
    if (c == '\r') continue;
    if (c == '\n')
      out += "\r\n";
    else
      out += c;
  }
  if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
  return out;
}

// A display name: a quoted string when ASCII, else encoded words.
std::string display_name(std::string_view name) {
  const std::string flat = one_line(name);
  if (!is_printable_ascii(flat)) return encode_header_text(flat);
  std::string out = "\"";
  for (char c : flat) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A file name for Content-Disposition: printable ASCII without quotes.
std::string safe_filename(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    out += (c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '/') ? static_cast<char>(c) : '_';
  }
  return out.empty() ? "attachment" : out;
}

}  // namespace

Status check_address(std::string_view address) {
  const auto at = address.rfind('@');
  if (address.empty() || address.size() > 254 || at == std::string_view::npos || at == 0 ||
      at + 1 == address.size()) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("\"{}\" is not an e-mail address", one_line(address)));
  }
  for (unsigned char c : address) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == '"' || c == '\\') {
      return make_error(ErrorCode::kInvalidArgument,
                        fmt::format("\"{}\" is not an e-mail address", one_line(address)));
    }
  }
  return {};
}

std::string base64_lines(std::string_view data) {
  const std::string b = base64(data);
  std::string out;
  out.reserve(b.size() + b.size() / 38 + 2);
  for (std::size_t i = 0; i < b.size(); i += 76) {
    out.append(b, i, 76);
    out += "\r\n";
  }
  return out;
}

std::string encode_header_text(std::string_view text) {
  if (is_printable_ascii(text)) return std::string(text);
  // Encoded words of at most 75 characters: 45 bytes of UTF-8 → 60 of base64
  // plus 12 of "=?UTF-8?B?" and "?=". Never split a UTF-8 sequence.
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = std::min<std::size_t>(45, text.size() - i);
    while (i + n < text.size() && n > 0 &&
           (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) {
      --n;
    }
    if (n == 0) n = std::min<std::size_t>(45, text.size() - i);  // not UTF-8: cut anyway
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(text.substr(i, n)) + "?=";
    i += n;
  }
  return out;
}

Result<std::string> build_mime(const MailMessage& m, std::string_view boundary) {
  if (auto s = check_address(m.from_address); !s) return s.error();
  if (auto s = check_address(m.to_address); !s) return s.error();
  if (boundary.empty() || !is_printable_ascii(boundary)) {
    return make_error(ErrorCode::kInvalidArgument, "MIME boundary must be printable ASCII");
  }
  std::string out;
  out += "Date: " + one_line(m.date) + "\r\n";
  out += m.from_name.empty()
             ? fmt::format("From: <{}>\r\n", m.from_address)
             : fmt::format("From: {} <{}>\r\n", display_name(m.from_name), m.from_address);
  out += fmt::format("To: <{}>\r\n", m.to_address);
  out += "Subject: " + encode_header_text(one_line(m.subject)) + "\r\n";
  if (!m.message_id.empty()) out += "Message-ID: " + one_line(m.message_id) + "\r\n";
  for (const auto& [name, value] : m.headers) {
    out += one_line(name) + ": " + encode_header_text(one_line(value)) + "\r\n";
  }
  out += "MIME-Version: 1.0\r\n";
  const bool ascii_body = [&] {
    for (unsigned char c : m.text_body) {
      if (c >= 0x80) return false;
    }
    return true;
  }();
  std::string text_part = ascii_body ? "Content-Type: text/plain; charset=us-ascii\r\n"
                                       "Content-Transfer-Encoding: 7bit\r\n\r\n" +
                                           crlf(m.text_body)
                                     : "Content-Type: text/plain; charset=utf-8\r\n"
                                       "Content-Transfer-Encoding: base64\r\n\r\n" +
                                           base64_lines(m.text_body);
  if (!m.attachment) return out + text_part;
  if (m.text_body.find(boundary) != std::string::npos) {
    return make_error(ErrorCode::kInvalidArgument, "MIME boundary occurs in the body");
  }
  const auto& a = m.attachment;
  const std::string file = safe_filename(a->filename);
  const std::string type =
      a->content_type.empty() ? "application/octet-stream" : one_line(a->content_type);
  out += fmt::format("Content-Type: multipart/mixed; boundary=\"{}\"\r\n\r\n", boundary);
  out += "This is a multi-part message in MIME format.\r\n";
  out += fmt::format("--{}\r\n", boundary) + text_part;
  out += fmt::format("--{}\r\n", boundary);
  out += fmt::format("Content-Type: {}; name=\"{}\"\r\n", type, file);
  out += "Content-Transfer-Encoding: base64\r\n";
  out += fmt::format("Content-Disposition: attachment; filename=\"{}\"\r\n\r\n", file);
  out += base64_lines(a->data);
  out += fmt::format("--{}--\r\n", boundary);
  return out;
}

std::string random_token() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // OpenSSL's generator failing is not expected; fall back to the clock so
    // the message still goes out (a token needs uniqueness, not secrecy).
    const auto t = std::chrono::steady_clock::now().time_since_epoch().count();
    return fmt::format("{:032x}", static_cast<unsigned long long>(t));
  }
  std::string out;
  for (unsigned char b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

}  // namespace switchboard::features::mail
