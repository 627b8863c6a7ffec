#include "core/address.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace reelgen::core {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool in_block(const AddressBlock& block, const std::array<std::uint8_t, 16>& a) {
  const int whole = block.prefix / 8;
  for (int i = 0; i < whole; ++i) {
    if (a[i] != block.bytes[i]) return false;
  }
  const int bits = block.prefix % 8;
  if (bits == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - bits));
  return (a[whole] & mask) == (block.bytes[whole] & mask);
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// Percent-decoding for the user and password of a URL.
std::string decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    int hex = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, hex, 16).ptr == s.data() + i + 3) {
      out += static_cast<char>(hex);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

Result<RedisEndpoint> parse_redis_url(std::string_view url) {
  const auto bad = [&](std::string why) {
    return fail(ErrorCode::invalid_argument,
                "REDIS_URL: " + why + "; expected redis://[user:pass@]host[:port][/db]");
  };
  if (url.starts_with("rediss://")) return bad("TLS (rediss://) is not supported");
  if (!url.starts_with("redis://")) return bad("not a redis:// URL");
  std::string_view rest = url.substr(8);
  RedisEndpoint e;
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    const std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && (!parse_number(db, e.db) || e.db < 0)) return bad("bad database number");
    rest = rest.substr(0, slash);
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = rest.substr(0, at);
    const auto colon = credentials.find(':');
    if (colon == std::string_view::npos) {
      e.password = decode(credentials);
    } else {
      e.user = decode(credentials.substr(0, colon));
      e.password = decode(credentials.substr(colon + 1));
    }
    rest = rest.substr(at + 1);
  }
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    if (!parse_number(rest.substr(colon + 1), e.port) || e.port == 0) return bad("bad port");
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return bad("no host");
  e.host = std::string(rest);
  return e;
}

std::optional<std::array<std::uint8_t, 16>> parse_address(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string s(text);
  std::array<std::uint8_t, 16> out{};
  if (s.find(':') == std::string::npos) {
    in_addr v4{};
    if (inet_pton(AF_INET, s.c_str(), &v4) != 1) return std::nullopt;
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) != 1) return std::nullopt;
  std::memcpy(out.data(), &v6, 16);
  return out;
}

Result<std::vector<AddressBlock>> parse_address_blocks(std::string_view list) {
  std::vector<AddressBlock> blocks;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view item = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (item.empty()) continue;
    const auto bad = [&] {
      return fail(ErrorCode::invalid_argument,
                  "TRUSTED_PROXIES: '" + std::string(item) +
                      "' is not an IP address or CIDR block (e.g. 10.0.0.0/8, fd00::/8)");
    };
    const auto slash = item.find('/');
    const auto address = parse_address(item.substr(0, slash));
    if (!address) return bad();
    const bool v4 = item.substr(0, slash).find(':') == std::string_view::npos;
    AddressBlock block{*address, 128};
    if (slash != std::string_view::npos) {
      const std::string_view bits = item.substr(slash + 1);
      int prefix = -1;
      const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
      if (ec != std::errc() || end != bits.data() + bits.size() || prefix < 0 ||
          prefix > (v4 ? 32 : 128)) {
        return bad();
      }
      block.prefix = v4 ? prefix + 96 : prefix;
    }
    blocks.push_back(block);
  }
  return blocks;
}

bool contains(const std::vector<AddressBlock>& blocks, std::string_view address) {
  const auto a = parse_address(address);
  if (!a) return false;
  for (const auto& b : blocks) {
    if (in_block(b, *a)) return true;
  }
  return false;
}

std::string client_address(std::string_view remote, std::string_view forwarded_for,
                           const std::vector<AddressBlock>& trusted) {
  if (forwarded_for.empty() || !contains(trusted, remote)) return std::string(remote);
  std::string_view hops = forwarded_for;
  while (!hops.empty()) {
    const auto comma = hops.rfind(',');
    const std::string_view hop =
        trim(comma == std::string_view::npos ? hops : hops.substr(comma + 1));
    hops = comma == std::string_view::npos ? std::string_view() : hops.substr(0, comma);
    if (!parse_address(hop)) return std::string(remote);  // garbage: believe only the socket
    if (!contains(trusted, hop)) return std::string(hop);
  }
  return std::string(remote);
}

}  // namespace reelgen::core
