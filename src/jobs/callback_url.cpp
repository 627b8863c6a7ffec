// Callback URLs, parsed once with the WHATWG URL host rules, at submission and at delivery alike:
// what is checked is exactly what is connected to.

#include <arpa/inet.h>
#include <unicode/uidna.h>

#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/webhooks.hpp"

namespace reelgen::jobs {
namespace {

core::Error bad_url(std::string message) {
  return core::Error::invalid("callback_url", "url", std::move(message));
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;  // "%" needs two hex digits after it
    const int hi = digit(text[i + 1]);
    const int lo = digit(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// UTS 46 ToASCII (what browsers do): maps full-width and circled digits, case and compatibility
// forms to ASCII and encodes other labels as punycode.
std::optional<std::string> to_ascii(const std::string& host) {
  UErrorCode status = U_ZERO_ERROR;
  UIDNA* idna = uidna_openUTS46(UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                                    UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_USE_STD3_RULES,
                                &status);
  if (U_FAILURE(status)) return std::nullopt;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  std::string out(255, '\0');
  const int32_t length =
      uidna_nameToASCII_UTF8(idna, host.data(), static_cast<int32_t>(host.size()), out.data(),
                             static_cast<int32_t>(out.size()), &info, &status);
  uidna_close(idna);
  // A trailing empty label ("localhost.") is not an error for a host.
  const std::uint32_t errors = info.errors & ~static_cast<std::uint32_t>(UIDNA_ERROR_EMPTY_LABEL);
  if (U_FAILURE(status) || errors != 0 || length <= 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(length));
  return out;
}

// One part of a WHATWG IPv4 address: decimal, 0x-hex or 0-octal; nullopt when not a number.
std::optional<std::uint64_t> ipv4_number(std::string_view part) {
  if (part.empty()) return std::nullopt;
  int base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  std::uint64_t value = 0;
  for (const char c : part) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    if (base == 16 && c >= 'a' && c <= 'f') d = c - 'a' + 10;
    if (base == 16 && c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (d < 0 || d >= base) return std::nullopt;
    value = value * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    if (value > 0xFFFFFFFFull) return 0x100000000ull;  // too large whatever follows
  }
  return value;
}

std::vector<std::string_view> split_dots(std::string_view host) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto dot = host.find('.');
    parts.push_back(host.substr(0, dot));
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  if (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  return parts;
}

// The WHATWG "ends in a number" test: such a host must be an IPv4 address.
bool ends_in_number(std::string_view host) {
  const auto parts = split_dots(host);
  const std::string_view last = parts.back();
  if (last.empty()) return false;
  if (last.find_first_not_of("0123456789") == std::string_view::npos) return true;
  return ipv4_number(last).has_value() && (last.starts_with("0x") || last.starts_with("0X"));
}

std::optional<std::string> parse_ipv4(std::string_view host) {
  const auto parts = split_dots(host);
  if (parts.size() > 4) return std::nullopt;
  std::vector<std::uint64_t> numbers;
  for (const auto part : parts) {
    auto n = ipv4_number(part);
    if (!n) return std::nullopt;
    numbers.push_back(*n);
  }
  for (std::size_t i = 0; i + 1 < numbers.size(); ++i) {
    if (numbers[i] > 255) return std::nullopt;
  }
  const std::uint64_t limit = 1ull << (8 * (5 - numbers.size()));
  if (numbers.back() >= limit) return std::nullopt;
  std::uint64_t address = numbers.back();
  for (std::size_t i = 0; i + 1 < numbers.size(); ++i) address += numbers[i] << (8 * (3 - i));
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 255) + "." +
         std::to_string((address >> 8) & 255) + "." + std::to_string(address & 255);
}

}  // namespace

core::Result<std::string> parse_url_host(std::string_view raw) {
  if (raw.empty()) return std::unexpected(bad_url("has no host"));
  if (raw.front() == '[') {
    if (raw.back() != ']') return std::unexpected(bad_url("has an unterminated IPv6 address"));
    const std::string literal(raw.substr(1, raw.size() - 2));
    in6_addr address{};
    char canonical[INET6_ADDRSTRLEN];
    if (::inet_pton(AF_INET6, literal.c_str(), &address) != 1 ||
        ::inet_ntop(AF_INET6, &address, canonical, sizeof canonical) == nullptr) {
      return std::unexpected(bad_url("has an invalid IPv6 address"));
    }
    return std::string(canonical);
  }
  auto decoded = percent_decode(raw);
  if (!decoded) return std::unexpected(bad_url("has an invalid percent-encoding in its host"));
  // Forbidden host code points (WHATWG), checked before IDNA could map any away.
  for (const char c : *decoded) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || std::string_view("#%/:<>?@[\\]^|").find(c) != std::string::npos) {
      return std::unexpected(bad_url("has a character that is not allowed in a host name"));
    }
  }
  auto ascii = to_ascii(*decoded);
  if (!ascii) return std::unexpected(bad_url("has a host name that is not a valid domain"));
  if (ends_in_number(*ascii)) {
    auto ipv4 = parse_ipv4(*ascii);
    if (!ipv4) return std::unexpected(bad_url("has an invalid IPv4 address"));
    return *ipv4;
  }
  // Only the last label may be empty: "localhost." is localhost, "a..b" and "a.." are no hosts.
  if (ascii->starts_with('.') || ascii->find("..") != std::string::npos) {
    return std::unexpected(bad_url("has an empty label in its host name"));
  }
  if (ascii->ends_with('.')) ascii->pop_back();
  if (ascii->empty()) return std::unexpected(bad_url("has no host"));
  return *ascii;
}

core::Result<CallbackUrl> parse_callback_url(std::string_view url) {
  if (url.size() > 2048) return std::unexpected(bad_url("must be at most 2048 characters"));
  CallbackUrl out;
  const auto scheme_end = url.find("://");
  std::string scheme(url.substr(0, scheme_end == std::string_view::npos ? 0 : scheme_end));
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme == "https") {
    out.tls = true;
  } else if (scheme != "http") {
    return std::unexpected(bad_url("must start with http:// or https://"));
  }
  url.remove_prefix(scheme_end + 3);
  const auto slash = url.find_first_of("/?#");
  std::string_view authority = url.substr(0, slash);
  std::string_view rest = slash == std::string_view::npos ? "" : url.substr(slash);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  out.target = rest.empty() || rest.front() == '?' ? "/" + std::string(rest) : std::string(rest);
  if (authority.find('@') != std::string_view::npos) {
    return std::unexpected(bad_url("must not contain credentials"));
  }
  std::string_view host = authority;
  std::string_view port;
  const auto bracket = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  auto parsed_host = parse_url_host(host);
  if (!parsed_host) return std::unexpected(parsed_host.error());
  out.host = std::move(*parsed_host);
  if (port.empty()) {
    out.port = out.tls ? "443" : "80";
  } else {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoul(std::string(port)) > 65535 || std::stoul(std::string(port)) == 0) {
      return std::unexpected(bad_url("has an invalid port (1 to 65535)"));
    }
    out.port = std::to_string(std::stoul(std::string(port)));
  }
  for (const char c : out.target) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7F) {
      return std::unexpected(bad_url("must not contain spaces or control characters"));
    }
  }
  return out;
}

}  // namespace reelgen::jobs
