// The secrets of the API: random bearer tokens (256 bits), their SHA-256 for
// storage, salted PBKDF2 password hashes, constant-time comparison.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::api {

/// "sbt_" + 64 hex digits from the OpenSSL CSPRNG.
std::string random_token();
std::string sha256_hex(std::string_view data);
/// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>".
std::string hash_password(std::string_view password, int iterations = 100000);
/// False for a wrong password or a hash not in the form above.
bool verify_password(std::string_view password, std::string_view encoded);
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace switchboard::api
