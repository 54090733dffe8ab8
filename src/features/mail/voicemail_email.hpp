// What the e-mails say (issue 8 §5): the notice of a new voicemail (caller
// id, name, time, duration, the WAV attached) and the daily reminder of a
// mailbox's unread messages. Pure functions of store rows and options, apart
// from reading the WAV.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "features/mail/local_time.hpp"
#include "features/mail/mail_options.hpp"
#include "features/mail/mime_message.hpp"
#include "features/mail/subject_template.hpp"
#include "store/voicemail_repository.hpp"

namespace switchboard::features::mail {

/// Largest recording attached; a longer one is mentioned, not attached.
inline constexpr std::size_t kMaxAttachmentBytes = 20 * 1024 * 1024;

/// The subject placeholders' values for one message.
TemplateValues voicemail_values(const store::VoicemailMessage& m, const UtcOffsetFn& offset);

/// The e-mail announcing `m` to `to` (without Date/Message-ID, which
/// finish() adds). The recording is attached when the options say so and
/// the file can be read; otherwise the body says why it is not.
MailMessage compose_voicemail(const store::VoicemailMessage& m, std::string_view to,
                              const EmailOptions& options, const UtcOffsetFn& offset);

struct ReminderText {
  std::string subject;
  std::string body;
};

/// The daily reminder of `mailbox`'s unread messages (oldest first).
ReminderText compose_reminder(std::string_view mailbox,
                              const std::vector<store::VoicemailMessage>& unread,
                              const UtcOffsetFn& offset);

/// Date, Message-ID and sender: what every outgoing message gets.
void finish(MailMessage& m, const EmailOptions& options, store::Timestamp now,
            const UtcOffsetFn& offset);

}  // namespace switchboard::features::mail
