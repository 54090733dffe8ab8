// A recording policy for the B2BUA tests: records on answer when told to,
// and names files after the parties and a counter.
#pragma once

#include <string>
#include <vector>

#include "core/call/recording_policy.hpp"

namespace switchboard::core::testing {

class FakeRecordingPolicy final : public RecordingPolicy {
 public:
  bool record_on_answer(const CallRecord& call) const override {
    asked.push_back(call.caller + ">" + call.callee);
    return auto_record;
  }
  Result<RecordingTarget> new_target(const CallRecord& call) override {
    if (full) return make_error(ErrorCode::kIoError, "disk full");
    ++made;
    const std::string ref =
        "2026/11/25/" + call.caller + "_" + call.callee + "_" + std::to_string(made) + ".wav";
    return RecordingTarget{"/rec/" + ref, ref, stereo};
  }
  bool auto_record = false;
  bool stereo = false;
  bool full = false;
  int made = 0;
  mutable std::vector<std::string> asked;
};

}  // namespace switchboard::core::testing
