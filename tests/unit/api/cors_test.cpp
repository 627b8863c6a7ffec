#include "api/cors.hpp"

#include <gtest/gtest.h>

namespace reelgen::api {
namespace {

TEST(Cors, NoOriginsMeansNoCors) {
  const CorsPolicy none("");
  EXPECT_FALSE(none.allow_origin("https://a.example", true));
  http::Response res;
  none.decorate(res, "https://a.example", true);
  EXPECT_TRUE(res.header("Access-Control-Allow-Origin").empty());
  EXPECT_TRUE(res.header("Vary").empty());
}

TEST(Cors, ListedOriginsAreEchoedOnEveryRoute) {
  const CorsPolicy policy(" https://a.example, https://b.example:8443/ ");
  EXPECT_EQ(policy.allow_origin("https://a.example", false), "https://a.example");
  EXPECT_EQ(policy.allow_origin("https://b.example:8443", false), "https://b.example:8443");
  EXPECT_FALSE(policy.allow_origin("https://evil.example", true));
  EXPECT_FALSE(policy.allow_origin("https://a.example.evil", true));
}

TEST(Cors, StarOnlyOpensTheOpenRoutes) {
  const CorsPolicy policy("*");
  EXPECT_EQ(policy.allow_origin("https://any.example", true), "*");
  EXPECT_FALSE(policy.allow_origin("https://any.example", false));
}

TEST(Cors, AnswersCarryVaryAndNeverCredentials) {
  const CorsPolicy policy("*,https://a.example");
  http::Response res;
  res.set_header("Vary", "Accept-Encoding");
  policy.decorate(res, "https://a.example", false);
  EXPECT_EQ(res.header("Access-Control-Allow-Origin"), "https://a.example");
  EXPECT_EQ(res.header("Vary"), "Accept-Encoding, Origin");
  EXPECT_NE(res.header("Access-Control-Expose-Headers").find("X-Request-Id"), std::string::npos);
  EXPECT_TRUE(res.header("Access-Control-Allow-Credentials").empty());
}

TEST(Cors, PreflightAllowsTheRoutesMethodsOnly) {
  const CorsPolicy policy("https://a.example");
  const auto ok = policy.preflight("https://a.example", "POST", "POST", false);
  EXPECT_EQ(ok.status, 204);
  EXPECT_EQ(ok.header("Access-Control-Allow-Origin"), "https://a.example");
  EXPECT_EQ(ok.header("Access-Control-Allow-Methods"), "POST");
  EXPECT_NE(ok.header("Access-Control-Allow-Headers").find("Authorization"), std::string::npos);
  EXPECT_EQ(ok.header("Access-Control-Max-Age"), "600");
  EXPECT_EQ(ok.header("Vary"), "Origin");
  EXPECT_EQ(ok.header("Allow"), "POST, OPTIONS");
  const auto wrong_method = policy.preflight("https://a.example", "DELETE", "GET, HEAD", false);
  EXPECT_EQ(wrong_method.status, 204);
  EXPECT_TRUE(wrong_method.header("Access-Control-Allow-Origin").empty());
  const auto stranger = policy.preflight("https://b.example", "POST", "POST", false);
  EXPECT_TRUE(stranger.header("Access-Control-Allow-Origin").empty());
}

}  // namespace
}  // namespace reelgen::api
