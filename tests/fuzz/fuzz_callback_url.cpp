// Callback URLs and their hosts (WHATWG rules, IDNA): a parsed URL's host is canonical, so
// parsing it again gives the same host.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "jobs/webhooks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto url = reelgen::jobs::parse_callback_url(text);
  if (!url) {
    if (url.error().fields.empty() || url.error().fields[0].field != "callback_url") std::abort();
    return 0;
  }
  if (url->host.empty() || url->port.empty() || url->target.empty() || url->target[0] != '/') {
    std::abort();
  }
  const bool ipv6 = url->host.find(':') != std::string::npos;
  auto again = reelgen::jobs::parse_url_host(ipv6 ? "[" + url->host + "]" : url->host);
  if (!again || *again != url->host) std::abort();
  return 0;
}
