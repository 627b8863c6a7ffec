#include "http/router.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/problem.hpp"

namespace reelgen::http {
namespace {

Handler named(std::string name) {
  return [name](Request&, Context&) { return json_response(200, name); };
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router.add("GET", "/health", named("health"));
    router.add("POST", "/api/v1/videos", named("create"));
    router.add("GET", "/api/v1/videos", named("list"));
    router.add("GET", "/api/v1/videos/{id}", named("get"));
    router.add("DELETE", "/api/v1/videos/{id}", named("delete"));
  }
  std::string call(const RouteMatch& m) {
    Request req;
    Context ctx;
    return (*m.handler)(req, ctx).body;
  }
  Router router;
};

TEST_F(RouterTest, MatchesLiteralAndParameterSegments) {
  auto m = router.match("GET", "/api/v1/videos/abc");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(call(m), "get");
  EXPECT_EQ(m.pattern, "/api/v1/videos/{id}");
  ASSERT_EQ(m.params.size(), 1u);
  EXPECT_EQ(m.params[0], "abc");
  EXPECT_EQ(call(router.match("DELETE", "/api/v1/videos/abc")), "delete");
  EXPECT_EQ(call(router.match("POST", "/api/v1/videos")), "create");
}

TEST_F(RouterTest, HeadIsAnsweredByGet) {
  auto m = router.match("HEAD", "/health");
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(call(m), "health");
}

TEST_F(RouterTest, UnknownPathIs404AndWrongMethodListsAllow) {
  auto missing = router.match("GET", "/nope");
  EXPECT_EQ(missing.handler, nullptr);
  EXPECT_TRUE(missing.allow.empty());
  auto wrong = router.match("PUT", "/api/v1/videos/abc");
  EXPECT_EQ(wrong.handler, nullptr);
  EXPECT_EQ(wrong.allow, "DELETE, GET, HEAD");
  EXPECT_EQ(router.match("POST", "/health").allow, "GET, HEAD");
}

TEST_F(RouterTest, TrailingSlashesAndEmptyParamsDoNotMatch) {
  EXPECT_EQ(router.match("GET", "/health/").handler, nullptr);
  EXPECT_EQ(router.match("GET", "/api/v1/videos/").handler, nullptr);
  EXPECT_EQ(router.match("GET", "health").handler, nullptr);
}

TEST(Request, SplitsPathAndQueryAndFindsHeadersIgnoringCase) {
  Request r;
  r.target = "/api/v1/videos?status=done&limit=2";
  r.headers = {{"Content-Type", "application/json"}, {"X-Api-Key", "k"}};
  EXPECT_EQ(r.path(), "/api/v1/videos");
  EXPECT_EQ(r.query(), "status=done&limit=2");
  EXPECT_EQ(r.header("x-api-key"), "k");
  EXPECT_EQ(r.header("authorization"), "");
}

TEST(Problem, RendersRfc9457WithFieldErrors) {
  core::Error e = core::Error::invalid("style", "enum", "must be one of: a, b");
  Response r = problem_response(e, "req-1");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto doc = boost::json::parse(r.body).as_object();
  EXPECT_EQ(doc["status"].as_int64(), 422);
  EXPECT_EQ(doc["instance"].as_string(), "req-1");
  EXPECT_EQ(doc["title"].as_string(), "Unprocessable Content");
  EXPECT_FALSE(doc["type"].as_string().empty());
  EXPECT_FALSE(doc["detail"].as_string().empty());
  auto errors = doc["errors"].as_array();
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("field").as_string(), "style");
  EXPECT_EQ(errors[0].at("rule").as_string(), "enum");
}

TEST(Problem, MapsEveryCodeToItsStatus) {
  using core::ErrorCode;
  EXPECT_EQ(status_of(ErrorCode::malformed), 400);
  EXPECT_EQ(status_of(ErrorCode::unauthenticated), 401);
  EXPECT_EQ(status_of(ErrorCode::forbidden), 403);
  EXPECT_EQ(status_of(ErrorCode::rate_limited), 429);
  EXPECT_EQ(status_of(ErrorCode::header_too_large), 431);
  EXPECT_EQ(status_of(ErrorCode::payload_too_large), 413);
  EXPECT_EQ(status_of(ErrorCode::unavailable), 503);
}

TEST_F(RouterTest, RoutesBlockUnlessMarkedForTheIoThread) {
  router.add("GET", "/health/live", named("live"), Dispatch::io_thread);
  EXPECT_EQ(router.match("GET", "/api/v1/videos/v1").dispatch, Dispatch::blocking);
  EXPECT_EQ(router.match("GET", "/health/live").dispatch, Dispatch::io_thread);
  EXPECT_EQ(router.match("HEAD", "/health/live").dispatch, Dispatch::io_thread);
}

}  // namespace
}  // namespace reelgen::http
