// Codec model: static and dynamic payload types, case-insensitive names,
// preference by the offerer's order, telephone-event rates.
#include "sdp/codec.hpp"

#include <gtest/gtest.h>

#include "sdp/parser.hpp"
#include "unit/sdp/samples.hpp"

namespace switchboard::sdp {
namespace {

MediaDescription audio(const char* text) {
  auto sd = parse(text);
  EXPECT_TRUE(sd.ok()) << (sd.ok() ? "" : sd.error().message);
  return sd.ok() ? sd->media.at(0) : MediaDescription{};
}

TEST(SdpCodec, StaticTable) {
  EXPECT_EQ(static_codec(0)->name, "PCMU");
  EXPECT_EQ(static_codec(8)->name, "PCMA");
  EXPECT_EQ(static_codec(9)->name, "G722");
  EXPECT_EQ(static_codec(9)->clock_rate, 8000u);  // RFC 3551's famous exception
  EXPECT_EQ(static_codec(18)->name, "G729");
  EXPECT_FALSE(static_codec(96));
  EXPECT_EQ(static_payload_type(CodecSpec{"pcma", 8000, 1, ""}), 8);
  EXPECT_FALSE(static_payload_type(CodecSpec{"opus", 48000, 2, ""}));
}

TEST(SdpCodec, ResolvesStaticDynamicAndFmtp) {
  std::vector<Codec> codecs = codecs_of(audio(samples::kLinphone));
  // 96 opus, 97 SILK, 98 speex, 0, 8, 101, 99, 100 (all known)
  ASSERT_EQ(codecs.size(), 8u);
  EXPECT_EQ(codecs[0], (Codec{96, "opus", 48000, 2, "useinbandfec=1"}));
  EXPECT_EQ(codecs[3], (Codec{0, "PCMU", 8000, 1, ""}));
  EXPECT_TRUE(codecs[5].is_telephone_event());
}

TEST(SdpCodec, DynamicWithoutRtpmapIsUnknown) {
  auto codecs =
      codecs_of(audio("v=0\no=- 1 1 IN IP4 a\ns=-\nc=IN IP4 a\nm=audio 1 RTP/AVP 96 0\n"));
  ASSERT_EQ(codecs.size(), 1u);
  EXPECT_EQ(codecs[0].payload_type, 0);
}

TEST(SdpCodec, NamesCompareCaseInsensitively) {
  CodecSpec spec{"pcmu", 8000, 1, ""};
  EXPECT_TRUE(spec.matches(Codec{0, "PCMU", 8000, 1, ""}));
  EXPECT_FALSE(spec.matches(Codec{0, "PCMU", 16000, 1, ""}));
  EXPECT_FALSE((CodecSpec{"opus", 48000, 2, ""}.matches(Codec{96, "OPUS", 48000, 1, ""})));
}

TEST(SdpCodec, OfferersOrderAmongSupported) {
  std::vector<Codec> offered = codecs_of(audio(samples::kDeskPhone));  // 9 0 8 18 101
  std::vector<CodecSpec> supported = {{"PCMA", 8000, 1, ""}, {"PCMU", 8000, 1, ""}};
  EXPECT_EQ(first_supported(offered, supported)->name, "PCMU");
  EXPECT_EQ(first_supported(offered, default_codecs())->name, "G722");
  EXPECT_EQ(first_supported(offered, {{"opus", 48000, 2, ""}}), nullptr);
}

TEST(SdpCodec, TelephoneEventPrefersTheAudioRate) {
  std::vector<Codec> offered = codecs_of(audio(samples::kLinphone));
  EXPECT_EQ(telephone_event_for(offered, 48000)->payload_type, 101);
  EXPECT_EQ(telephone_event_for(offered, 8000)->payload_type, 100);
  EXPECT_EQ(telephone_event_for(offered, 44100)->payload_type, 101);  // any, first
  EXPECT_EQ(telephone_event_for({Codec{0, "PCMU", 8000, 1, ""}}, 8000), nullptr);
}

TEST(SdpCodec, AddCodecWritesRtpmapAndFmtp) {
  MediaDescription m;
  m.protocol = "RTP/AVP";
  add_codec(m, Codec{96, "opus", 48000, 2, "useinbandfec=1"});
  add_codec(m, Codec{0, "PCMU", 8000, 1, ""});
  EXPECT_EQ(m.formats, (std::vector<std::string>{"96", "0"}));
  EXPECT_EQ(m.rtpmaps[0], (RtpMap{96, "opus", 48000, 2}));
  EXPECT_EQ(m.rtpmaps[1], (RtpMap{0, "PCMU", 8000, std::nullopt}));
  EXPECT_EQ(m.fmtps.size(), 1u);
  EXPECT_EQ(codecs_of(m).size(), 2u);
}

}  // namespace
}  // namespace switchboard::sdp
