// Call applications on side B (call_app.hpp): a dialed service, no answer,
// busy and unregistered callees reaching the mailbox, the application's
// media requests, hang-up from either side with completions delivered
// before on_end(), redirect to another extension, re-INVITE to an application.
#include <algorithm>

#include "app_fixture.hpp"
#include "call_fixture.hpp"
#include "recording_fixture.hpp"
#include "sdp/parser.hpp"

namespace switchboard::core::testing {
namespace {

constexpr const char* kA = "198.51.100.1";
constexpr const char* kB1 = "198.51.100.21";
constexpr const char* kOp = "198.51.100.23";

using namespace app_fixture;  // NOLINT
namespace mapp = media::app;

std::uint16_t audio_port(const sip::Message& m) {
  auto sd = sdp::parse(m.body());
  return sd.ok() && !sd->media.empty() ? sd->media[0].port : 0;
}

class B2buaAppsTest : public CallFixture {
 protected:
  B2buaAppsTest() {
    b2bua.set_app_media(&app_media);
    for (TargetKind k : {TargetKind::kVoicemail, TargetKind::kConference}) {
      b2bua.set_app(k, [this](const AppCallInfo& info) -> CallAppPtr {
        if (refuse) return nullptr;
        infos.push_back(info);
        return std::make_unique<ScriptedApp>(seen);
      });
    }
  }
  FakeAppMediaFactory app_media;
  std::shared_ptr<ScriptedApp::Seen> seen = std::make_shared<ScriptedApp::Seen>();
  std::vector<AppCallInfo> infos;
  bool refuse = false;
};

TEST_F(B2buaAppsTest, ADialedServiceIsAnsweredThroughTheRelayByAnApplicationLeg) {
  feed(invite("*1002"), from_ip(kA));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  EXPECT_EQ(audio_port(*ok), 10004);  // the caller talks to relay side A as always
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_EQ(infos[0].kind, TargetKind::kVoicemail);
  EXPECT_EQ(infos[0].target, "1002");  // "*1002" is mailbox 1002
  EXPECT_EQ(infos[0].reason, AppReason::kDialed);
  EXPECT_EQ(infos[0].caller, "1001");
  EXPECT_EQ(infos[0].source_address, kA);
  // Relay side B sends to the leg on loopback, the leg to relay side B.
  auto& relay = *relays.logs.at(0);
  EXPECT_EQ(relay.configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{"127.0.0.1", 31000}));
  EXPECT_EQ(relay.configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kA, 4000}));
  ASSERT_EQ(app_media.logs.size(), 1u);
  const auto& p = app_media.logs[0]->params;
  EXPECT_EQ(p.remote_address, "127.0.0.1");
  EXPECT_EQ(p.remote_port, 10006);
  EXPECT_EQ(p.codec, "PCMU");
  EXPECT_EQ(p.telephone_event_pt, 101);
  EXPECT_EQ(seen->events, (std::vector<std::string>{"start"}));
  EXPECT_EQ(last.callee, "1002");
}

TEST_F(B2buaAppsTest, AnApplicationCallBridgesNobodyAndItsDigitsAreNotPublished) {
  feed(invite("*1002"), from_ip(kA));
  ASSERT_TRUE(last_response(kA, 200));
  EXPECT_EQ(CallFixture::seen.back(), CallEventKind::kAnswered);
  EXPECT_TRUE(bridged.empty());
  // The caller keys its PIN: the application's, not a call.dtmf event.
  auto& relay = *relays.logs.at(0);
  ASSERT_TRUE(relay.digits);
  relay.digits(MediaSide::kA, '1');
  relay.digits(MediaSide::kA, '#');
  EXPECT_EQ(std::count(CallFixture::seen.begin(), CallFixture::seen.end(), CallEventKind::kDtmf),
            0);
}

