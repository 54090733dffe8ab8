// The e-mail's text: subject templates, MIME structure, base64, header
// encoding, local times.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "features/mail/local_time.hpp"
#include "features/mail/mime_message.hpp"
#include "features/mail/subject_template.hpp"
#include "features/mail/voicemail_email.hpp"

namespace switchboard::features::mail {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string unbase64(const std::string& lines) {
  std::string flat;
  for (char c : lines) {
    if (c != '\r' && c != '\n') flat += c;
  }
  std::string out(flat.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(flat.data()),
                          static_cast<int>(flat.size()));
  if (n < 0) return "<bad base64>";
  std::size_t pad = 0;
  if (!flat.empty() && flat.back() == '=') ++pad;
  if (flat.size() > 1 && flat[flat.size() - 2] == '=') ++pad;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

UtcOffsetFn fixed_offset(int minutes) {
  return [minutes](store::Timestamp) { return std::chrono::seconds(minutes * 60); };
}

store::VoicemailMessage sample_message(const std::string& wav) {
  store::VoicemailMessage m;
  m.id = 42;
  m.mailbox = "1001";
  m.caller_id = "1002";
  m.caller_name = "Bob Example";
  m.received_at = *store::parse_timestamp("2026-03-01T08:05:09.000Z");
  m.duration_ms = 83'400;
  m.file_path = wav;
  return m;
}

TEST(MailTemplate, RendersEveryPlaceholder) {
  const auto m = sample_message("/nonexistent.wav");
  const auto v = voicemail_values(m, fixed_offset(60));
  EXPECT_EQ(render_template("{caller_id}|{caller_name}|{caller}|{mailbox}|{duration}", v),
            "1002|Bob Example|Bob Example (1002)|1001|1:23");
  EXPECT_EQ(render_template("{timestamp} {date} {time}", v),
            "2026-03-01 09:05:09 2026-03-01 09:05");
  EXPECT_EQ(render_template("{{literal}} {caller_id}", v), "{literal} 1002");
}

TEST(MailTemplate, RefusesUnknownPlaceholdersAndBrokenBraces) {
  EXPECT_TRUE(check_template("New Voicemail from {caller_id} - {timestamp}").ok());
  auto bad = check_template("From {caler_id}");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("{caler_id}"));
  EXPECT_FALSE(check_template("From {caller_id").ok());
  EXPECT_FALSE(check_template("From caller_id}").ok());
  EXPECT_TRUE(check_template("{{ok}}").ok());
}

TEST(MailTemplate, ValuesCannotInjectHeaders) {
  TemplateValues v{{"caller_name", "Eve\r\nBcc: victim@example.com"}};
  const auto s = render_template("Call from {caller_name}", v);
  EXPECT_THAT(s, Not(HasSubstr("\n")));
  EXPECT_THAT(s, Not(HasSubstr("\r")));
}

TEST(MailTime, LocalFormatsAndRfc5322Date) {
  const auto t = *store::parse_timestamp("2026-11-24T23:30:05.000Z");
  EXPECT_EQ(local_timestamp(t, fixed_offset(90)), "2026-11-25 01:00:05");
  EXPECT_EQ(rfc5322_date(t, fixed_offset(90)), "Wed, 25 Nov 2026 01:00:05 +0130");
  EXPECT_EQ(rfc5322_date(t, fixed_offset(-300)), "Tue, 24 Nov 2026 18:30:05 -0500");
  EXPECT_EQ(format_duration(0), "0:00");
  EXPECT_EQ(format_duration(59'600), "1:00");
  EXPECT_EQ(format_duration(3'723'000), "1:02:03");
}

TEST(MailMime, Base64LinesRoundTripAndStayShort) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += static_cast<char>(i * 37 % 256);
  const auto lines = base64_lines(data);
  std::size_t start = 0;
  while (start < lines.size()) {
    const auto end = lines.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
  EXPECT_EQ(unbase64(lines), data);
  EXPECT_EQ(base64_lines(""), "");
}

TEST(MailMime, EncodesNonAsciiHeaderText) {
  EXPECT_EQ(encode_header_text("plain"), "plain");
  const auto w = encode_header_text("Anruf von Jürgen");
  EXPECT_EQ(w.rfind("=?UTF-8?B?", 0), 0u);
  EXPECT_EQ(unbase64(w.substr(10, w.size() - 12)), "Anruf von Jürgen");
}

TEST(MailMime, MultipartWithAttachment) {
  MailMessage m;
  m.from_address = "voicemail@example.com";
  m.from_name = "Example \"Voicemail\"";
  m.to_address = "alice@example.com";
  m.subject = "New Voicemail from 1002";
  m.text_body = "line one\nline two";
  m.date = "Tue, 24 Nov 2026 21:08:31 +0000";
  m.message_id = "<abc@example.com>";
  m.attachment = Attachment{"vm.wav", "audio/wav", std::string("RIFF\0\0\0\0WAVE", 12)};
  auto text = build_mime(m, "BOUNDARY42");
  ASSERT_TRUE(text.ok()) << text.error().message;
  const auto& t = *text;
  EXPECT_THAT(t, HasSubstr("From: \"Example \\\"Voicemail\\\"\" <voicemail@example.com>\r\n"));
  EXPECT_THAT(t, HasSubstr("To: <alice@example.com>\r\n"));
  EXPECT_THAT(t, HasSubstr("Subject: New Voicemail from 1002\r\n"));
  EXPECT_THAT(t, HasSubstr("Message-ID: <abc@example.com>\r\n"));
  EXPECT_THAT(t, HasSubstr("Content-Type: multipart/mixed; boundary=\"BOUNDARY42\"\r\n"));
  EXPECT_THAT(t, HasSubstr("line one\r\nline two\r\n"));
  EXPECT_THAT(t, HasSubstr("Content-Type: audio/wav; name=\"vm.wav\"\r\n"));
  EXPECT_THAT(t, HasSubstr("Content-Disposition: attachment; filename=\"vm.wav\"\r\n"));
  EXPECT_EQ(t.substr(t.size() - 16), "--BOUNDARY42--\r\n");
  const auto head = t.find("filename=\"vm.wav\"\r\n\r\n") + 21;
  const auto tail = t.rfind("--BOUNDARY42--");
  EXPECT_EQ(unbase64(t.substr(head, tail - head)), std::string("RIFF\0\0\0\0WAVE", 12));
  // No bare LF anywhere: SMTP wants CRLF.
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\n') {
      ASSERT_EQ(t[i - 1], '\r') << "bare LF at " << i;
    }
  }
}

TEST(MailMime, RefusesBadAddresses) {
  MailMessage m;
  m.from_address = "voicemail@example.com";
  m.to_address = "alice@example.com>\r\nRCPT TO:<x@y";
  auto r = build_mime(m, "B");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  for (const char* bad : {"", "alice", "@example.com", "alice@", "a b@example.com", "a,b@c"}) {
    EXPECT_FALSE(check_address(bad).ok()) << bad;
  }
  EXPECT_TRUE(check_address("alice.smith+vm@mail.example.com").ok());
}

TEST(MailCompose, VoicemailWithAndWithoutItsRecording) {
  const std::string wav = ::testing::TempDir() + "/mail_compose.wav";
  {
    std::FILE* f = std::fopen(wav.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("RIFFdataWAVE", f);
    std::fclose(f);
  }
  EmailOptions o;
  o.subject_template = "Voicemail for {mailbox} from {caller}";
  auto mail = compose_voicemail(sample_message(wav), "alice@example.com", o, fixed_offset(0));
  EXPECT_EQ(mail.subject, "Voicemail for 1001 from Bob Example (1002)");
  ASSERT_TRUE(mail.attachment.has_value());
  EXPECT_EQ(mail.attachment->data, "RIFFdataWAVE");
  EXPECT_EQ(mail.attachment->content_type, "audio/wav");
  EXPECT_THAT(mail.text_body, HasSubstr("Bob Example (1002)"));
  EXPECT_THAT(mail.text_body, HasSubstr("2026-03-01 08:05:09"));
  EXPECT_THAT(mail.text_body, HasSubstr("1:23"));

  o.include_attachment = false;
  EXPECT_FALSE(compose_voicemail(sample_message(wav), "a@b.c", o, fixed_offset(0)).attachment);

  o.include_attachment = true;
  auto missing = compose_voicemail(sample_message(wav + ".gone"), "a@b.c", o, fixed_offset(0));
  EXPECT_FALSE(missing.attachment);
  EXPECT_THAT(missing.text_body, HasSubstr("not attached: the recording file is missing"));
  std::remove(wav.c_str());
}

TEST(MailCompose, ReminderListsMessages) {
  std::vector<store::VoicemailMessage> unread{sample_message("a"), sample_message("b")};
  unread[1].caller_id = "5550100";
  unread[1].caller_name.clear();
  auto r = compose_reminder("1001", unread, fixed_offset(0));
  EXPECT_EQ(r.subject, "Reminder: 2 unread voicemail messages in mailbox 1001");
  EXPECT_THAT(r.body, HasSubstr("2026-03-01 08:05:09  Bob Example (1002)  (1:23)"));
  EXPECT_THAT(r.body, HasSubstr("5550100  (1:23)"));
}

}  // namespace
}  // namespace switchboard::features::mail
