// libFuzzer target: the URI parser. Invariant: a parsed URI equals itself.
#include <cstdint>
#include <string>

#include "sip/escape.hpp"
#include "sip/uri.hpp"

using namespace switchboard::sip;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto uri = parse_uri(text);
  if (!uri.ok()) return 0;
  if (!uri_equal(*uri, *uri)) __builtin_trap();
  (void)unescape(uri->user);
  (void)uri->host_address();
  return 0;
}
