#include <gtest/gtest.h>

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

}  // namespace
}  // namespace switchboard::core
