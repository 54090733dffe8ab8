// libFuzzer target: WWW-Authenticate / Authorization values (digest auth).
#include <cstdint>
#include <string>

#include "sip/auth_header.hpp"

using namespace switchboard::sip;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)parse_auth_header(text);
  return 0;
}
