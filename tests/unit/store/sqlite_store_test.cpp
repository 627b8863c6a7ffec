#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/hash.hpp"
#include "store/metered_store.hpp"
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

TEST_F(SqliteStoreTest, AMeteredStoreTimesAndCountsEachOperation) {
  StoreMetrics metrics;
  auto wrapped = metered(std::move(store), metrics, clock);
  EXPECT_EQ(wrapped->backend(), "sqlite");
  ASSERT_TRUE(wrapped->keys().create("ci", Scope::user, std::nullopt));
  ASSERT_TRUE(wrapped->jobs().count_with_status(JobStatus::queued));
  ASSERT_TRUE(wrapped->jobs().count_with_status(JobStatus::queued));
  EXPECT_FALSE(wrapped->keys().revoke("key_missing"));  // not_found: an error, counted
  const auto index = [](std::string_view name) {
    return static_cast<std::size_t>(
        std::find(StoreMetrics::kOps.begin(), StoreMetrics::kOps.end(), name) -
        StoreMetrics::kOps.begin());
  };
  EXPECT_EQ(metrics.latency[index("keys.create")].count(), 1u);
  EXPECT_EQ(metrics.latency[index("jobs.count_with_status")].count(), 2u);
  EXPECT_EQ(metrics.errors[index("jobs.count_with_status")].load(), 0u);
  EXPECT_EQ(metrics.latency[index("keys.revoke")].count(), 1u);
  EXPECT_EQ(metrics.errors[index("keys.revoke")].load(), 1u);
  EXPECT_EQ(metrics.latency[index("jobs.claim")].count(), 0u);
}

TEST(SqliteStore, UnwritableDirectoryIsAnError) {
  core::ManualClock clock;
  auto s = open_sqlite_store("/proc/reelgen-cannot-create", clock);
  EXPECT_FALSE(s);
}

}  // namespace
}  // namespace reelgen::store
