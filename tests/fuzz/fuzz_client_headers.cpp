// What clients and operators write into headers and settings: three lines, an Accept-Encoding, an
// X-Forwarded-For and a TRUSTED_PROXIES list (also tried as a REDIS_URL). Anything is answered
// or refused; a chosen coding is one the header names or allows with "*", and the client address
// is the socket's or one of the forwarded hops.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/address.hpp"
#include "http/compression.hpp"

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

std::string_view next_line(std::string_view& text) {
  const auto nl = text.find('\n');
  const std::string_view line = text.substr(0, nl);
  text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string_view accept = next_line(text);
  const std::string_view forwarded = next_line(text);
  const std::string_view proxies = next_line(text);

  const auto coding = reelgen::http::negotiate(accept);
  if (coding != reelgen::http::Coding::identity) {
    const std::string header = lower(accept);
    const bool named = header.find(reelgen::http::coding_name(coding)) != std::string::npos;
    if (!named && header.find('*') == std::string::npos) std::abort();
  }

  const std::string remote = "10.1.2.3";
  if (auto blocks = reelgen::core::parse_address_blocks(proxies)) {
    const std::string client = reelgen::core::client_address(remote, forwarded, *blocks);
    if (client != remote && forwarded.find(client) == std::string_view::npos) std::abort();
  }
  (void)reelgen::core::parse_redis_url(proxies);
  return 0;
}