TEST_F(B2buaAppsTest, ACallerWithoutTelephoneEventsIsHeardInBand) {
  feed(invite("*1002", "call-1", "", sdp_body(kA, 4000, "sendrecv", "0")), from_ip(kA));
  ASSERT_TRUE(last_response(kA, 200));
  ASSERT_EQ(app_media.logs.size(), 1u);
  EXPECT_EQ(app_media.logs[0]->params.telephone_event_pt, -1);  // in-band detector on
}

TEST_F(B2buaAppsTest, CallerHangsUpDuringARecordingAndTheRecordingCompletesBeforeOnEnd) {
  feed(invite("*1002"), from_ip(kA));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok && seen->control);
  const auto rec = seen->control->record({});
  ASSERT_NE(rec, 0u);
  const std::string tag = to_tag(*ok);
  feed(from_caller("ACK", 1, tag), from_ip(kA));
  feed(from_caller("BYE", 2, tag), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 200));
  EXPECT_TRUE(app_media.logs[0]->closed);
  timers.advance(100ms);
  // Not ended yet: the recording has not completed.
  EXPECT_EQ(seen->events, (std::vector<std::string>{"start"}));
  mapp::RecordDone done;
  done.id = rec;
  done.result = mapp::RecordResult::kStopped;
  app_media.last->complete(done);
  timers.advance(1ms);
  EXPECT_EQ(seen->events, (std::vector<std::string>{"start", "record:stopped", "end"}));
  EXPECT_EQ(last.hangup_side, Party::kCaller);
  timers.advance(2s);
  EXPECT_EQ(b2bua.active_calls(), 0u);
}

TEST_F(B2buaAppsTest, ARequestThatNeverCompletesDoesNotKeepTheCallForever) {
  feed(invite("*1002"), from_ip(kA));
  ASSERT_TRUE(seen->control);
  seen->control->play({});
  const std::string tag = to_tag(*last_response(kA, 200));
  feed(from_caller("BYE", 2, tag), from_ip(kA));
  timers.advance(6s);
  EXPECT_EQ(seen->events, (std::vector<std::string>{"start", "end"}));
  timers.advance(2s);
  EXPECT_EQ(b2bua.active_calls(), 0u);
}

TEST_F(B2buaAppsTest, TheApplicationHangsUp) {
  feed(invite("2001"), from_ip(kA));  // a conference room
  ASSERT_TRUE(seen->control);
  EXPECT_EQ(infos.at(0).kind, TargetKind::kConference);
  seen->control->hang_up("goodbye");
  auto bye = last_request(kA, "BYE");
  ASSERT_TRUE(bye);
  // Requests after the hang-up are ignored.
  EXPECT_EQ(seen->control->play({}), 0u);
  timers.advance(1ms);
  EXPECT_EQ(seen->events, (std::vector<std::string>{"start", "end"}));
  EXPECT_EQ(last.hangup_side, Party::kCallee);
  EXPECT_EQ(last.hangup_cause, "goodbye");
}

TEST_F(B2buaAppsTest, TheApplicationReachesItsLegWhileItRuns) {
  feed(invite("2001"), from_ip(kA));  // a conference room mixes the leg
  ASSERT_TRUE(seen->control);
  ASSERT_EQ(app_media.logs.size(), 1u);
  EXPECT_EQ(seen->control->terminating_leg(),
            reinterpret_cast<mapp::TerminatingLeg*>(app_media.logs[0].get()));
  seen->control->hang_up("bye");
  EXPECT_EQ(seen->control->terminating_leg(), nullptr);  // ending: no more leg
}

