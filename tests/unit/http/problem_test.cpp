#include "http/problem.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <stdexcept>

namespace reelgen::http {
namespace {

TEST(AnswerExceptions, PassesAResponseThrough) {
  auto res = answer_exceptions("r1", "test", [] { return json_response(201, "{}"); });
  EXPECT_EQ(res.status, 201);
}

TEST(AnswerExceptions, AnEscapingExceptionIsA500ProblemAndALogLine) {
  testing::internal::CaptureStdout();
  auto res = answer_exceptions("req-42", "App::handle",
                               []() -> Response { throw std::runtime_error("boom in a handler"); });
  const std::string log = testing::internal::GetCapturedStdout();
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.content_type, "application/problem+json");
  const auto doc = boost::json::parse(res.body).as_object();
  EXPECT_EQ(doc.at("instance").as_string(), "req-42");
  EXPECT_EQ(doc.at("detail").as_string().find("boom"), boost::json::string::npos);  // not shown
  EXPECT_NE(log.find("unhandled exception"), std::string::npos);
  EXPECT_NE(log.find("boom in a handler"), std::string::npos);
  EXPECT_NE(log.find("req-42"), std::string::npos);
}

TEST(AnswerExceptions, CatchesWhatIsNotAStdException) {
  testing::internal::CaptureStdout();
  auto res = answer_exceptions("r2", "test", []() -> Response { throw 7; });
  testing::internal::GetCapturedStdout();
  EXPECT_EQ(res.status, 500);
}

}  // namespace
}  // namespace reelgen::http
