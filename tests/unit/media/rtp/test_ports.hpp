// Port ranges for tests that bind real sockets: each test process (ctest runs
// every TEST as its own process) gets its own block of 100 ports below the
// kernel's ephemeral range (32768+), so parallel tests and outgoing sockets
// rarely meet. A taken port is skipped by the engine anyway; only the tests
// that count pairs exactly need the block to themselves.
#pragma once

#include <unistd.h>

#include <cstdint>

namespace switchboard::media::rtp {

inline std::uint16_t test_port_block(int offset) {
  return static_cast<std::uint16_t>(20000 + (getpid() % 127) * 100 + offset);
}

}  // namespace switchboard::media::rtp
