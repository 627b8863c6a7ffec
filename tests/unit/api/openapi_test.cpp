// The OpenAPI document and the router agree: every registered route is documented and every
// documented operation is registered.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <set>
#include <string>

#include "api/app.hpp"

namespace reelgen::api {
namespace {

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::set<std::string> documented() {
  const auto doc = boost::json::parse(App::openapi_document());
  std::set<std::string> out;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      out.insert(upper(std::string(method)) + " " + std::string(path));
    }
  }
  return out;
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryOperationIsARoute) {
  core::Config config;
  App app(config);
  const auto registered = app.routes();
  const std::set<std::string> routes(registered.begin(), registered.end());
  const auto docs = documented();
  for (const auto& r : routes) EXPECT_TRUE(docs.contains(r)) << r << " is not in docs/openapi.json";
  for (const auto& d : docs) EXPECT_TRUE(routes.contains(d)) << d << " is documented but no route";
  EXPECT_EQ(routes.size(), registered.size()) << "a route is registered twice";
  EXPECT_GE(routes.size(), 35u);
}

TEST(OpenApi, TheDocumentIsOpenApi31WithSecuritySchemes) {
  const auto doc = boost::json::parse(App::openapi_document()).as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  const auto& schemes = doc.at("components").at("securitySchemes").as_object();
  EXPECT_TRUE(schemes.contains("bearer"));
  EXPECT_TRUE(schemes.contains("apiKey"));
}

}  // namespace
}  // namespace reelgen::api
