#include "core/subscriptions/message_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace switchboard::core {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool read_count(std::string_view s, std::int64_t& out) {
  s = trim(s);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out >= 0;
}

}  // namespace

std::string render_message_summary(const MessageCounts& counts, std::string_view account_uri) {
  const auto fresh = std::max<std::int64_t>(counts.new_messages, 0);
  const auto old = std::max<std::int64_t>(counts.old_messages, 0);
  return fmt::format(
      "Messages-Waiting: {}\r\n"
      "Message-Account: {}\r\n"
      "Voice-Message: {}/{} (0/0)\r\n",
      fresh > 0 ? "yes" : "no", account_uri, fresh, old);
}

Result<MessageCounts> parse_message_summary(std::string_view body) {
  MessageCounts out;
  bool waiting_seen = false;
  while (!body.empty()) {
    auto eol = body.find('\n');
    std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto name = trim(line.substr(0, colon));
    auto value = trim(line.substr(colon + 1));
    if (iequals(name, "Messages-Waiting")) {
      if (!iequals(value, "yes") && !iequals(value, "no")) break;
      waiting_seen = true;
    } else if (iequals(name, "Voice-Message")) {
      // new/old [(urgent_new/urgent_old)]
      auto slash = value.find('/');
      auto paren = value.find('(');
      auto old_part = value.substr(
          slash + 1, paren == std::string_view::npos ? std::string_view::npos : paren - slash - 1);
      if (slash == std::string_view::npos ||
          !read_count(value.substr(0, slash), out.new_messages) ||
          !read_count(old_part, out.old_messages)) {
        return make_error(ErrorCode::kInvalidArgument, "bad Voice-Message line");
      }
    }
  }
  if (!waiting_seen) {
    return make_error(ErrorCode::kInvalidArgument, "no valid Messages-Waiting line");
  }
  return out;
}

MessageSummaryPackage::MessageSummaryPackage(std::string domain, MailboxExists exists,
                                             CountsLookup counts)
    : domain_(std::move(domain)), exists_(std::move(exists)), counts_(std::move(counts)) {}

Authorization MessageSummaryPackage::authorize(std::string_view subscriber,
                                               std::string_view resource) const {
  if (!exists_ || !exists_(resource)) return Authorization::refuse(404, "Not Found");
  // Only the owner watches a mailbox (no operator role yet).
  if (subscriber != resource) return Authorization::refuse(403, "Forbidden");
  return Authorization::allow();
}

void MessageSummaryPackage::current_state(const std::string& resource, StateCallback done) {
  if (!counts_) {
    done(make_error(ErrorCode::kUnavailable, "no message counts source"));
    return;
  }
  // The lookup may finish after this package is gone (shutdown): capture values only.
  counts_(resource,
          [account = account_uri(resource), done = std::move(done)](Result<MessageCounts> c) {
            if (!c.ok()) {
              done(c.error());
              return;
            }
            done(render_message_summary(*c, account));
          });
}

std::string MessageSummaryPackage::account_uri(std::string_view mailbox) const {
  return fmt::format("sip:{}@{}", mailbox, domain_);
}

}  // namespace switchboard::core
