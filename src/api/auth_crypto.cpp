#include "api/auth_crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace switchboard::api {

namespace {

std::string to_hex(const unsigned char* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

std::vector<unsigned char> random_bytes(size_t n) {
  std::vector<unsigned char> b(n);
  if (RAND_bytes(b.data(), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  return b;
}

std::string pbkdf2(std::string_view password, std::string_view salt, int iterations) {
  std::array<unsigned char, 32> out{};
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(),
                    static_cast<int>(out.size()), out.data());
  return to_hex(out.data(), out.size());
}

}  // namespace

std::string random_token() {
  auto b = random_bytes(32);
  return "sbt_" + to_hex(b.data(), b.size());
}

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md.data(), &len, EVP_sha256(), nullptr);
  return to_hex(md.data(), len);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string hash_password(std::string_view password, int iterations) {
  auto salt_bytes = random_bytes(16);
  const std::string salt = to_hex(salt_bytes.data(), salt_bytes.size());
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + salt + "$" +
         pbkdf2(password, salt, iterations);
}

bool verify_password(std::string_view password, std::string_view encoded) {
  constexpr std::string_view kPrefix = "pbkdf2-sha256$";
  if (encoded.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view rest = encoded.substr(kPrefix.size());
  const size_t a = rest.find('$');
  if (a == std::string_view::npos) return false;
  const size_t b = rest.find('$', a + 1);
  if (b == std::string_view::npos) return false;
  int iterations = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + a, iterations);
  if (ec != std::errc() || end != rest.data() + a || iterations < 1000 || iterations > 10000000) {
    return false;
  }
  const std::string_view salt = rest.substr(a + 1, b - a - 1);
  const std::string_view hash = rest.substr(b + 1);
  return constant_time_equal(pbkdf2(password, salt, iterations), hash);
}

}  // namespace switchboard::api
