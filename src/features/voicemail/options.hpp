// The voicemail service's own settings (the app layer fills them from
// VoicemailConfig, the dialplan and the extensions; this layer does not
// depend on app/).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "common/secret.hpp"
#include "media/audio/phrases.hpp"
#include "store/time.hpp"

namespace switchboard::features::voicemail {

struct MailboxDef {
  std::string name;
  Secret initial_pin;  ///< the extension's voicemail_pin; used until the owner sets one
};

struct VoicemailOptions {
  std::string storage_path = "voicemail";  ///< <storage_path>/<mailbox>/*.wav
  std::chrono::milliseconds max_message{std::chrono::seconds(180)};
  /// Shorter messages are discarded.
  std::chrono::milliseconds min_message{std::chrono::seconds(1)};
  /// Sustained silence that ends a message; 0 = never.
  std::chrono::milliseconds silence_end{std::chrono::seconds(10)};
  double silence_rms = 150;
  std::chrono::milliseconds max_greeting{std::chrono::seconds(60)};
  /// `0` during the greeting goes here (dialed as if by the caller); empty:
  /// `0` is ignored.
  std::string operator_number;
  // voicemail.ivr
  int pin_attempts = 3;
  std::chrono::milliseconds menu_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds inter_digit_timeout{std::chrono::seconds(3)};
  /// A menu that timed out is repeated this many times, then the IVR goes
  /// back to the previous menu (the main menu: goodbye).
  int menu_repeats = 1;
  std::size_t min_pin_length = 4;
  int pin_iterations = 200000;  ///< PBKDF2 rounds of new PIN hashes
  // Lockouts across calls (beyond pin_attempts per call); 0 disables one.
  int mailbox_lockout_failures = 6;
  int source_lockout_failures = 12;
  /// 0 = until an administrator clears it.
  std::chrono::seconds lockout_duration{std::chrono::minutes(30)};
  /// The mailboxes (the extensions); a call for another number is refused.
  std::map<std::string, MailboxDef, std::less<>> mailboxes;
  /// Wall clock (message times, lockouts) and local time (envelopes).
  store::NowFn now = store::system_now;
  std::function<media::audio::LocalTime(store::Timestamp)>
      local_time;  ///< unset: TZ of the process
};

}  // namespace switchboard::features::voicemail
