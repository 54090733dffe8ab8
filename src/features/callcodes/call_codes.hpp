// Feature codes during relayed two-party calls (issue 7 §2). The B2BUA hands
// every digit a party sends (RFC 4733 or in-band, detected by the relay) to
// CallCodes, which runs a small state machine per call side:
//
//   idle ──digit that starts a code──▶ prefix ──rest of the code──▶ act
//     ▲    (anything else: ignored)     │ wrong digit: idle, the digit is
//     │                                 │ tried again as a first digit
//     │                                 │ pause: idle
//     │  blind/attended/3-way code ──▶ number ──'#' or pause──▶ act
//     └──────────────────────────────────────────────────────────────┘
//
// Actions go through the B2BUA's public methods (CallCodeActions):
// blind transfer of the OTHER party (the sender is the transferrer and
// leaves), park of the other party (a blind transfer to the park
// extension), record toggle, attended transfer (a consultation call, see
// B2bua::consult), three-way calling (the consultation merged into an
// ad-hoc conference) and the consultation's cancel. The digits of a code
// still reach the other party (they are not removed from the relay).
// Core thread only.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "common/result.hpp"
#include "common/timers.hpp"
#include "core/call/call_digits.hpp"
#include "features/callcodes/options.hpp"

namespace switchboard::core {
class B2bua;
}

namespace switchboard::features::callcodes {

/// What a code does to a call; the B2BUA in production (B2buaCallActions).
class CallCodeActions {
 public:
  virtual ~CallCodeActions() = default;
  virtual Status transfer(const std::string& call_id, core::MediaSide stays,
                          const std::string& target) = 0;
  virtual Result<std::string> start_recording(const std::string& call_id) = 0;
  virtual Status stop_recording(const std::string& call_id) = 0;
  virtual Status consult(const std::string& call_id, core::MediaSide transferrer,
                         const std::string& target, bool three_way) = 0;
  virtual Status merge_three_way(const std::string& call_id) = 0;
  virtual Status cancel_consultation(const std::string& call_id) = 0;
  virtual bool is_consultation(const std::string& call_id) = 0;
};

class B2buaCallActions final : public CallCodeActions {
 public:
  explicit B2buaCallActions(core::B2bua& b2bua) : b2bua_(b2bua) {}
  Status transfer(const std::string& call_id, core::MediaSide stays,
                  const std::string& target) override;
  Result<std::string> start_recording(const std::string& call_id) override;
  Status stop_recording(const std::string& call_id) override;
  Status consult(const std::string& call_id, core::MediaSide transferrer, const std::string& target,
                 bool three_way) override;
  Status merge_three_way(const std::string& call_id) override;
  Status cancel_consultation(const std::string& call_id) override;
  bool is_consultation(const std::string& call_id) override;

 private:
  core::B2bua& b2bua_;
};

/// The codes should not start one another (the configuration checks it): the
/// shorter one wins.
class CallCodes final : public core::CallDigitListener {
 public:
  CallCodes(Timers& timers, CallCodeActions& actions, CallCodeOptions options);
  ~CallCodes() override;
  CallCodes(const CallCodes&) = delete;
  CallCodes& operator=(const CallCodes&) = delete;

  void on_call_digit(const std::string& call_id, core::MediaSide side, char digit) override;

  /// New codes (a reload): codes in progress are forgotten.
  void set_options(CallCodeOptions options);
  const CallCodeOptions& options() const { return options_; }

  /// Sides in the middle of a code (tests, metrics).
  std::size_t pending() const { return sides_.size(); }

 private:
  enum class Code {
    kNone,
    kBlindTransfer,
    kPark,
    kRecordToggle,
    kAttendedTransfer,
    kThreeWay,
    kCancelConsultation
  };
  enum class State { kPrefix, kNumber };
  struct SideState {
    State state = State::kPrefix;
    std::string digits;       // the code so far (kPrefix) or the number (kNumber)
    Code code = Code::kNone;  // kNumber: the code the number is for
    TimerId timer = 0;
  };
  using Key = std::pair<std::string, core::MediaSide>;

  /// The code `digits` is, or kNone; `prefix` tells whether it starts one.
  Code match(const std::string& digits, bool& prefix) const;
  /// A first digit (idle side, or one that a wrong digit sent back).
  void start(const Key& key, char digit);
  void act(const Key& key, Code code, const std::string& number);
  void expect_number(const Key& key, Code code);
  void arm(const Key& key, SideState& s);
  void on_timeout(const Key& key);
  void forget(const Key& key);

  Timers& timers_;
  CallCodeActions& actions_;
  CallCodeOptions options_;
  std::map<Key, SideState> sides_;  // only sides in the middle of a code
};

}  // namespace switchboard::features::callcodes
