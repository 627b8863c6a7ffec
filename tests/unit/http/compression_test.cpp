#include "http/compression.hpp"

#include <brotli/decode.h>
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

namespace reelgen::http {
namespace {

std::string gunzip(std::string_view in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

std::string unbrotli(std::string_view in) {
  std::size_t size = 1 << 20;
  std::string out(size, '\0');
  EXPECT_EQ(BrotliDecoderDecompress(in.size(), reinterpret_cast<const std::uint8_t*>(in.data()),
                                    &size, reinterpret_cast<std::uint8_t*>(out.data())),
            BROTLI_DECODER_RESULT_SUCCESS);
  out.resize(size);
  return out;
}

std::string unzstd(std::string_view in) {
  std::string out(1 << 20, '\0');
  const std::size_t n = ZSTD_decompress(out.data(), out.size(), in.data(), in.size());
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string json_body() {
  std::string body = "[";
  for (int i = 0; i < 100; ++i)
    body += "{\"caption\":\"Golden hour at the pier\",\"n\":" + std::to_string(i) + "},";
  body.back() = ']';
  return body;
}

TEST(Negotiate, PicksTheHighestQValueAndPrefersZstdBrGzipOnTies) {
  EXPECT_EQ(negotiate(""), Coding::identity);
  EXPECT_EQ(negotiate("gzip"), Coding::gzip);
  EXPECT_EQ(negotiate("gzip, deflate, br"), Coding::br);
  EXPECT_EQ(negotiate("gzip, br, zstd"), Coding::zstd);
  EXPECT_EQ(negotiate("zstd;q=0.5, gzip;q=0.9"), Coding::gzip);
  EXPECT_EQ(negotiate("br;q=0.2, GZIP ; q=0.3"), Coding::gzip);
  EXPECT_EQ(negotiate("*"), Coding::zstd);
  EXPECT_EQ(negotiate("*;q=0.5, zstd;q=0"), Coding::br);  // zstd refused, br from *
  EXPECT_EQ(negotiate("gzip;q=0, identity"), Coding::identity);
  EXPECT_EQ(negotiate("deflate, compress"), Coding::identity);
  EXPECT_EQ(negotiate("gzip;q=abc, br;q=2"),
            Coding::identity);  // malformed q-values count as absent
  EXPECT_EQ(negotiate("x-gzip"), Coding::gzip);
}

TEST(Encode, EveryCodingRoundTrips) {
  const std::string body = json_body();
  EXPECT_EQ(gunzip(encode(Coding::gzip, body)), body);
  EXPECT_EQ(unbrotli(encode(Coding::br, body)), body);
  EXPECT_EQ(unzstd(encode(Coding::zstd, body)), body);
  EXPECT_EQ(encode(Coding::identity, body), body);
  EXPECT_LT(encode(Coding::zstd, body).size(), body.size() / 4);
}

Request with_accept(std::string value) {
  Request r;
  r.method = "GET";
  r.target = "/x";
  r.headers.push_back({"Accept-Encoding", std::move(value)});
  return r;
}

TEST(CompressResponse, CompressesLargeJsonAndSaysSo) {
  Response res = json_response(200, json_body());
  compress_response(with_accept("br, gzip"), res, {true, 1024});
  EXPECT_EQ(res.header("Content-Encoding"), "br");
  EXPECT_EQ(res.header("Vary"), "Accept-Encoding");
  EXPECT_EQ(unbrotli(res.body), json_body());
}

TEST(CompressResponse, LeavesSmallBodiesAndIdentityClientsAloneButVaries) {
  Response small = json_response(200, "{\"status\":\"ok\"}");
  compress_response(with_accept("gzip"), small, {true, 1024});
  EXPECT_EQ(small.header("Content-Encoding"), "");
  EXPECT_EQ(small.header("Vary"), "Accept-Encoding");
  Response plain = json_response(200, json_body());
  compress_response(with_accept("identity"), plain, {true, 1024});
  EXPECT_EQ(plain.header("Content-Encoding"), "");
  EXPECT_EQ(plain.body, json_body());
}

TEST(CompressResponse, NeverTouchesStreamsFilesRangesOrMedia) {
  Response partial = json_response(206, json_body());
  compress_response(with_accept("gzip"), partial, {true, 16});
  EXPECT_EQ(partial.header("Content-Encoding"), "");
  Response video = json_response(200, json_body());
  video.content_type = "video/mp4";
  compress_response(with_accept("gzip"), video, {true, 16});
  EXPECT_EQ(video.header("Content-Encoding"), "");
  EXPECT_EQ(video.header("Vary"), "");
  struct Events final : EventStream {
    std::string poll(bool& done) override {
      done = true;
      return "";
    }
  };
  Response sse = json_response(200, json_body());
  sse.content_type = "text/event-stream";
  sse.stream = std::make_shared<Events>();
  compress_response(with_accept("gzip"), sse, {true, 16});
  EXPECT_EQ(sse.header("Content-Encoding"), "");
  Response off = json_response(200, json_body());
  compress_response(with_accept("gzip"), off, {false, 16});
  EXPECT_EQ(off.header("Content-Encoding"), "");
}

TEST(CompressResponse, CompressesMetricsText) {
  Response metrics = json_response(200, json_body());
  metrics.content_type = "text/plain; version=0.0.4; charset=utf-8";
  compress_response(with_accept("zstd"), metrics, {true, 1024});
  EXPECT_EQ(metrics.header("Content-Encoding"), "zstd");
  EXPECT_EQ(unzstd(metrics.body), json_body());
}

}  // namespace
}  // namespace reelgen::http
