// Voicemail PINs (issue 8 §4): stored only as a salted, slow hash
// (PBKDF2-HMAC-SHA256, "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>"),
// compared in constant time, never logged. Weak PINs are refused when the
// owner changes theirs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::features::voicemail {

inline constexpr int kDefaultPinIterations = 200000;

/// A new random salt each call.
std::string hash_pin(std::string_view pin, int iterations = kDefaultPinIterations);
/// False for a wrong PIN or a malformed hash.
bool verify_pin(std::string_view pin, std::string_view hash);
/// Constant-time comparison of two PINs (the configured initial PIN).
bool same_pin(std::string_view a, std::string_view b);

/// Why `pin` may not be a new PIN (nullopt: acceptable): not only digits,
/// shorter than `min_length` or longer than 12, one repeated digit (1111),
/// a run up or down (1234, 9876), or the mailbox number itself.
std::optional<std::string> weak_pin_reason(std::string_view pin, std::string_view mailbox,
                                           std::size_t min_length);

}  // namespace switchboard::features::voicemail
