// The request parser with our limits, then what the server reads from its headers: the transfer
// coding (smuggling), ranges and conditional requests.

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "http/framing.hpp"
#include "http/ranges.hpp"

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::system::error_code ec;
  std::size_t used = 0;
  while (used < size && !ec && !parser.is_done()) {
    const std::size_t n = parser.put(boost::asio::buffer(data + used, size - used), ec);
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_header_done()) return 0;
  const auto& req = parser.get();
  if (auto refused = reelgen::http::check_transfer_encoding(req[bhttp::field::transfer_encoding])) {
    if (refused->message.empty()) std::abort();
  }
  for (const std::uintmax_t file_size :
       {std::uintmax_t{0}, std::uintmax_t{1}, std::uintmax_t{1000}}) {
    reelgen::http::ByteRange range{7, 3};
    const auto kind = reelgen::http::parse_range(req[bhttp::field::range], file_size, range);
    // A satisfiable range lies inside the file and is not empty.
    if (kind == reelgen::http::RangeKind::satisfiable &&
        (range.first > range.last || range.last >= file_size)) {
      std::abort();
    }
  }
  reelgen::http::none_match_matches(req[bhttp::field::if_none_match], "\"1a-2b\"");
  reelgen::http::parse_http_date(req[bhttp::field::if_modified_since]);
  return 0;
}
