#include "sip/transport/stream_framer.hpp"

#include <charconv>

namespace switchboard::sip {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

long long find_content_length(std::string_view headers) {
  long long found = -1;
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t eol = headers.find('\n', pos);
    std::string_view line = headers.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    pos = eol == std::string_view::npos ? headers.size() : eol + 1;
    if (line.empty() || line.front() == ' ' || line.front() == '\t') continue;  // folded
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = trim(line.substr(0, colon));
    if (!iequals(name, "content-length") && !iequals(name, "l")) continue;
    std::string_view value = trim(line.substr(colon + 1));
    long long n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || ptr != value.data() + value.size() || n < 0) return -2;
    if (found >= 0 && found != n) return -2;
    found = n;
  }
  return found;
}

StreamFramer::Output StreamFramer::feed(std::string_view bytes) {
  Output out;
  if (failed_) {
    out.error = Error::kTooLarge;
    return out;
  }
  buf_.append(bytes);
  size_t start = 0;
  for (;;) {
    // Keep-alives live between messages only (RFC 5626 §3.5.1).
    while (start < buf_.size()) {
      std::string_view rest(buf_.data() + start, buf_.size() - start);
      if (rest.starts_with("\r\n\r\n")) {
        ++out.pings;
        start += 4;
      } else if (rest.starts_with("\r\n")) {
        // A pong, or stray CRLF a sender put before a message (RFC 3261 §7.5).
        ++out.pongs;
        start += 2;
      } else {
        break;
      }
    }
    std::string_view rest(buf_.data() + start, buf_.size() - start);
    if (rest.empty() || rest.starts_with("\r")) break;
    size_t end = rest.find("\r\n\r\n");
    if (end == std::string_view::npos) {
      if (rest.size() > limits_.max_header_bytes) out.error = Error::kTooLarge;
      break;
    }
    if (end + 4 > limits_.max_header_bytes) {
      out.error = Error::kTooLarge;
      break;
    }
    long long len = find_content_length(rest.substr(0, end + 2));
    if (len < 0) {
      out.error = Error::kBadContentLength;
      break;
    }
    size_t total = end + 4 + static_cast<size_t>(len);
    if (total > limits_.max_message_bytes) {
      out.error = Error::kTooLarge;
      break;
    }
    if (rest.size() < total) break;
    out.messages.emplace_back(rest.substr(0, total));
    start += total;
  }
  buf_.erase(0, start);
  if (out.error != Error::kNone) {
    failed_ = true;
    buf_.clear();
  }
  return out;
}

}  // namespace switchboard::sip
