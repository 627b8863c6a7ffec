#pragma once
// Network addresses: IP addresses and CIDR blocks (whose X-Forwarded-For to believe) and the
// Redis URL.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace reelgen::core {

// An IPv4 or IPv6 block; IPv4 is kept as IPv4-mapped IPv6, so "10.0.0.0/8" also matches
// "::ffff:10.1.2.3".
struct AddressBlock {
  std::array<std::uint8_t, 16> bytes{};
  int prefix = 128;
};

std::optional<std::array<std::uint8_t, 16>> parse_address(std::string_view text);
// "10.0.0.0/8, 192.168.1.7, fd00::/8"; empty text is an empty list.
Result<std::vector<AddressBlock>> parse_address_blocks(std::string_view list);
bool contains(const std::vector<AddressBlock>& blocks, std::string_view address);

// redis://[user:pass@]host[:port][/db]; rediss:// (TLS) is refused: hiredis 0.14 has no TLS.
struct RedisEndpoint {
  std::string host;
  std::uint16_t port = 6379;
  std::string user;
  std::string password;
  int db = 0;
};
Result<RedisEndpoint> parse_redis_url(std::string_view url);

// The address a request came from: remote, unless remote is a trusted proxy; then the right-most
// address in X-Forwarded-For that is not one (a client can prepend anything, never append).
std::string client_address(std::string_view remote, std::string_view forwarded_for,
                           const std::vector<AddressBlock>& trusted);

}  // namespace reelgen::core
