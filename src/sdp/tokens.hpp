// Small text helpers shared by the SDP parser files (internal).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sdp::detail {

/// Splits on runs of spaces (phones sometimes write two).
std::vector<std::string_view> split_spaces(std::string_view text);

/// A decimal number of at most `max`; nullopt for anything else.
std::optional<std::uint64_t> parse_number(std::string_view text, std::uint64_t max);

/// Removes leading spaces and tabs.
std::string_view trim_left(std::string_view text);

}  // namespace switchboard::sdp::detail
