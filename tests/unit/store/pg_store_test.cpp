// What only the PostgreSQL backend promises: several processes (here, several stores with pools
// of their own) sharing one database, and a database that goes away and comes back.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "core/hash.hpp"
#include "store/store.hpp"
#include "unit/store/pg_server.hpp"

namespace reelgen::store {
namespace {

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = testing::PgServer::shared().create_database("reelgen_" + core::random_token(10));
    ASSERT_TRUE(url) << url.error().message;
    database.url = *url;
  }
  std::unique_ptr<Store> open_one(bool migrate = true) {
    auto s = open_postgres_store(database, clock, migrate);
    EXPECT_TRUE(s) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }
  Job make(std::string id, std::int64_t created) {
    Job job;
    job.id = std::move(id);
    job.key_id = "key_a";
    job.payload = "{}";
    job.created_ms = created;
    return job;
  }
  core::ManualClock clock;
  core::DatabaseConfig database;
};

TEST_F(PgStoreTest, ReplicasStartingTogetherMigrateOnce) {
  std::vector<std::thread> threads;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (open_postgres_store(database, clock, true)) ++opened;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(opened.load(), 4);
  // The schema is complete: a process that may not migrate starts.
  auto checked = open_postgres_store(database, clock, false);
  EXPECT_TRUE(checked) << checked.error().message;
}

TEST_F(PgStoreTest, WithoutMigrationsAnEmptyDatabaseIsRefusedWithTheRemedy) {
  auto s = open_postgres_store(database, clock, false);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("reelgen migrate"), std::string::npos) << s.error().message;
}

TEST_F(PgStoreTest, WorkersInSeveralProcessesNeverClaimTheSameJob) {
  auto setup = open_one();
  ASSERT_TRUE(setup);
  constexpr int kJobs = 60;
  for (int i = 0; i < kJobs; ++i) {
    std::string id = "j";
    id += std::to_string(i);
    ASSERT_TRUE(setup->jobs().create(make(id, i)));
  }
  std::vector<std::unique_ptr<Store>> processes;
  for (int i = 0; i < 4; ++i) processes.push_back(open_one());
  std::mutex mutex;
  std::multiset<std::string> claimed;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      std::string owner = "inst_";
      owner += std::to_string(i);
      owner += "-0";
      for (;;) {
        auto job = processes[static_cast<std::size_t>(i)]->jobs().claim(owner, 5000, 60'000);
        if (!job || !*job) return;
        std::lock_guard lock(mutex);
        claimed.insert((*job)->id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(),
            static_cast<std::size_t>(kJobs));
}

TEST_F(PgStoreTest, AWebhookDeliveryGoesToOneProcess) {
  auto a = open_one();
  auto b = open_one();
  ASSERT_TRUE(a && b);
  Job job = make("j1", 1000);
  job.callback_url = "https://example.com/hook";
  ASSERT_TRUE(a->jobs().create(job));
  ASSERT_TRUE(a->jobs().claim("w", 1000, 5000).value());
  ASSERT_TRUE(a->jobs().complete("j1", "w", "{}", 2000));
  auto first = a->jobs().due_webhooks(2000, 10).value();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, "j1");
  EXPECT_TRUE(b->jobs().due_webhooks(2000, 10).value().empty());
  // A failed attempt recorded for later is due again then, for whichever process asks.
  ASSERT_TRUE(a->jobs().record_webhook("j1", "pending", 1, 7000, "503"));
  EXPECT_TRUE(b->jobs().due_webhooks(6999, 10).value().empty());
  EXPECT_EQ(b->jobs().due_webhooks(7000, 10).value().size(), 1u);
}

TEST_F(PgStoreTest, QueuingAJobWakesTheWorkersOfOtherProcesses) {
  auto listener = open_one();
  auto submitter = open_one();
  ASSERT_TRUE(listener && submitter);
  std::mutex mutex;
  std::condition_variable woken;
  int wakes = 0;
  listener->jobs().subscribe([&] {
    std::lock_guard lock(mutex);
    ++wakes;
    woken.notify_all();
  });
  // LISTEN starts on the store's own thread: queue until one is heard (each wait is an event
  // wait, cut short by the notification).
  for (int i = 0; i < 50; ++i) {
    std::string id = "j";
    id += std::to_string(i);
    ASSERT_TRUE(submitter->jobs().create(make(id, 1000 + i)));
    std::unique_lock lock(mutex);
    if (woken.wait_for(lock, std::chrono::milliseconds(200), [&] { return wakes > 0; })) break;
  }
  listener->jobs().subscribe(nullptr);
  std::lock_guard lock(mutex);
  EXPECT_GT(wakes, 0);
}

// Another client holding a table makes a query wait only as long as the statement timeout, and
// the answer is "unavailable" (503 with Retry-After), not an internal error.
TEST_F(PgStoreTest, AQueryWaitingOnAnotherClientsLockGivesUpAtTheTimeout) {
  database.statement_timeout = std::chrono::milliseconds(300);
  auto store = open_one();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->jobs().create(make("j1", 1)));
  const std::string psql = "psql -qtA -v ON_ERROR_STOP=1 '" + database.url + "'";
  FILE* holder = ::popen((psql + " >/dev/null 2>&1").c_str(), "w");
  ASSERT_NE(holder, nullptr);
  std::fputs("BEGIN; LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(3); COMMIT;\n",
             holder);
  std::fflush(holder);
  // Wait until the other client holds the lock (psql's own start, not a fixed delay).
  bool held = false;
  for (int i = 0; i < 200 && !held; ++i) {
    FILE* q = ::popen((psql + " -c \"SELECT count(*) FROM pg_locks WHERE relation = "
                              "'jobs'::regclass AND mode = 'AccessExclusiveLock' AND granted\"")
                          .c_str(),
                      "r");
    char line[16] = {};
    held = q != nullptr && std::fgets(line, sizeof line, q) != nullptr && line[0] == '1';
    if (q != nullptr) ::pclose(q);
  }
  ASSERT_TRUE(held);
  const auto started = std::chrono::steady_clock::now();
  auto job = store->jobs().get("j1", "key_a");
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(job);
  EXPECT_EQ(job.error().code, core::ErrorCode::unavailable) << job.error().message;
  EXPECT_LT(waited, std::chrono::seconds(2)) << "bounded by the 300 ms timeout, not the lock";
  ::pclose(holder);
  auto again = store->jobs().get("j1", "key_a");
  EXPECT_TRUE(again && *again) << "the lock is gone: the same call succeeds";
}

TEST(PgStoreOutage, ALostDatabaseIsUnavailableAtOnceAndRecoversByItself) {
  testing::PgServer server;
  auto url = server.create_database("reelgen_outage");
  ASSERT_TRUE(url) << url.error().message;
  core::ManualClock clock;
  core::DatabaseConfig database;
  database.url = *url;
  database.pool_size = 2;
  auto store = open_postgres_store(database, clock, true);
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_TRUE((*store)->ping());
  server.stop();
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) {
    auto r = (*store)->keys().list();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::unavailable) << r.error().message;
  }
  // Fails fast: a lost server costs a refused connect, then the backoff answers at once.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
  ASSERT_TRUE(server.start());
  // Within the backoff the pool does not try again…
  EXPECT_EQ((*store)->ping().error().code, core::ErrorCode::unavailable);
  // …and after it, reconnects without anyone's help.
  clock.advance(std::chrono::seconds(10));
  EXPECT_TRUE((*store)->ping());
  EXPECT_TRUE((*store)->keys().list());
}

}  // namespace
}  // namespace reelgen::store
