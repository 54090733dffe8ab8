// A core for API unit tests that has nothing: no registrations, no calls,
// every action kUnavailable. Tests override what they look at.
#pragma once

#include "api/core_access.hpp"

namespace switchboard::api::fakes {

class NoCore : public CoreAccess {
 public:
  nlohmann::json status() override { return {}; }
  nlohmann::json registrations(const std::optional<std::string>&) override { return {}; }
  nlohmann::json calls(const std::optional<std::string>&) override { return {}; }
  bool hangup(const std::string&) override { return false; }
  Result<std::string> originate(const std::string&, const std::string&) override { return none(); }
  Status hold(const std::string&, const std::string&) override { return none(); }
  Status resume(const std::string&) override { return none(); }
  Result<std::string> start_recording(const std::string&,
                                      const std::optional<std::string>&) override {
    return none();
  }
  Status stop_recording(const std::string&, const std::optional<std::string>&) override {
    return none();
  }
  Status transfer(const std::string&, const std::string&, const std::string&,
                  const std::optional<std::string>&) override {
    return none();
  }
  Result<std::string> park(const std::string&, const std::string&,
                           const std::optional<std::string>&) override {
    return none();
  }
  Status consultation(const std::string&, const std::string&, const std::string&,
                      const std::string&, const std::optional<std::string>&) override {
    return none();
  }
  nlohmann::json config() override { return {}; }
  std::vector<MetricSample> metrics() override { return {}; }
  void extensions_changed() override {}

 protected:
  static Error none() { return {ErrorCode::kUnavailable, "no core"}; }
};

}  // namespace switchboard::api::fakes
