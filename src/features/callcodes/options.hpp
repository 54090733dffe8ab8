// Feature codes during a call (configuration `features.call_codes`,
// issue 7 §2): digits a party sends in a relayed two-party call, for phones
// without transfer or record keys.
#pragma once

#include <chrono>
#include <string>

namespace switchboard::features::callcodes {

struct CallCodeOptions {
  bool enabled = true;
  /// Then the number, ended by '#' or a pause: the other party is
  /// transferred there (blind; the sender leaves the call).
  std::string blind_transfer = "##";
  /// The other party goes to the parking lot (park_extension).
  std::string park = "*70";
  /// Starts the call's recording, or stops it when on.
  std::string record_toggle = "*1";
  /// Then the number: the sender consults it while the other party hears
  /// music; the sender hanging up completes the transfer.
  std::string attended_transfer = "*2";
  /// In a consultation: all three into a conference. In a call: then the
  /// number, consulted and joined into a conference once it answers.
  std::string three_way = "*3";
  /// In a consultation: back to the held party (the target is released).
  std::string cancel_consultation = "*0";
  /// Where park sends the other party (parking.park_extension).
  std::string park_extension = "70";
  /// A code or number with no digit for this long is over: a started code
  /// is forgotten, a number with digits is dialed.
  std::chrono::milliseconds inter_digit_timeout{std::chrono::seconds(3)};
};

}  // namespace switchboard::features::callcodes
