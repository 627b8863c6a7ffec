#include "http/compression.hpp"

#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>

namespace reelgen::http {
namespace {

// The fastest levels, and one compressor state per thread reset between uses rather than
// allocated per response: a cached caption is compressed again on every hit (its body carries the
// request id and time), so speed beats the last bytes. bench/results/redis-cache.md measures it.
constexpr int kZstdLevel = 1;
constexpr int kBrotliQuality = 1;
constexpr int kGzipLevel = 1;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The q-value of one element's parameters ("q=0.5"); 1 without one, -1 when malformed.
double q_value(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') continue;
    const std::string text(p.substr(2));
    char* end = nullptr;
    const double q = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || q < 0 || q > 1) return -1;
    return q;
  }
  return 1;
}

struct Deflater {
  z_stream z{};
  bool ready = false;
  Deflater() {
    ready = deflateInit2(&z, kGzipLevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Deflater() {
    if (ready) deflateEnd(&z);
  }
};

std::string gzip(std::string_view body) {
  thread_local Deflater d;
  if (!d.ready || deflateReset(&d.z) != Z_OK) return std::string(body);
  z_stream& z = d.z;
  std::string out(deflateBound(&z, body.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
  z.avail_in = static_cast<uInt>(body.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  return rc == Z_STREAM_END ? out : std::string(body);
}

std::string brotli(std::string_view body) {
  std::size_t size = BrotliEncoderMaxCompressedSize(body.size());
  std::string out(size, '\0');
  // A window no larger than the body: brotli's default (4 MiB) takes three times as long to set up
  // as a caption takes to compress.
  const int window = std::clamp(static_cast<int>(std::bit_width(body.size())),
                                BROTLI_MIN_WINDOW_BITS, BROTLI_DEFAULT_WINDOW);
  if (!BrotliEncoderCompress(kBrotliQuality, window, BROTLI_MODE_TEXT, body.size(),
                             reinterpret_cast<const std::uint8_t*>(body.data()), &size,
                             reinterpret_cast<std::uint8_t*>(out.data()))) {
    return std::string(body);
  }
  out.resize(size);
  return out;
}

std::string zstd(std::string_view body) {
  struct Context {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ~Context() { ZSTD_freeCCtx(cctx); }
  };
  thread_local Context context;
  std::string out(ZSTD_compressBound(body.size()), '\0');
  const std::size_t n =
      ZSTD_compressCCtx(context.cctx, out.data(), out.size(), body.data(), body.size(), kZstdLevel);
  if (ZSTD_isError(n)) return std::string(body);
  out.resize(n);
  return out;
}

}  // namespace

Coding negotiate(std::string_view accept) {
  // Preference on equal q: zstd, br, gzip.
  static constexpr std::array<Coding, 3> kOurs{Coding::zstd, Coding::br, Coding::gzip};
  std::array<double, 3> q{-1, -1, -1};  // -1: not named
  double star = -1;
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    const std::string_view element = trim(accept.substr(0, comma));
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    const auto semi = element.find(';');
    const std::string_view name = trim(element.substr(0, semi));
    const double value = semi == std::string_view::npos ? 1.0 : q_value(element.substr(semi + 1));
    if (value < 0) continue;
    if (name == "*") {
      star = value;
      continue;
    }
    for (std::size_t i = 0; i < kOurs.size(); ++i) {
      if (iequals(name, coding_name(kOurs[i])) ||
          (kOurs[i] == Coding::gzip && iequals(name, "x-gzip"))) {
        q[i] = value;
      }
    }
  }
  Coding best = Coding::identity;
  double best_q = 0;
  for (std::size_t i = 0; i < kOurs.size(); ++i) {
    const double v = q[i] >= 0 ? q[i] : star;
    if (v > best_q) {
      best_q = v;
      best = kOurs[i];
    }
  }
  return best;
}

std::string_view coding_name(Coding coding) {
  switch (coding) {
    case Coding::zstd:
      return "zstd";
    case Coding::br:
      return "br";
    case Coding::gzip:
      return "gzip";
    case Coding::identity:
      break;
  }
  return "identity";
}

std::string encode(Coding coding, std::string_view body) {
  switch (coding) {
    case Coding::zstd:
      return zstd(body);
    case Coding::br:
      return brotli(body);
    case Coding::gzip:
      return gzip(body);
    case Coding::identity:
      break;
  }
  return std::string(body);
}

bool compressible(std::string_view type) {
  type = type.substr(0, type.find(';'));
  return type.starts_with("text/") || type == "application/json" ||
         type == "application/problem+json" || type == "application/javascript" ||
         type == "image/svg+xml";
}

void compress_response(const Request& request, Response& res, const CompressionPolicy& policy) {
  if (!policy.enabled || res.stream || res.file || !compressible(res.content_type)) return;
  if (res.status == 206 || res.status == 204 || res.status == 304) return;
  if (!res.header("Content-Encoding").empty()) return;
  res.set_header("Vary", "Accept-Encoding");
  if (res.body.size() < policy.min_bytes) return;
  const Coding coding = negotiate(request.header("Accept-Encoding"));
  if (coding == Coding::identity) return;
  std::string encoded = encode(coding, res.body);
  if (encoded.size() >= res.body.size()) return;
  res.body = std::move(encoded);
  res.set_header("Content-Encoding", std::string(coding_name(coding)));
}

}  // namespace reelgen::http
