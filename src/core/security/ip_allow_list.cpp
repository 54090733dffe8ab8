#include "core/security/ip_allow_list.hpp"

#include <charconv>

namespace switchboard::core {
namespace {

namespace ip = boost::asio::ip;

bool prefix_equal(const unsigned char* a, const unsigned char* b, int bits) {
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned char mask = bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

}  // namespace

Result<IpAllowList> IpAllowList::parse(const std::vector<std::string>& entries) {
  IpAllowList out;
  for (const auto& entry : entries) {
    const auto slash = entry.find('/');
    const std::string host = entry.substr(0, slash);
    boost::system::error_code ec;
    const auto addr = ip::make_address(host, ec);
    if (ec) return make_error(ErrorCode::kInvalidArgument, "bad address in \"" + entry + "\"");
    Block b;
    b.v4 = addr.is_v4();
    const int max_bits = b.v4 ? 32 : 128;
    b.prefix = max_bits;
    if (slash != std::string::npos) {
      const std::string bits = entry.substr(slash + 1);
      int n = -1;
      auto [p, err] = std::from_chars(bits.data(), bits.data() + bits.size(), n);
      if (err != std::errc() || p != bits.data() + bits.size() || n < 0 || n > max_bits) {
        return make_error(ErrorCode::kInvalidArgument, "bad prefix length in \"" + entry + "\"");
      }
      b.prefix = n;
    }
    if (b.v4) {
      const auto v4 = addr.to_v4().to_bytes();
      std::copy(v4.begin(), v4.end(), b.bytes.begin());
    } else {
      b.bytes = addr.to_v6().to_bytes();
    }
    out.blocks_.push_back(b);
  }
  return out;
}

bool IpAllowList::contains(const ip::address& addr) const {
  std::array<unsigned char, 16> bytes{};
  bool v4 = addr.is_v4();
  if (v4) {
    const auto b = addr.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), bytes.begin());
  } else if (addr.to_v6().is_v4_mapped()) {
    const auto b = ip::make_address_v4(ip::v4_mapped, addr.to_v6()).to_bytes();
    std::copy(b.begin(), b.end(), bytes.begin());
    v4 = true;
  } else {
    bytes = addr.to_v6().to_bytes();
  }
  for (const auto& block : blocks_) {
    if (block.v4 == v4 && prefix_equal(block.bytes.data(), bytes.data(), block.prefix)) {
      return true;
    }
  }
  return false;
}

}  // namespace switchboard::core
