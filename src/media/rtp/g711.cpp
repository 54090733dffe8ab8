#include "media/rtp/g711.hpp"

namespace switchboard::media::rtp::g711 {
namespace {

namespace law = media::g711;

constexpr std::array<std::uint8_t, 256> make_u2a() {
  std::array<std::uint8_t, 256> t{};
  for (int i = 0; i < 256; ++i) {
    t[i] = law::linear_to_alaw(law::ulaw_to_linear_calc(static_cast<std::uint8_t>(i)));
  }
  return t;
}

constexpr std::array<std::uint8_t, 256> make_a2u() {
  std::array<std::uint8_t, 256> t{};
  for (int i = 0; i < 256; ++i) {
    t[i] = law::linear_to_ulaw(law::alaw_to_linear_calc(static_cast<std::uint8_t>(i)));
  }
  return t;
}

constexpr std::array<std::uint8_t, 256> kU2A = make_u2a();
constexpr std::array<std::uint8_t, 256> kA2U = make_a2u();

}  // namespace

const std::array<std::uint8_t, 256>& ulaw_to_alaw_table() {
  return kU2A;
}
const std::array<std::uint8_t, 256>& alaw_to_ulaw_table() {
  return kA2U;
}

void ulaw_to_alaw(std::span<std::uint8_t> samples) {
  for (auto& s : samples) s = kU2A[s];
}
void alaw_to_ulaw(std::span<std::uint8_t> samples) {
  for (auto& s : samples) s = kA2U[s];
}

}  // namespace switchboard::media::rtp::g711
