#include "features/voicemail/pin.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace switchboard::features::voicemail {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";

std::string to_hex(const unsigned char* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

std::string derive(std::string_view pin, std::string_view salt, int iterations) {
  std::array<unsigned char, 32> out{};
  if (PKCS5_PBKDF2_HMAC(pin.data(), static_cast<int>(pin.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()), out.data()) != 1) {
    return {};
  }
  return to_hex(out.data(), out.size());
}

}  // namespace

std::string hash_pin(std::string_view pin, int iterations) {
  std::array<unsigned char, 16> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  std::string salt_hex = to_hex(salt.data(), salt.size());
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" + salt_hex + "$" +
         derive(pin, salt_hex, iterations);
}

bool same_pin(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool verify_pin(std::string_view pin, std::string_view hash) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t p = hash.find('$', start);
    parts.push_back(hash.substr(start, p == std::string_view::npos ? p : p - start));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  if (parts.size() != 4 || parts[0] != kScheme || parts[2].empty() || parts[3].size() != 64) {
    return false;
  }
  int iterations = 0;
  auto [ptr, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
  if (ec != std::errc{} || ptr != parts[1].data() + parts[1].size() || iterations < 1 ||
      iterations > 10'000'000) {
    return false;
  }
  std::string derived = derive(pin, parts[2], iterations);
  return !derived.empty() && same_pin(derived, parts[3]);
}

std::optional<std::string> weak_pin_reason(std::string_view pin, std::string_view mailbox,
                                           std::size_t min_length) {
  if (pin.empty()) return "empty";
  for (char c : pin) {
    if (c < '0' || c > '9') return "not only digits";
  }
  if (pin.size() < min_length) return "too short";
  if (pin.size() > 12) return "too long";
  bool same = true, up = true, down = true;
  for (std::size_t i = 1; i < pin.size(); ++i) {
    int d = pin[i] - pin[i - 1];
    same = same && d == 0;
    up = up && (d == 1 || d == -9);
    down = down && (d == -1 || d == 9);
  }
  if (same) return "one repeated digit";
  if (up || down) return "a run of digits";
  if (pin == mailbox) return "the mailbox number";
  return std::nullopt;
}

}  // namespace switchboard::features::voicemail
