#include "video/pause_marks.hpp"

#include <gtest/gtest.h>

namespace reelgen::video::detail {
namespace {

TEST(PauseMarks, AScriptWithoutMarksIsOnePart) {
  auto parts = split_pause_marks("Hello there. [laughs] See [1] and [pauses].");
  ASSERT_TRUE(parts.has_value());
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ(parts->front().text, "Hello there. [laughs] See [1] and [pauses].");
  EXPECT_EQ(parts->front().pause_after, 0);
}

TEST(PauseMarks, ReadsSecondsAndMilliseconds) {
  auto parts =
      split_pause_marks("One [pause 0.5s] two [pause 2s] three[pause 500ms]four [PAUSE 1.5 S]");
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 5u);
  EXPECT_EQ((*parts)[0].text, "One ");
  EXPECT_DOUBLE_EQ((*parts)[0].pause_after, 0.5);
  EXPECT_EQ((*parts)[1].text, " two ");
  EXPECT_DOUBLE_EQ((*parts)[1].pause_after, 2);
  EXPECT_EQ((*parts)[2].text, " three");
  EXPECT_DOUBLE_EQ((*parts)[2].pause_after, 0.5);
  EXPECT_EQ((*parts)[3].text, "four ");
  EXPECT_DOUBLE_EQ((*parts)[3].pause_after, 1.5);
  EXPECT_EQ((*parts)[4].text, "");
  EXPECT_EQ((*parts)[4].pause_after, 0);
}

TEST(PauseMarks, AcceptsTheLimits) {
  EXPECT_TRUE(split_pause_marks("a [pause 50ms] b [pause 10s] c [pause 0.05s]").has_value());
}

// The same reading on every standard library (the fuzz build's libc++ has no from_chars for
// double) and in every locale.
TEST(PauseMarks, ReadsEveryDecimalForm) {
  const auto parts = split_pause_marks(
      "a [pause .5s] b [pause 2.s] c [pause 0001.250s] d [pause 0.1000000000000000000001s] e "
      "[pause 1234.5ms] f");
  ASSERT_TRUE(parts.has_value()) << parts.error().message;
  ASSERT_EQ(parts->size(), 6u);
  EXPECT_EQ((*parts)[0].pause_after, 0.5);
  EXPECT_EQ((*parts)[1].pause_after, 2.0);
  EXPECT_EQ((*parts)[2].pause_after, 1.25);
  EXPECT_DOUBLE_EQ((*parts)[3].pause_after, 0.1);
  EXPECT_EQ((*parts)[4].pause_after, 1234.5 / 1000);
  EXPECT_FALSE(split_pause_marks("a [pause .s] b").has_value());
  EXPECT_FALSE(split_pause_marks("a [pause 1" + std::string(400, '0') + "s] b").has_value());
}

TEST(PauseMarks, RefusesMalformedAndOutOfRangeMarks) {
  for (const char* script :
       {"a [pause] b", "a [pause 1] b", "a [pause 1 min] b", "a [pause s] b", "a [pause 1.2.3s] b",
        "a [pause -1s] b", "a [pause 1s b", "a [pause 1e1s] b", "a [pause 20s] b",
        "a [pause 0.01s] b", "a [pause 40ms] b", "a [pause 0s] b"}) {
    auto parts = split_pause_marks(script);
    ASSERT_FALSE(parts.has_value()) << script;
    const auto& e = parts.error();
    EXPECT_EQ(e.code, core::ErrorCode::invalid_argument);
    ASSERT_EQ(e.fields.size(), 1u);
    EXPECT_EQ(e.fields[0].field, "script");
    EXPECT_EQ(e.fields[0].rule, "pause");
    // The message names the allowed form and range.
    EXPECT_NE(e.fields[0].message.find("[pause 0.5s]"), std::string::npos) << e.fields[0].message;
    EXPECT_NE(e.fields[0].message.find("0.05 to 10 seconds"), std::string::npos)
        << e.fields[0].message;
  }
}

}  // namespace
}  // namespace reelgen::video::detail