TEST_F(B2buaAppsTest, NoAnswerBusyAndUnregisteredCalleesReachTheMailbox) {
  register_phone("1002", kB1);
  feed(invite("1002"), from_ip(kA));
  feed(answer(*last_request(kB1, "INVITE"), 180, "x1"), from_ip(kB1));
  timers.advance(20s);
  EXPECT_TRUE(last_request(kB1, "CANCEL"));
  EXPECT_TRUE(last_response(kA, 200));
  ASSERT_EQ(infos.size(), 1u);
  EXPECT_EQ(infos[0].reason, AppReason::kNoAnswer);
  EXPECT_EQ(infos[0].target, "1002");

  feed(invite("1002", "call-2"), from_ip(kA));
  auto inv = last_request(kB1, "INVITE");
  feed(answer(*inv, 486, "x2"), from_ip(kB1));
  ASSERT_EQ(infos.size(), 2u);
  EXPECT_EQ(infos[1].reason, AppReason::kBusy);

  feed(invite("1003", "call-3"), from_ip(kA));  // an extension with no phone registered
  ASSERT_EQ(infos.size(), 3u);
  EXPECT_EQ(infos[2].reason, AppReason::kNoAnswer);
  EXPECT_EQ(infos[2].target, "1003");

  // A mailbox that refuses (no voicemail for the extension): 480 as before.
  refuse = true;
  feed(invite("1003", "call-4"), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 480));
}

TEST_F(B2buaAppsTest, RedirectRingsTheNewTargetAndMovesOnlySideB) {
  register_phone("1003", kOp);
  feed(invite("*1002"), from_ip(kA));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok && seen->control);
  const std::string tag = to_tag(*ok);
  feed(from_caller("ACK", 1, tag), from_ip(kA));
  const auto greeting = seen->control->play({});
  const size_t mark = sent.size();
  seen->control->redirect("1003");
  // The application's requests are stopped; completions, then on_end.
  EXPECT_EQ(app_media.logs[0]->requests.back(), "play");  // ringback on the same leg
  mapp::PlayDone pd;
  pd.id = greeting;
  pd.result = mapp::PlayResult::kStopped;
  app_media.last->complete(pd);
  timers.advance(1ms);
  EXPECT_EQ(seen->events, (std::vector<std::string>{"start", "play:stopped", "end"}));
  auto inv = last_request(kOp, "INVITE");
  ASSERT_TRUE(inv);
  EXPECT_TRUE(sent_to(kA, mark).empty());  // no re-INVITE to the caller
  // Offered only the caller's codec (plus the other G.711 law) and DTMF.
  auto offer = sdp::parse(inv->body());
  ASSERT_TRUE(offer.ok());
  EXPECT_EQ(offer->media[0].formats, (std::vector<std::string>{"0", "101", "8"}));
  feed(answer(*inv, 200, "op1", sdp_body(kOp, 6000, "sendrecv", "8 101"), kOp), from_ip(kOp));
  auto& relay = *relays.logs.at(0);
  EXPECT_EQ(relay.configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kOp, 6000}));
  EXPECT_EQ(relay.configured[MediaSide::kB].codec->name, "PCMA");  // the relay converts
  EXPECT_EQ(relay.configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kA, 4000}));
  EXPECT_TRUE(app_media.logs[0]->closed);
  EXPECT_EQ(last.callee, "1003");
  // Two people now: bridged (the application's answer was not), and their
  // digits are published.
  EXPECT_EQ(bridged, (std::vector<std::string>{"call-1 1001-1003 redirect"}));
  relay.digits(MediaSide::kB, '4');
  EXPECT_EQ(CallFixture::seen.back(), CallEventKind::kDtmf);
  // Now an ordinary call: the caller's BYE reaches the operator.
  feed(from_caller("BYE", 2, tag), from_ip(kA));
  auto bye = last_request(kOp, "BYE");
  ASSERT_TRUE(bye);
  EXPECT_EQ(to_tag(*bye), "op1");
}

TEST_F(B2buaAppsTest, ARedirectNobodyAnswersEndsTheCall) {
  register_phone("1003", kOp);
  feed(invite("*1002"), from_ip(kA));
  ASSERT_TRUE(seen->control);
  seen->control->redirect("1003");
  feed(answer(*last_request(kOp, "INVITE"), 486, "op1"), from_ip(kOp));
  EXPECT_TRUE(last_request(kA, "BYE"));
  // A redirect to nowhere ends the call too.
  feed(invite("*1002", "call-2"), from_ip(kA));
  ASSERT_TRUE(seen->control);
  seen->control->redirect("1999");
  EXPECT_EQ(sent_to(kA).back().method(), "BYE");
}

