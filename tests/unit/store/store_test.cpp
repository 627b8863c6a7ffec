#include "store/store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include "core/hash.hpp"
#include "unit/store/pg_server.hpp"

namespace reelgen::store {
namespace {

// Each test gets a store of its own: a new SQLite directory or a new PostgreSQL database on the
// test process's server. reopen() opens the same place again, as a restarted process would.
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string name = "reelgen_" + core::random_token(10);
    if (GetParam() == "sqlite") {
      dir = std::filesystem::temp_directory_path() / name;
    } else {
      auto url = testing::PgServer::shared().create_database(name);
      ASSERT_TRUE(url) << url.error().message;
      database.url = *url;
    }
    auto s = reopen();
    ASSERT_TRUE(s) << s.error().message;
    store = std::move(*s);
  }
  void TearDown() override {
    store.reset();
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
  core::Result<std::unique_ptr<Store>> reopen() {
    if (GetParam() == "sqlite") return open_sqlite_store(dir.string(), clock);
    return open_postgres_store(database, clock, true);
  }
  core::ManualClock clock;
  std::filesystem::path dir;
  core::DatabaseConfig database;
  std::unique_ptr<Store> store;
};

std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

TEST_P(StoreTest, CreatedKeyIsFoundByHashOfItsSecretOnly) {
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

TEST_P(StoreTest, RevokeMarksTheKeyAndUnknownIdsAreNotFound) {
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

TEST_P(StoreTest, ReopeningKeepsDataAndMigrationsRunOnce) {
  ASSERT_TRUE(store->keys().create("a", Scope::user, std::nullopt));
  store.reset();
  auto again = reopen();
  ASSERT_TRUE(again) << again.error().message;
  auto keys = (*again)->keys().list();
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->size(), 1u);
  EXPECT_TRUE((*again)->ping());
}

TEST_P(StoreTest, TheFirstAdminKeyIsCreatedOnceByProcessesStartingTogether) {
  std::vector<std::unique_ptr<Store>> processes;
  for (int i = 0; i < 4; ++i) {
    auto s = reopen();
    ASSERT_TRUE(s) << s.error().message;
    processes.push_back(std::move(*s));
  }
  std::atomic<int> created{0}, failed{0};
  std::vector<std::thread> threads;
  for (auto& p : processes) {
    threads.emplace_back([&created, &failed, &p] {
      auto r = p->keys().create_first_admin("default");
      if (!r) {
        ++failed;
      } else if (*r) {
        ++created;
        EXPECT_EQ((*r)->key.scope, Scope::admin);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(store->keys().count_active().value(), 1u);
  EXPECT_FALSE(store->keys().create_first_admin("again").value());
}

TEST_P(StoreTest, ASettingIsWrittenOnceAndThenReadByEveryProcess) {
  auto other = reopen();
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(store->setting("webhook_secret", "first").value(), "first");
  EXPECT_EQ((*other)->setting("webhook_secret", "second").value(), "first");
  EXPECT_EQ((*other)->setting("another", "x").value(), "x");
}

class JobStoreTest : public StoreTest {
 protected:
  Job make(std::string id, std::string key = "key_a", int priority = 0,
           std::int64_t created = 1000) {
    Job job;
    job.id = std::move(id);
    job.key_id = std::move(key);
    job.priority = priority;
    job.payload = "{}";
    job.created_ms = created;
    return job;
  }
  JobStore& jobs() { return store->jobs(); }
};

TEST_P(JobStoreTest, AKeySeesOnlyItsOwnJobs) {
  ASSERT_TRUE(jobs().create(make("j1", "key_a")));
  EXPECT_TRUE(jobs().get("j1", "key_a").value());
  EXPECT_FALSE(jobs().get("j1", "key_b").value());
  EXPECT_TRUE(jobs().get("j1", "").value());  // workers see every job
  EXPECT_EQ(jobs().cancel("j1", "key_b", 2000).error().code, core::ErrorCode::not_found);
}

TEST_P(JobStoreTest, IdempotencyKeyReturnsTheSameJobOrConflicts) {
  Job first = make("j1");
  first.idempotency_key = "abc";
  first.payload_hash = "h1";
  ASSERT_TRUE(jobs().create(first));
  Job again = make("j2");
  again.idempotency_key = "abc";
  again.payload_hash = "h1";
  EXPECT_EQ(jobs().create(again).value().id, "j1");
  again.payload_hash = "h2";
  EXPECT_EQ(jobs().create(again).error().code, core::ErrorCode::conflict);
  Job other_key = make("j3", "key_b");
  other_key.idempotency_key = "abc";
  other_key.payload_hash = "h2";
  EXPECT_EQ(jobs().create(other_key).value().id, "j3");
}

TEST_P(JobStoreTest, ClaimsByPriorityThenAgeAndNeverTwice) {
  ASSERT_TRUE(jobs().create(make("old", "k", 0, 1000)));
  ASSERT_TRUE(jobs().create(make("new", "k", 0, 2000)));
  ASSERT_TRUE(jobs().create(make("urgent", "k", 5, 3000)));
  std::vector<std::string> order;
  for (int i = 0; i < 3; ++i) order.push_back(jobs().claim("w1", 5000, 30000).value()->id);
  EXPECT_EQ(order, (std::vector<std::string>{"urgent", "old", "new"}));
  EXPECT_FALSE(jobs().claim("w2", 5000, 30000).value());
}

TEST_P(JobStoreTest, AnExpiredLeaseMakesTheJobClaimableAgain) {
  ASSERT_TRUE(jobs().create(make("j1")));
  auto first = jobs().claim("w1", 1000, 500).value();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->attempts, 1);
  EXPECT_FALSE(jobs().claim("w2", 1400, 500).value());
  EXPECT_TRUE(jobs().heartbeat("j1", "w1", "frames", 40, 1400, 500).value());  // renews to 1900
  EXPECT_FALSE(jobs().claim("w2", 1800, 500).value());
  auto second = jobs().claim("w2", 2000, 500).value();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->attempts, 2);
  EXPECT_EQ(second->lease_owner, "w2");
  // The old owner lost the job: its writes are ignored.
  EXPECT_FALSE(jobs().heartbeat("j1", "w1", "frames", 90, 2100, 500).value());
  ASSERT_TRUE(jobs().complete("j1", "w1", "{}", 2100));
  EXPECT_EQ(jobs().get("j1", "").value()->status, JobStatus::processing);
  ASSERT_TRUE(jobs().complete("j1", "w2", R"({"ok":true})", 2200));
  auto done = jobs().get("j1", "").value();
  EXPECT_EQ(done->status, JobStatus::completed);
  EXPECT_EQ(done->progress, 100);
  EXPECT_EQ(done->result, R"({"ok":true})");
}

TEST_P(JobStoreTest, RetryWaitsForItsBackoff) {
  ASSERT_TRUE(jobs().create(make("j1")));
  ASSERT_TRUE(jobs().claim("w1", 1000, 5000).value());
  ASSERT_TRUE(jobs().retry_later("j1", "w1", "encoder crashed", 4000, 1000));
  auto waiting = jobs().get("j1", "").value();
  EXPECT_EQ(waiting->status, JobStatus::queued);
  EXPECT_EQ(waiting->error, "encoder crashed");
  EXPECT_FALSE(jobs().claim("w1", 3999, 5000).value());
  EXPECT_TRUE(jobs().claim("w1", 4000, 5000).value());
  ASSERT_TRUE(jobs().fail("j1", "w1", "gave up", 4100));
  EXPECT_EQ(jobs().get("j1", "").value()->status, JobStatus::failed);
}

TEST_P(JobStoreTest, CancelStopsQueuedJobsAndFlagsRunningOnes) {
  ASSERT_TRUE(jobs().create(make("queued")));
  ASSERT_TRUE(jobs().create(make("running", "key_a", 9)));
  ASSERT_TRUE(jobs().claim("w1", 1000, 5000).value());
  EXPECT_EQ(jobs().cancel("queued", "key_a", 1100).value().status, JobStatus::cancelled);
  auto running = jobs().cancel("running", "key_a", 1100).value();
  EXPECT_EQ(running.status, JobStatus::processing);
  EXPECT_TRUE(running.cancel_requested);
  ASSERT_TRUE(jobs().mark_cancelled("running", "w1", 1200));
  EXPECT_EQ(jobs().get("running", "").value()->status, JobStatus::cancelled);
  EXPECT_FALSE(jobs().claim("w1", 1300, 5000).value());
}

TEST_P(JobStoreTest, ListsNewestFirstWithCursorAndFilters) {
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(jobs().create(make("j" + std::to_string(i), "k", 0, 1000 + i)));
  ASSERT_TRUE(jobs().create(make("other", "k2", 0, 5000)));
  JobFilter f;
  f.key_id = "k";
  f.limit = 2;
  auto page1 = jobs().list(f).value();
  ASSERT_EQ(page1.size(), 2u);
  EXPECT_EQ(page1[0].id, "j4");
  EXPECT_EQ(page1[1].id, "j3");
  f.cursor = JobCursor{page1.back().created_ms, page1.back().id};
  // The cursor stays valid when the job it names is gone.
  ASSERT_TRUE(jobs().cancel("j3", "k", 2000));
  ASSERT_TRUE(jobs().remove("j3", "k"));
  auto page2 = jobs().list(f).value();
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_EQ(page2[0].id, "j2");
  f.cursor.reset();
  f.limit = 10;
  f.created_after_ms = 1002;
  EXPECT_EQ(jobs().list(f).value().size(), 1u);  // j4 (j3 was removed)
  f.created_after_ms.reset();
  f.status = JobStatus::completed;
  EXPECT_TRUE(jobs().list(f).value().empty());
  EXPECT_EQ(jobs().count_active("k").value(), 4);
  EXPECT_EQ(jobs().count_created_since("k", 1003).value(), 1);
  EXPECT_EQ(jobs().count_with_status(JobStatus::queued).value(), 5);  // "other" too
  EXPECT_EQ(jobs().count_with_status(JobStatus::cancelled).value(), 0);
}

TEST_P(JobStoreTest, ReleasesTheLeasesOfOneInstanceOnly) {
  ASSERT_TRUE(jobs().create(make("j1_mine")));
  ASSERT_TRUE(jobs().create(make("j2_theirs")));
  ASSERT_TRUE(jobs().create(make("j3_prefix")));
  ASSERT_EQ(jobs().claim("inst_a-0", 1000, 60'000).value()->id, "j1_mine");
  ASSERT_EQ(jobs().claim("inst_b-0", 1000, 60'000).value()->id, "j2_theirs");
  ASSERT_EQ(jobs().claim("inst_ab-0", 1000, 60'000).value()->id, "j3_prefix");
  EXPECT_EQ(jobs().release_leases("inst_a", 2000).value(), 1);
  auto mine = jobs().get("j1_mine", "").value().value();
  EXPECT_EQ(mine.status, JobStatus::queued);
  EXPECT_EQ(mine.lease_owner, "");
  EXPECT_EQ(jobs().get("j2_theirs", "").value()->status, JobStatus::processing);
  EXPECT_EQ(jobs().get("j3_prefix", "").value()->status, JobStatus::processing);
  // Claimable at once, long before its lease would have expired.
  auto again = jobs().claim("inst_a-0", 2001, 60'000).value();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, "j1_mine");
  EXPECT_EQ(again->attempts, 2);
}

TEST_P(JobStoreTest, ExpiresFinishedJobsPastTheCutoff) {
  ASSERT_TRUE(jobs().create(make("j1")));
  ASSERT_TRUE(jobs().claim("w", 1000, 5000).value());
  ASSERT_TRUE(jobs().complete("j1", "w", "{}", 2000));
  EXPECT_TRUE(jobs().expire_before(2000, 3000).value().empty());
  EXPECT_EQ(jobs().expire_before(2001, 3000).value(), std::vector<std::string>{"j1"});
  EXPECT_EQ(jobs().get("j1", "").value()->status, JobStatus::expired);
}

TEST_P(JobStoreTest, RemoveDeletesOnlyFinishedJobsOfTheKey) {
  ASSERT_TRUE(jobs().create(make("j1")));
  EXPECT_EQ(jobs().remove("j1", "key_a").error().code, core::ErrorCode::conflict);
  ASSERT_TRUE(jobs().cancel("j1", "key_a", 2000));
  EXPECT_EQ(jobs().remove("j1", "key_b").error().code, core::ErrorCode::not_found);
  ASSERT_TRUE(jobs().remove("j1", "key_a"));
  EXPECT_FALSE(jobs().get("j1", "").value());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, JobStoreTest, ::testing::Values("sqlite", "postgres"),
                         backend_name);

}  // namespace
}  // namespace reelgen::store
