// The message-summary event package (RFC 3842) for message-waiting lights:
// a body of "Messages-Waiting: yes/no", "Message-Account: sip:<mailbox>@<domain>"
// and "Voice-Message: new/old (0/0)"; only the owner of a mailbox may watch it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "core/subscriptions/event_package.hpp"

namespace switchboard::core {

inline constexpr std::string_view kMessageSummaryEvent = "message-summary";
inline constexpr std::string_view kMessageSummaryType = "application/simple-message-summary";

/// Voice messages of a mailbox: "new" (unheard) and "old" (saved).
struct MessageCounts {
  std::int64_t new_messages = 0;
  std::int64_t old_messages = 0;
  bool operator==(const MessageCounts&) const = default;
};

/// The RFC 3842 body for `counts` of the account `account_uri`.
std::string render_message_summary(const MessageCounts& counts, std::string_view account_uri);

/// Reads Messages-Waiting and Voice-Message back (what a phone does); an
/// error for a body without a valid Messages-Waiting line.
Result<MessageCounts> parse_message_summary(std::string_view body);

class MessageSummaryPackage final : public EventPackage {
 public:
  using CountsCallback = std::function<void(Result<MessageCounts>)>;
  /// Reads a mailbox's counts (from the store, off the core thread);
  /// `done` must run on the core thread.
  using CountsLookup = std::function<void(const std::string& mailbox, CountsCallback done)>;
  using MailboxExists = std::function<bool(std::string_view mailbox)>;

  MessageSummaryPackage(std::string domain, MailboxExists exists, CountsLookup counts);

  std::string_view name() const override { return kMessageSummaryEvent; }
  std::string_view content_type() const override { return kMessageSummaryType; }
  /// 404 for an unknown mailbox, 403 for somebody else's.
  Authorization authorize(std::string_view subscriber, std::string_view resource) const override;
  void current_state(const std::string& resource, StateCallback done) override;

  /// "sip:<mailbox>@<domain>".
  std::string account_uri(std::string_view mailbox) const;
  std::string body(std::string_view mailbox, const MessageCounts& counts) const {
    return render_message_summary(counts, account_uri(mailbox));
  }

 private:
  std::string domain_;
  MailboxExists exists_;
  CountsLookup counts_;
};

}  // namespace switchboard::core