TEST_F(B2buaAppsTest, AReInviteToAnApplicationIsAnsweredByThePbx) {
  feed(invite("*1002"), from_ip(kA));
  const std::string tag = to_tag(*last_response(kA, 200));
  feed(from_caller("ACK", 1, tag), from_ip(kA));
  feed(from_caller("INVITE", 2, tag, sdp_body(kA, 4100)), from_ip(kA));
  auto ok = last_response(kA, 200);
  ASSERT_TRUE(ok);
  EXPECT_EQ(audio_port(*ok), 10004);
  EXPECT_EQ(relays.logs.at(0)->configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kA, 4100}));
  // INFO has nowhere to go.
  feed(from_caller("INFO", 3, tag, ""), from_ip(kA));
  EXPECT_TRUE(last_response(kA, 415));
}

}  // namespace
}  // namespace switchboard::core::testing

namespace switchboard::core::testing {
namespace {

class B2buaOriginateTest : public B2buaAppsTest {};

TEST_F(B2buaOriginateTest, ClickToDialRingsAThenBWithRingbackAndConnectsThem) {
  register_phone("1001", kA);
  register_phone("1002", kB1);
  auto id = b2bua.originate("1001", "1002");
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto inv_a = last_request(kA, "INVITE");
  ASSERT_TRUE(inv_a);
  EXPECT_EQ(inv_a->value(sip::HeaderId::kCallId), std::optional<std::string_view>(*id));
  EXPECT_NE(inv_a->value(sip::HeaderId::kFrom)->find("sip:1002@pbx.test"), std::string::npos);
  EXPECT_EQ(audio_port(*inv_a), 10004);       // relay side A
  EXPECT_FALSE(last_request(kB1, "INVITE"));  // B waits for A
  feed(answer(*inv_a, 180, "pa"), from_ip(kA));
  feed(answer(*inv_a, 200, "pa", sdp_body(kA, 4000, "sendrecv", "8 101"), kA), from_ip(kA));
  EXPECT_TRUE(last_request(kA, "ACK"));
  auto& relay = *relays.logs.at(0);
  EXPECT_EQ(relay.configured[MediaSide::kA].remote_rtp, (sdp::RtpAddress{kA, 4000}));
  EXPECT_EQ(relay.configured[MediaSide::kA].codec->name, "PCMA");
  // A hears ringback from a leg of ours while B rings.
  ASSERT_EQ(app_media.logs.size(), 1u);
  EXPECT_EQ(app_media.logs[0]->requests, (std::vector<std::string>{"play"}));
  EXPECT_EQ(app_media.logs[0]->params.codec, "PCMA");
  auto inv_b = last_request(kB1, "INVITE");
  ASSERT_TRUE(inv_b);
  auto offer_b = sdp::parse(inv_b->body());
  ASSERT_TRUE(offer_b.ok());
  EXPECT_EQ(offer_b->media[0].port, 10006);
  feed(answer(*inv_b, 200, "pb", sdp_body(kB1, 5000), kB1), from_ip(kB1));
  EXPECT_TRUE(last_request(kB1, "ACK"));
  EXPECT_EQ(relay.configured[MediaSide::kB].remote_rtp, (sdp::RtpAddress{kB1, 5000}));
  EXPECT_TRUE(app_media.logs[0]->closed);
  EXPECT_EQ(last.caller, "1001");
  EXPECT_EQ(last.callee, "1002");
  EXPECT_TRUE(last.answer.has_value());
  EXPECT_EQ(bridged, (std::vector<std::string>{*id + " 1001-1002 answer"}));
  // B hangs up: A gets a BYE in the dialog we started.
  auto bye = sip::Message::request("BYE", "sip:switchboard@192.0.2.1:5060");
  bye.add_header(sip::HeaderId::kVia,
                 "SIP/2.0/UDP 198.51.100.21:5060;branch=" + sip::make_branch());
  bye.add_header(sip::HeaderId::kMaxForwards, "70");
  bye.add_header(sip::HeaderId::kFrom, "<sip:1002@pbx.test>;tag=pb");
  bye.add_header(sip::HeaderId::kTo, std::string(*inv_b->value(sip::HeaderId::kFrom)));
  bye.add_header(sip::HeaderId::kCallId, *inv_b->value(sip::HeaderId::kCallId));
  bye.add_header(sip::HeaderId::kCSeq, "5 BYE");
  feed(bye, from_ip(kB1));
  auto bye_a = last_request(kA, "BYE");
  ASSERT_TRUE(bye_a);
  EXPECT_EQ(bye_a->value(sip::HeaderId::kCallId), std::optional<std::string_view>(*id));
  EXPECT_EQ(last.outcome, CallOutcome::kAnswered);
  EXPECT_EQ(last.hangup_side, Party::kCallee);
}

TEST_F(B2buaOriginateTest, ClickToDialRefusals) {
  register_phone("1001", kA);
  auto r = b2bua.originate("1003", "1002");  // not registered
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  r = b2bua.originate("1001", "0123456");  // 1001 may not dial out
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  r = b2bua.originate("1001", "1999");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  // A declines: the call ends without B ever ringing.
  register_phone("1002", kB1);
  auto id = b2bua.originate("1001", "1002");
  ASSERT_TRUE(id.ok());
  feed(answer(*last_request(kA, "INVITE"), 603, "pa"), from_ip(kA));
  EXPECT_EQ(last.outcome, CallOutcome::kBusy);
  EXPECT_FALSE(last_request(kB1, "INVITE"));
  timers.advance(2s);
  EXPECT_EQ(b2bua.active_calls(), 0u);
}

// Call recording (issue 7 §5): a click-to-dial call is recorded once both
// phones are connected (not while A hears ringback); a call answered by an
// application is not recorded.
TEST_F(B2buaOriginateTest, AutoRecordStartsWhenClickToDialConnectsBothPhones) {
  FakeRecordingPolicy policy;
  policy.auto_record = true;
  b2bua.set_recording_policy(&policy);
  register_phone("1001", kA);
  register_phone("1002", kB1);
  auto id = b2bua.originate("1001", "1002");
  ASSERT_TRUE(id.ok());
  auto inv_a = last_request(kA, "INVITE");
  ASSERT_TRUE(inv_a);
  feed(answer(*inv_a, 200, "pa", sdp_body(kA, 4000), kA), from_ip(kA));
  timers.advance(1ms);
  auto& relay = *relays.logs.at(0);
  EXPECT_TRUE(relay.recordings.empty());  // A hears ringback: nothing to record yet
  EXPECT_EQ(b2bua.start_recording(*id).error().code, ErrorCode::kFailedPrecondition);
  auto inv_b = last_request(kB1, "INVITE");
  ASSERT_TRUE(inv_b);
  feed(answer(*inv_b, 200, "pb", sdp_body(kB1, 5000), kB1), from_ip(kB1));
  timers.advance(1ms);
  EXPECT_EQ(policy.asked, (std::vector<std::string>{"1001>1002"}));
  EXPECT_EQ(relay.recordings, (std::vector<std::string>{"/rec/2026/11/25/1001_1002_1.wav"}));
  EXPECT_EQ(last.recordings, (std::vector<std::string>{"2026/11/25/1001_1002_1.wav"}));
  b2bua.set_recording_policy(nullptr);
}

TEST_F(B2buaAppsTest, ACallAnsweredByAnApplicationIsNotRecorded) {
  FakeRecordingPolicy policy;
  policy.auto_record = true;
  b2bua.set_recording_policy(&policy);
  feed(invite("*1002"), from_ip(kA));
  ASSERT_TRUE(last_response(kA, 200));
  timers.advance(1ms);
  EXPECT_TRUE(policy.asked.empty());
  EXPECT_TRUE(relays.logs.at(0)->recordings.empty());
  EXPECT_EQ(b2bua.start_recording("call-1").error().code, ErrorCode::kFailedPrecondition);
  b2bua.set_recording_policy(nullptr);
}

}  // namespace
}  // namespace switchboard::core::testing
