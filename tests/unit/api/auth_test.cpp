#include "api/auth.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/hash.hpp"

namespace reelgen::api {
namespace {

using namespace std::chrono_literals;

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("reelgen-auth-" + core::random_token(8));
    store = std::move(store::open_sqlite_store(dir.string(), clock).value());
    auth = std::make_unique<Authenticator>(store->keys(), clock, 1000ms);
  }
  void TearDown() override {
    auth.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  core::ManualClock clock;
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Authenticator> auth;
};

TEST_F(AuthenticatorTest, AcceptsAValidKeyAndRejectsOthers) {
  auto created = store->keys().create("app", store::Scope::admin, 30.0).value();
  auto key = auth->authenticate(created.secret);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->id, created.key.id);
  EXPECT_EQ(key->scope, store::Scope::admin);
  EXPECT_EQ(auth->authenticate("").error().code, core::ErrorCode::unauthenticated);
  EXPECT_EQ(auth->authenticate("rg_wrong").error().code, core::ErrorCode::unauthenticated);
  EXPECT_EQ(auth->authenticate(created.secret + "x").error().code,
            core::ErrorCode::unauthenticated);
}

TEST_F(AuthenticatorTest, RevocationTakesEffectWhenTheCachedLookupExpires) {
  auto created = store->keys().create("app", store::Scope::user, std::nullopt).value();
  ASSERT_TRUE(auth->authenticate(created.secret));
  ASSERT_TRUE(store->keys().revoke(created.key.id));
  EXPECT_TRUE(auth->authenticate(created.secret));  // still cached
  clock.advance(1001ms);
  auto refused = auth->authenticate(created.secret);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("revoked"), std::string::npos);
}

TEST_F(AuthenticatorTest, KnowsWhichSecretsItCanAnswerWithoutTheStore) {
  auto created = store->keys().create("app", store::Scope::user, std::nullopt).value();
  EXPECT_FALSE(auth->knows(created.secret));  // the first request must read the store
  ASSERT_TRUE(auth->authenticate(created.secret));
  EXPECT_TRUE(auth->knows(created.secret));
  EXPECT_FALSE(auth->knows("rg_never_seen"));
  EXPECT_TRUE(auth->knows(""));  // refused at once, no lookup
  clock.advance(1001ms);
  EXPECT_FALSE(auth->knows(created.secret));  // the memory expired
}

TEST(PresentedSecret, ReadsBearerOrXApiKey) {
  http::Request r;
  r.headers = {{"Authorization", "Bearer  rg_abc"}};
  EXPECT_EQ(presented_secret(r), "rg_abc");
  r.headers = {{"authorization", "bearer rg_abc"}};
  EXPECT_EQ(presented_secret(r), "rg_abc");
  r.headers = {{"X-API-Key", "rg_def"}};
  EXPECT_EQ(presented_secret(r), "rg_def");
  r.headers = {{"Authorization", "Basic dXNlcjpwYXNz"}};
  EXPECT_EQ(presented_secret(r), "");
}

}  // namespace
}  // namespace reelgen::api
