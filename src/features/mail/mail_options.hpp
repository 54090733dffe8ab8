// Options of voicemail-to-email (issue 8 §5). The app maps its config
// (voicemail.smtp, voicemail.email, voicemail.reminders) onto these; this
// layer never sees the app's config types.
#pragma once

#include <chrono>
#include <string>

#include "common/secret.hpp"

namespace switchboard::features::mail {

/// How the connection to the SMTP server is protected.
enum class SmtpSecurity {
  kNone,         ///< plain SMTP (tests, a local relay)
  kStartTls,     ///< smtp:// then STARTTLS, required (port 587)
  kImplicitTls,  ///< smtps:// — TLS from the first byte (port 465)
};

struct SmtpOptions {
  std::string host = "127.0.0.1";
  int port = 587;
  SmtpSecurity security = SmtpSecurity::kStartTls;
  std::string username;  ///< empty: no AUTH
  Secret password;       ///< never logged, never in an error message
  bool verify_peer = true;
  /// CA bundle (PEM) to verify the server with; empty: the system's.
  std::string ca_file;
  std::chrono::seconds timeout{30};  ///< the whole transfer
};

struct EmailOptions {
  std::string from_address;
  std::string from_name = "Voicemail";
  /// Placeholders: {caller_id} {caller_name} {caller} {mailbox} {duration}
  /// {timestamp} {date} {time}.
  std::string subject_template = "New Voicemail from {caller_id} - {timestamp}";
  bool include_attachment = true;
  /// Remove the message and its WAV once the server accepted the e-mail.
  bool delete_after_email = false;
};

struct ReminderOptions {
  bool enabled = false;
  int hour = 9;  ///< local time of day
  int minute = 0;
};

struct RetryOptions {
  std::chrono::milliseconds initial{std::chrono::seconds(10)};
  std::chrono::milliseconds max{std::chrono::hours(1)};
};

struct MailServiceOptions {
  SmtpOptions smtp;
  EmailOptions email;
  ReminderOptions reminders;
  RetryOptions retry;
};

}  // namespace switchboard::features::mail
