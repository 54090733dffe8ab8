// Sends a finished message to an SMTP server with libcurl (issue 8 §5): no
// local MTA. Blocking — call from the worker pool, never the core thread.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "features/mail/mail_options.hpp"

namespace switchboard::features::mail {

/// Where a composed message goes. The outbox sends through this; unit tests
/// of the outbox's retry logic give it one they control.
class MailTransport {
 public:
  virtual ~MailTransport() = default;
  /// Delivers `message` (RFC 5322, CRLF) from `from` to `to`. OK only once
  /// the server accepted it (250 after DATA). Errors never carry secrets.
  virtual Status send(std::string_view from, std::string_view to, std::string_view message) = 0;
};

/// libcurl's SMTP client: smtp:// with STARTTLS required, smtps:// (implicit
/// TLS) or plain; AUTH with the configured user when one is set; the server
/// certificate verified unless verify_peer is off.
class SmtpMailer final : public MailTransport {
 public:
  explicit SmtpMailer(SmtpOptions options);
  ~SmtpMailer() override;
  SmtpMailer(const SmtpMailer&) = delete;
  SmtpMailer& operator=(const SmtpMailer&) = delete;

  Status send(std::string_view from, std::string_view to, std::string_view message) override;

  /// "smtp://host:port" / "smtps://host:port" (IPv6 literals in brackets).
  std::string url() const;

 private:
  SmtpOptions options_;
};

}  // namespace switchboard::features::mail
