#include <gtest/gtest.h>

#include "core/events/adapters.hpp"
#include "core/events/event_bus.hpp"

namespace switchboard::core {
namespace {

Event reg(const std::string& ext) {
  return Event{EventType::kRegistration, {ext}, {{"extension", ext}}};
}

TEST(EventBus, EachSubscriberNumbersItsOwnEventsAndFiltersApply) {
  EventBus bus([] { return store::Timestamp{}; });
  std::vector<nlohmann::json> all, only1001, calls;
  bus.subscribe({}, [&](const auto& t) { return all.push_back(nlohmann::json::parse(*t)), true; });
  bus.subscribe({{}, {"1001"}},
                [&](const auto& t) { return only1001.push_back(nlohmann::json::parse(*t)), true; });
  bus.subscribe({{EventType::kCallStarted}, {}},
                [&](const auto& t) { return calls.push_back(nlohmann::json::parse(*t)), true; });
  bus.publish(reg("1002"));
  bus.publish(reg("1001"));
  bus.publish(Event{EventType::kCallStarted, {"1001", "1002"}, {{"call_id", "c1"}}});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2]["seq"], 3);
  EXPECT_EQ(all[2]["type"], "call.started");
  EXPECT_EQ(all[2]["data"]["call_id"], "c1");
  EXPECT_EQ(all[0]["time"], "1970-01-01T00:00:00.000Z");
  ASSERT_EQ(only1001.size(), 2u);
  EXPECT_EQ(only1001[0]["seq"], 1);  // no gap: its own numbering
  EXPECT_EQ(only1001[1]["seq"], 2);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["seq"], 1);
  EXPECT_EQ(bus.published(), 3u);
}

TEST(EventBus, ASubscriberThatRefusesIsDroppedAndNeverBlocksTheOthers) {
  EventBus bus;
  int slow_calls = 0, fast = 0;
  bus.subscribe({}, [&](const auto&) { return ++slow_calls < 2; });  // full after one
  bus.subscribe({}, [&](const auto&) { return ++fast, true; });
  for (int i = 0; i < 5; ++i) bus.publish(reg("1001"));
  EXPECT_EQ(slow_calls, 2);  // offered until it refused, then gone
  EXPECT_EQ(fast, 5);
  EXPECT_EQ(bus.dropped(), 1u);
  EXPECT_EQ(bus.subscribers(), 1u);
}

TEST(EventBus, UnsubscribeStopsDelivery) {
  EventBus bus;
  int n = 0;
  auto id = bus.subscribe({}, [&](const auto&) { return ++n, true; });
  bus.publish(reg("1"));
  bus.unsubscribe(id);
  bus.publish(reg("1"));
  EXPECT_EQ(n, 1);
  EXPECT_EQ(bus.subscribers(), 0u);
}

TEST(EventTypes, RoundTripByName) {
  for (auto t : all_event_types()) EXPECT_EQ(event_type_from(to_string(t)), t);
  EXPECT_FALSE(event_type_from("weather"));
}

TEST(CallTracker, BridgedAndDtmfGoOutAsCallEventsToEitherPartysFilter) {
  CallEvents calls;
  EventBus bus([] { return store::Timestamp{}; });
  CallTracker tracker(calls, bus);
  std::vector<nlohmann::json> callee, other;
  bus.subscribe({{EventType::kCallBridged, EventType::kCallDtmf}, {"1002"}},
                [&](const auto& t) { return callee.push_back(nlohmann::json::parse(*t)), true; });
  bus.subscribe({{}, {"1003"}},
                [&](const auto& t) { return other.push_back(nlohmann::json::parse(*t)), true; });
  CallRecord r;
  r.call_id = "c1";
  r.caller = "1001";
  r.callee = "1002";
  calls.publish(CallEventKind::kStarted, r);
  calls.publish(CallEventKind::kAnswered, r);
  calls.publish(CallEvent{.kind = CallEventKind::kBridged, .call = r, .bridge = "answer"});
  const DtmfNote digit{Party::kCaller, "1001", '5'};
  calls.publish(CallEvent{.kind = CallEventKind::kDtmf, .call = r, .dtmf = &digit});
  ASSERT_EQ(callee.size(), 2u);
  EXPECT_EQ(callee[0]["type"], "call.bridged");
  EXPECT_EQ(callee[0]["data"]["reason"], "answer");
  EXPECT_EQ(callee[0]["data"]["caller"], "1001");
  EXPECT_EQ(callee[0]["data"]["callee"], "1002");
  EXPECT_EQ(callee[1]["type"], "call.dtmf");
  EXPECT_EQ(callee[1]["seq"], 2);
  EXPECT_EQ(callee[1]["data"]["party"], "caller");
  EXPECT_EQ(callee[1]["data"]["number"], "1001");
  EXPECT_EQ(callee[1]["data"]["digit"], "5");
  EXPECT_TRUE(other.empty());
  // A digit leaves the listed call as it was; events after the end do not
  // bring it back.
  ASSERT_EQ(tracker.active().size(), 1u);
  EXPECT_EQ(tracker.active().at("c1").state, "answered");
  calls.publish(CallEventKind::kEnded, r);
  calls.publish(CallEvent{.kind = CallEventKind::kDtmf, .call = r, .dtmf = &digit});
  calls.publish(CallEvent{.kind = CallEventKind::kBridged, .call = r, .bridge = "answer"});
  EXPECT_TRUE(tracker.active().empty());
}

}  // namespace
}  // namespace switchboard::core
