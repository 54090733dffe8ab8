// Call parking settings (configuration `parking.*`, issue 7 §4).
#pragma once

#include <chrono>
#include <string>

namespace switchboard::features::parking {

struct ParkingOptions {
  /// Dialing or transferring to this number parks in the first free slot.
  std::string park_extension = "70";
  /// The slots: dialing an occupied one retrieves its call; transferring a
  /// call to a free one parks it there.
  int first_slot = 71;
  int last_slot = 79;
  /// A parked call rings its parker back after this long …
  std::chrono::seconds timeout{120};
  /// … and goes to the operator when the parker does not answer in this.
  std::chrono::seconds callback_no_answer{30};
  std::string operator_extension;  ///< "" = no fallback: the call ends
  std::string moh_class;           ///< "" = the default class
};

}  // namespace switchboard::features::parking
