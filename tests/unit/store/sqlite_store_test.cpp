#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/hash.hpp"
#include "store/store.hpp"

namespace reelgen::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("reelgen-store-" + core::random_token(8));
    auto s = open_sqlite_store(dir.string(), clock);
    ASSERT_TRUE(s) << s.error().message;
    store = std::move(*s);
  }
  void TearDown() override {
    store.reset();
    std::filesystem::remove_all(dir);
  }
  core::ManualClock clock;
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
};

TEST_F(SqliteStoreTest, CreatedKeyIsFoundByHashOfItsSecretOnly) {
  auto created = store->keys().create("ci", Scope::admin, 120.0);
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->secret.starts_with("rg_"));
  EXPECT_EQ(created->key.secret_hash, core::sha256_hex(created->secret));
  auto found = store->keys().find_by_hash(core::sha256_hex(created->secret));
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->id, created->key.id);
  EXPECT_EQ((*found)->scope, Scope::admin);
  EXPECT_EQ((*found)->rate_per_minute, 120.0);
  auto missing = store->keys().find_by_hash(core::sha256_hex("rg_wrong"));
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
}

TEST_F(SqliteStoreTest, SecretsAreNeverStoredInPlainText) {
  auto created = store->keys().create("ci", Scope::user, std::nullopt);
  ASSERT_TRUE(created);
  store.reset();
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(bytes.find(created->secret), std::string::npos);
  EXPECT_NE(bytes.find(created->key.secret_hash), std::string::npos);
}

TEST_F(SqliteStoreTest, RevokeMarksTheKeyAndUnknownIdsAreNotFound) {
  auto created = store->keys().create("ci", Scope::user, std::nullopt);
  ASSERT_TRUE(created);
  EXPECT_EQ(store->keys().count_active().value(), 1u);
  ASSERT_TRUE(store->keys().revoke(created->key.id));
  EXPECT_EQ(store->keys().count_active().value(), 0u);
  auto found = store->keys().find_by_hash(created->key.secret_hash);
  ASSERT_TRUE(found && *found);
  EXPECT_FALSE((*found)->active());
  auto r = store->keys().revoke("key_nope");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::ErrorCode::not_found);
}

TEST_F(SqliteStoreTest, ReopeningKeepsDataAndMigrationsRunOnce) {
  ASSERT_TRUE(store->keys().create("a", Scope::user, std::nullopt));
  store.reset();
  auto again = open_sqlite_store(dir.string(), clock);
  ASSERT_TRUE(again) << again.error().message;
  auto keys = (*again)->keys().list();
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->size(), 1u);
  EXPECT_TRUE((*again)->ping());
}

TEST(SqliteStore, UnwritableDirectoryIsAnError) {
  core::ManualClock clock;
  auto s = open_sqlite_store("/proc/reelgen-cannot-create", clock);
  EXPECT_FALSE(s);
}

}  // namespace
}  // namespace reelgen::store
