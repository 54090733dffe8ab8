// Call parking in virtual time: the park extension and slots, the
// announcement, music, retrieval by join, the timeout callback with the
// operator fallback, and the events (issue 7 §4).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/timers.hpp"
#include "features/parking/park_app.hpp"
#include "features/parking/service.hpp"

namespace switchboard::features::parking {
namespace {

namespace app = media::app;
using namespace std::chrono_literals;

/// Records what the application asks of its call.
class Control final : public core::AppControl {
 public:
  explicit Control(core::AppCallInfo i) : call(std::move(i)) {}
  const core::AppCallInfo& info() const override { return call; }
  app::OpId play(app::PlayRequest r) override {
    std::string names;
    for (const auto& item : r.items) {
      if (const auto* p = std::get_if<app::PromptItem>(&item)) names += p->name + " ";
    }
    played.push_back(names);
    return ++last_op;
  }
  app::OpId record(app::RecordRequest) override { return 0; }
  app::OpId collect_digits(app::CollectRequest) override { return 0; }
  void stop_media() override {}
  void hang_up(std::string cause) override { hung_up = cause; }
  void redirect(std::string dialed) override { redirected = dialed; }
  void redirect(std::string dialed, std::string fb, std::chrono::seconds after) override {
    redirected = dialed;
    fallback = fb;
    fallback_after = after;
  }
  void start_music(const std::string& cls) override { music = cls.empty() ? "default" : cls; }
  void stop_music() override { music.clear(); }
  void join(const std::string& call_id, std::function<void()> failed) override {
    joined = call_id;
    join_failed = std::move(failed);
  }

  core::AppCallInfo call;
  std::vector<std::string> played;
  app::OpId last_op = 0;
  std::string hung_up, redirected, fallback, music, joined;
  std::chrono::seconds fallback_after{0};
  std::function<void()> join_failed;
};

core::AppCallInfo call_info(const std::string& id, const std::string& caller,
                            const std::string& dialed, core::AppReason reason,
                            const std::string& referred_by = "") {
  core::AppCallInfo i;
  i.call_id = id;
  i.caller = caller;
  i.dialed = dialed;
  i.target = dialed;
  i.kind = core::TargetKind::kParking;
  i.reason = reason;
  i.referred_by = referred_by;
  return i;
}

class ParkingTest : public ::testing::Test {
 protected:
  ParkingTest()
      : service(
            timers, bus, [this] { return now(); }, options()) {
    bus.subscribe({}, [this](const std::shared_ptr<const std::string>& json) {
      events.push_back(nlohmann::json::parse(*json));
      return true;
    });
  }
  static ParkingOptions options() {
    ParkingOptions o;
    o.first_slot = 71;
    o.last_slot = 73;
    o.timeout = 60s;
    o.callback_no_answer = 20s;
    o.operator_extension = "1000";
    return o;
  }
  store::Timestamp now() const { return store::Timestamp{} + std::chrono::hours(480000); }

  struct Running {
    core::CallAppPtr app;
    std::unique_ptr<Control> control;
    ParkApp& park() { return static_cast<ParkApp&>(*app); }
    void finish_prompt() { app->on_media(app::PlayDone{control->last_op, app::PlayResult::kDone}); }
  };
  Running start(core::AppCallInfo info) {
    Running r{service.make_app(info), std::make_unique<Control>(info)};
    r.app->on_start(*r.control);
    return r;
  }
  /// Parks `caller` by a blind transfer from `by` to the park extension.
  Running parked(const std::string& id, const std::string& caller, const std::string& by) {
    auto r = start(call_info(id, caller, "70", core::AppReason::kForwarded, by));
    r.finish_prompt();
    return r;
  }

  VirtualTimers timers;
  core::EventBus bus;
  ParkingService service;
  std::vector<nlohmann::json> events;
};

TEST_F(ParkingTest, TheParkExtensionParksInTheFirstFreeSlotWithAnnouncementThenMusic) {
  auto r = start(call_info("c1", "1001", "70", core::AppReason::kForwarded, "1002"));
  ASSERT_EQ(r.control->played.size(), 1u);
  EXPECT_EQ(r.control->played[0], "park_slot seven one ");
  EXPECT_TRUE(r.control->music.empty());
  EXPECT_TRUE(service.parked().empty());  // still announcing
  r.finish_prompt();
  EXPECT_EQ(r.control->music, "default");
  ASSERT_EQ(service.parked().size(), 1u);
  EXPECT_EQ(service.parked()[0].slot, "71");
  EXPECT_EQ(service.parked()[0].parked, "1001");
  EXPECT_EQ(service.parked()[0].parked_by, "1002");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "call.parked");
  EXPECT_EQ(events[0]["data"]["slot"], "71");

