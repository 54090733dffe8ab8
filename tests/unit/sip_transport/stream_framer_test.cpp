#include "sip/transport/stream_framer.hpp"

#include <gtest/gtest.h>

namespace switchboard::sip {
namespace {

const std::string kOptions =
    "OPTIONS sip:pbx SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n";
const std::string kWithBody =
    "MESSAGE sip:a@b SIP/2.0\r\nl: 5\r\nContent-Type: text/plain\r\n\r\nhello";

TEST(StreamFramer, SplitsBackToBackMessages) {
  StreamFramer f;
  auto out = f.feed(kOptions + kWithBody + kOptions);
  ASSERT_EQ(out.messages.size(), 3u);
  EXPECT_EQ(out.messages[0], kOptions);
  EXPECT_EQ(out.messages[1], kWithBody);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(StreamFramer, ReassemblesByteByByte) {
  StreamFramer f;
  std::vector<std::string> got;
  std::string all = kWithBody + kOptions;
  for (char c : all) {
    auto out = f.feed(std::string_view(&c, 1));
    ASSERT_EQ(out.error, StreamFramer::Error::kNone);
    for (auto& m : out.messages) got.push_back(m);
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], kWithBody);
}

TEST(StreamFramer, KeepAlivePingsAndPongs) {
  StreamFramer f;
  auto out = f.feed("\r\n\r\n");
  EXPECT_EQ(out.pings, 1u);
  out = f.feed("\r\n");
  EXPECT_EQ(out.pongs, 1u);
  out = f.feed("\r\n\r\n" + kOptions + "\r\n\r\n");
  EXPECT_EQ(out.pings, 2u);
  EXPECT_EQ(out.messages.size(), 1u);
}

TEST(StreamFramer, MissingContentLengthClosesTheConnection) {
  StreamFramer f;
  auto out = f.feed("OPTIONS sip:pbx SIP/2.0\r\nVia: x\r\n\r\n");
  EXPECT_EQ(out.error, StreamFramer::Error::kBadContentLength);
  EXPECT_EQ(f.feed(kOptions).error, StreamFramer::Error::kTooLarge);  // stays failed
}

TEST(StreamFramer, ConflictingOrNegativeContentLength) {
  EXPECT_EQ(find_content_length("A\r\nContent-Length: 3\r\nl: 4\r\n"), -2);
  EXPECT_EQ(find_content_length("A\r\nContent-Length: -1\r\n"), -2);
  EXPECT_EQ(find_content_length("A\r\ncontent-length :  12 \r\n"), 12);
  EXPECT_EQ(find_content_length("A\r\nX: 1\r\n"), -1);
}

TEST(StreamFramer, SizeCapOnBodyAndOnHeaders) {
  StreamFramer::Limits limits{1024, 512};
  StreamFramer a(limits);
  EXPECT_EQ(a.feed("MESSAGE sip:a SIP/2.0\r\nl: 5000\r\n\r\n").error,
            StreamFramer::Error::kTooLarge);
  StreamFramer b(limits);
  EXPECT_EQ(b.feed("MESSAGE sip:a SIP/2.0\r\nX: " + std::string(600, 'a')).error,
            StreamFramer::Error::kTooLarge);
}

}  // namespace
}  // namespace switchboard::sip
