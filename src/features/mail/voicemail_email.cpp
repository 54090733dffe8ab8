#include "features/mail/voicemail_email.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace switchboard::features::mail {
namespace {

std::string caller_text(const store::VoicemailMessage& m) {
  const std::string id = m.caller_id.empty() ? "unknown caller" : m.caller_id;
  return m.caller_name.empty() ? id : fmt::format("{} ({})", m.caller_name, id);
}

Result<std::string> read_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return make_error(ErrorCode::kNotFound, "the recording file is missing");
  if (size > kMaxAttachmentBytes) {
    return make_error(ErrorCode::kInvalidArgument,
                      fmt::format("the recording is too large to attach ({} bytes)", size));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream data;
  data << in.rdbuf();
  if (!in && !in.eof()) return make_error(ErrorCode::kIoError, "the recording cannot be read");
  return data.str();
}

}  // namespace

TemplateValues voicemail_values(const store::VoicemailMessage& m, const UtcOffsetFn& offset) {
  return {
      {"caller_id", m.caller_id.empty() ? "unknown" : m.caller_id},
      {"caller_name", m.caller_name},
      {"caller", caller_text(m)},
      {"mailbox", m.mailbox},
      {"duration", format_duration(m.duration_ms)},
      {"timestamp", local_timestamp(m.received_at, offset)},
      {"date", local_date(m.received_at, offset)},
      {"time", local_clock(m.received_at, offset)},
  };
}

MailMessage compose_voicemail(const store::VoicemailMessage& m, std::string_view to,
                              const EmailOptions& options, const UtcOffsetFn& offset) {
  MailMessage mail;
  mail.to_address = to;
  mail.subject = render_template(options.subject_template, voicemail_values(m, offset));
  std::string body = fmt::format(
      "You have a new voicemail message in mailbox {}.\n\n"
      "From:     {}\n"
      "Received: {}\n"
      "Duration: {}\n",
      m.mailbox, one_line(caller_text(m)), local_timestamp(m.received_at, offset),
      format_duration(m.duration_ms));
  if (options.include_attachment) {
    auto data = read_file(m.file_path);
    if (data) {
      mail.attachment = Attachment{fmt::format("voicemail-{}-{}.wav", m.mailbox, m.id), "audio/wav",
                                   std::move(*data)};
      body += "\nThe recording is attached.\n";
    } else {
      body += fmt::format("\nThe recording is not attached: {}.\n", data.error().message);
    }
  }
  if (options.delete_after_email) {
    body += "\nThis message has been removed from your mailbox after this e-mail was sent.\n";
  }
  mail.text_body = std::move(body);
  mail.headers.emplace_back("X-Switchboard-Mailbox", m.mailbox);
  mail.headers.emplace_back("X-Switchboard-Message", std::to_string(m.id));
  return mail;
}

ReminderText compose_reminder(std::string_view mailbox,
                              const std::vector<store::VoicemailMessage>& unread,
                              const UtcOffsetFn& offset) {
  ReminderText r;
  r.subject = fmt::format("Reminder: {} unread voicemail message{} in mailbox {}", unread.size(),
                          unread.size() == 1 ? "" : "s", mailbox);
  r.body = fmt::format("Mailbox {} has {} unread voicemail message{}:\n\n", mailbox, unread.size(),
                       unread.size() == 1 ? "" : "s");
  for (const auto& m : unread) {
    r.body += fmt::format("  {}  {}  ({})\n", local_timestamp(m.received_at, offset),
                          one_line(caller_text(m)), format_duration(m.duration_ms));
  }
  r.body += "\nCall your voicemail to listen to them.\n";
  return r;
}

void finish(MailMessage& m, const EmailOptions& options, store::Timestamp now,
            const UtcOffsetFn& offset) {
  m.from_address = options.from_address;
  m.from_name = options.from_name;
  m.date = rfc5322_date(now, offset);
  const auto at = options.from_address.rfind('@');
  const std::string domain =
      at == std::string::npos ? "switchboard.invalid" : options.from_address.substr(at + 1);
  m.message_id = fmt::format("<{}@{}>", random_token(), domain);
}

}  // namespace switchboard::features::mail
