// Helpers shared by the SIP unit tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "sip/message.hpp"
#include "sip/parser.hpp"

namespace switchboard::sip::test {

/// Bytes of tests/data/rfc4475/<name>.dat, exactly as stored.
inline std::string torture_bytes(std::string_view name) {
  // Built with filesystem::path, not string operator+: GCC 12 at -O2 reports a
  // false -Warray-bounds on chained string concatenation whose length depends
  // on the checkout path (GCC bug 105329).
  std::filesystem::path path(SB_SOURCE_DIR);
  path /= "tests/data/rfc4475";
  path /= std::string(name) + ".dat";
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path.string();
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Replaces "\n" by "\r\n" so tests can write messages as plain literals.
inline std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

/// Parses a literal written with "\n" line ends; fails the test on error.
inline Message parse_ok(std::string_view text) {
  Result<Message> m = parse_message(crlf(text));
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? std::move(*m) : Message();
}

/// Parses wire bytes as they are (CRLF already in place).
inline Message parse_wire(std::string bytes) {
  Result<Message> m = parse_message(std::move(bytes));
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? std::move(*m) : Message();
}

}  // namespace switchboard::sip::test
