// libFuzzer target: TCP/TLS stream framing. The input is cut into chunks by its
// own first byte so partial reads are exercised. Invariant: whatever is framed
// was in the input, and feeding the same bytes in one piece frames the same.
#include <cstdint>
#include <string>
#include <vector>

#include "sip/transport/stream_framer.hpp"

using namespace switchboard::sip;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t step = 1 + data[0] % 64;
  std::string_view all(reinterpret_cast<const char*>(data) + 1, size - 1);
  StreamFramer chunked({4096, 2048}), whole({4096, 2048});
  std::vector<std::string> a, b;
  bool failed = false;
  for (size_t i = 0; i < all.size() && !failed; i += step) {
    auto out = chunked.feed(all.substr(i, step));
    for (auto& m : out.messages) a.push_back(m);
    failed = out.error != StreamFramer::Error::kNone;
  }
  auto out = whole.feed(all);
  for (auto& m : out.messages) b.push_back(m);
  if (!failed && out.error == StreamFramer::Error::kNone && a != b) __builtin_trap();
  return 0;
}
