#include "http/ranges.hpp"

#include <gtest/gtest.h>

#include "http/framing.hpp"

namespace reelgen::http {
namespace {

TEST(Ranges, SatisfiableInvalidAndUnsatisfiable) {
  ByteRange r{};
  EXPECT_EQ(parse_range("bytes=0-99", 1000, r), RangeKind::satisfiable);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 99u);
  EXPECT_EQ(parse_range("bytes=-50", 1000, r), RangeKind::satisfiable);
  EXPECT_EQ(r.first, 950u);
  EXPECT_EQ(parse_range("bytes=990-5000", 1000, r), RangeKind::satisfiable);
  EXPECT_EQ(r.last, 999u);
  // Invalid ranges are ignored and leave out untouched (the length once underflowed).
  ByteRange untouched{1, 2};
  for (const char* invalid : {"bytes=5-2", "bytes=abc", "bytes=1-2,4-5", "items=0-1", "bytes=-"}) {
    EXPECT_EQ(parse_range(invalid, 1000, untouched), RangeKind::none) << invalid;
    EXPECT_EQ(untouched.first, 1u);
    EXPECT_EQ(untouched.last, 2u);
  }
  EXPECT_EQ(parse_range("bytes=1000-", 1000, r), RangeKind::unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 1000, r), RangeKind::unsatisfiable);
}

TEST(Conditions, WeakListsStarAndDates) {
  EXPECT_TRUE(none_match_matches("\"a\"", "\"a\""));
  EXPECT_TRUE(none_match_matches("W/\"a\"", "\"a\""));
  EXPECT_TRUE(none_match_matches("\"x\", W/\"a\"", "\"a\""));
  EXPECT_TRUE(none_match_matches("*", "\"a\""));
  EXPECT_FALSE(none_match_matches("\"b\"", "\"a\""));
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_FALSE(parse_http_date("yesterday"));
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing"));
}

TEST(Framing, OnlyOneChunkedIsAccepted) {
  EXPECT_FALSE(check_transfer_encoding(""));
  EXPECT_FALSE(check_transfer_encoding("chunked"));
  EXPECT_FALSE(check_transfer_encoding(" Chunked "));
  for (const char* coding : {"gzip", "identity", "xchunked", "gzip, chunked"}) {
    auto refused = check_transfer_encoding(coding);
    ASSERT_TRUE(refused) << coding;
    EXPECT_EQ(refused->code, core::ErrorCode::not_implemented) << coding;
  }
  EXPECT_EQ(check_transfer_encoding("chunked, chunked")->code, core::ErrorCode::malformed);
  EXPECT_EQ(check_transfer_encoding("chunked,")->code, core::ErrorCode::malformed);
}

}  // namespace
}  // namespace reelgen::http