  auto second = parked("c2", "1003", "1002");
  EXPECT_EQ(second.control->played[0], "park_slot seven two ");
  EXPECT_EQ(service.parked().size(), 2u);
}

TEST_F(ParkingTest, NoFreeSlotIsToldAndHungUp) {
  auto a = parked("c1", "1001", "1002");
  auto b = parked("c2", "1001", "1002");
  auto c = parked("c3", "1001", "1002");
  auto d = start(call_info("c4", "1003", "70", core::AppReason::kForwarded, "1002"));
  EXPECT_EQ(d.control->played.back(), "park_no_slot ");
  d.finish_prompt();
  // Transferred here: back to the parker rather than dropped.
  EXPECT_TRUE(d.control->hung_up.empty());
  EXPECT_EQ(d.control->redirected, "1002");
  EXPECT_EQ(d.control->fallback, "1000");
  // Dialed by the caller itself: told and hung up.
  auto e = start(call_info("c5", "1003", "70", core::AppReason::kDialed));
  EXPECT_EQ(e.control->played.back(), "park_no_slot ");
  e.finish_prompt();
  EXPECT_FALSE(e.control->hung_up.empty());
  EXPECT_EQ(service.parked().size(), 3u);
}

TEST_F(ParkingTest, AnEmptySlotDialedIsToldButATransferParksThere) {
  auto dialed = start(call_info("c1", "1003", "72", core::AppReason::kDialed));
  EXPECT_EQ(dialed.control->played.back(), "park_empty ");
  dialed.finish_prompt();
  EXPECT_FALSE(dialed.control->hung_up.empty());
  auto moved = start(call_info("c2", "1001", "73", core::AppReason::kForwarded, "1002"));
  EXPECT_EQ(moved.control->played.back(), "park_slot seven three ");
  moved.finish_prompt();
  ASSERT_EQ(service.parked().size(), 1u);
  EXPECT_EQ(service.parked()[0].slot, "73");
  // A number outside the slots (the dialplan's 74-79 here) is empty too.
  auto outside = start(call_info("c3", "1003", "79", core::AppReason::kForwarded));
  EXPECT_EQ(outside.control->played.back(), "park_empty ");
}

TEST_F(ParkingTest, DialingAnOccupiedSlotJoinsTheParkedCall) {
  auto p = parked("c1", "1001", "1002");
  auto r = start(call_info("c9", "1003", "71", core::AppReason::kDialed));
  EXPECT_EQ(r.control->joined, "c1");
  EXPECT_TRUE(r.control->played.empty());
  // The join moves 1001 away: the parked call ends, the slot is free.
  p.app->on_end();
  EXPECT_TRUE(service.parked().empty());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1]["type"], "call.unparked");
  EXPECT_EQ(events[1]["data"]["reason"], "retrieved");
  EXPECT_EQ(events[1]["data"]["retrieved_by"], "1003");
}

TEST_F(ParkingTest, AFailedJoinIsToldAndTheCallStaysParked) {
  auto p = parked("c1", "1001", "1002");
  auto r = start(call_info("c9", "1003", "71", core::AppReason::kDialed));
  ASSERT_TRUE(r.control->join_failed);
  r.control->join_failed();
  EXPECT_EQ(r.control->played.back(), "transfer_failed ");
  r.finish_prompt();
  EXPECT_FALSE(r.control->hung_up.empty());
  ASSERT_EQ(service.parked().size(), 1u);
  p.app->on_end();  // the parked caller hangs up later
  EXPECT_EQ(events.back()["data"]["reason"], "hangup");
}

TEST_F(ParkingTest, TheTimeoutRingsTheParkerBackWithTheOperatorAsFallback) {
  auto p = parked("c1", "1001", "1002");
  timers.advance(59s);
  EXPECT_TRUE(p.control->redirected.empty());
  timers.advance(2s);
  EXPECT_EQ(p.control->redirected, "1002");
  EXPECT_EQ(p.control->fallback, "1000");
  EXPECT_EQ(p.control->fallback_after, 20s);
  p.app->on_end();  // redirect detaches the application
  EXPECT_TRUE(service.parked().empty());
  EXPECT_EQ(events.back()["data"]["reason"], "timeout");
}

TEST_F(ParkingTest, ACallParkedWithoutAParkerGoesToTheOperatorOnTimeout) {
  // The caller dialed 70 itself (no transfer): nobody to ring back.
  auto p = start(call_info("c1", "1001", "70", core::AppReason::kDialed));
  p.finish_prompt();
  timers.advance(61s);
  EXPECT_EQ(p.control->redirected, "1000");
  EXPECT_TRUE(p.control->fallback.empty());
}

TEST_F(ParkingTest, AnAttendedTransferHandsTheSlotToTheTransferee) {
  // 1002 dials 70, hears the slot, then transfers 1001 there (Replaces).
  auto p = start(call_info("c1", "1002", "70", core::AppReason::kDialed));
  p.finish_prompt();
  p.app->on_caller_changed("1001");
  ASSERT_EQ(service.parked().size(), 1u);
  EXPECT_EQ(service.parked()[0].parked, "1001");
  EXPECT_EQ(service.parked()[0].parked_by, "1002");
  timers.advance(61s);
  EXPECT_EQ(p.control->redirected, "1002");  // the callback goes to the parker
}

}  // namespace
}  // namespace switchboard::features::parking
