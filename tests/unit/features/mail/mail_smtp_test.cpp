// libcurl's SMTP client on its error paths, against real sockets on
// 127.0.0.1 (the successful exchange, STARTTLS, AUTH and implicit TLS run
// against aiosmtpd in tests/integration/test_voicemail_email.py).
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "features/mail/smtp_mailer.hpp"

namespace switchboard::features::mail {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A port on 127.0.0.1 with nothing listening: bound, then closed.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

TEST(SmtpMailer, UrlsForEachSecurityMode) {
  SmtpOptions o;
  o.host = "mail.example.com";
  o.port = 587;
  EXPECT_EQ(SmtpMailer(o).url(), "smtp://mail.example.com:587");
  o.security = SmtpSecurity::kImplicitTls;
  o.port = 465;
  EXPECT_EQ(SmtpMailer(o).url(), "smtps://mail.example.com:465");
  o.host = "::1";
  EXPECT_EQ(SmtpMailer(o).url(), "smtps://[::1]:465");
}

TEST(SmtpMailer, ServerDownIsUnavailableAndNeverShowsThePassword) {
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = closed_port();
  o.security = SmtpSecurity::kStartTls;
  o.username = "voicemail";
  o.password = Secret("hunter2-secret");
  o.timeout = std::chrono::seconds(5);
  SmtpMailer mailer(o);
  auto s = mailer.send("voicemail@example.com", "alice@example.com", "Subject: x\r\n\r\nbody\r\n");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(s.error().message, HasSubstr(fmt::format("127.0.0.1:{}", o.port)));
  EXPECT_THAT(s.error().message, Not(HasSubstr("hunter2")));
}

TEST(SmtpMailer, BadAddressesAndPortsAreClearErrors) {
  SmtpOptions o;
  SmtpMailer mailer(o);
  auto s = mailer.send("voicemail@example.com", "alice@example.com>\r\nDATA", "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  o.port = 0;
  SmtpMailer zero(o);
  EXPECT_EQ(zero.send("a@b.c", "d@e.f", "x").error().code, ErrorCode::kInvalidArgument);
}

TEST(SmtpMailer, AServerThatIsNotSmtpFailsCleanly) {
  // A listener that greets with garbage and closes: libcurl reports it.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ASSERT_EQ(::listen(fd, 1), 0);
  std::thread peer([fd] {
    int c = ::accept(fd, nullptr, nullptr);
    if (c >= 0) {
      const char junk[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
      (void)!::write(c, junk, sizeof junk - 1);
      ::close(c);
    }
  });
  SmtpOptions o;
  o.port = ntohs(a.sin_port);
  o.security = SmtpSecurity::kNone;
  o.timeout = std::chrono::seconds(5);
  auto s = SmtpMailer(o).send("a@b.c", "d@e.f", "Subject: x\r\n\r\nbody\r\n");
  peer.join();
  ::close(fd);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.error().message, HasSubstr("SMTP smtp://127.0.0.1"));
}

}  // namespace
}  // namespace switchboard::features::mail
