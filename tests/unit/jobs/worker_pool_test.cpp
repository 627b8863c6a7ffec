#include "jobs/worker_pool.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <thread>

#include "core/hash.hpp"

namespace reelgen::jobs {
namespace {

using namespace std::chrono_literals;
using store::JobStatus;

// A runner whose behaviour each test sets; counts clean-ups.
class ScriptedRunner final : public Runner {
 public:
  std::function<core::Result<std::string>(const store::Job&, ProgressSink&)> script;
  std::atomic<int> runs{0};
  std::atomic<int> removals{0};
  core::Result<std::string> run(const store::Job& job, ProgressSink& progress) override {
    runs.fetch_add(1);
    return script(job, progress);
  }
  void remove_outputs(const store::Job&) override { removals.fetch_add(1); }
};

class WorkerPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("reelgen-jobs-" + core::random_token(8));
    db = std::move(store::open_sqlite_store(dir.string(), clock).value());
    config.poll_interval = 5ms;
    config.lease = 1000ms;
    config.backoff = 100ms;
    config.max_attempts = 3;
  }
  void TearDown() override {
    pool.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }
  std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock.wall().time_since_epoch())
        .count();
  }
  void submit(const std::string& id) {
    store::Job job;
    job.id = id;
    job.key_id = "k";
    job.payload = "{}";
    job.created_ms = now_ms();
    ASSERT_TRUE(db->jobs().create(job));
  }
  void start() {
    pool = std::make_unique<WorkerPool>(db->jobs(), runner, config, clock);
    pool->start();
  }
  // Waits (bounded) until the job reaches status; the workers run on real threads.
  store::Job wait_for(const std::string& id, JobStatus status) {
    for (int i = 0; i < 1000; ++i) {
      auto job = db->jobs().get(id, "").value();
      if (job && job->status == status) return *job;
      std::this_thread::sleep_for(5ms);
    }
    ADD_FAILURE() << "job " << id << " never reached " << store::to_string(status);
    return {};
  }

  core::ManualClock clock;
  std::filesystem::path dir;
  std::unique_ptr<store::Store> db;
  ScriptedRunner runner;
  WorkerConfig config;
  std::unique_ptr<WorkerPool> pool;
};

TEST_F(WorkerPoolTest, RunsAJobToCompletionWithItsResult) {
  runner.script = [](const store::Job&, ProgressSink& p) -> core::Result<std::string> {
    p.report("rendering", 50);
    return std::string(R"({"file":"out.mp4"})");
  };
  submit("j1");
  start();
  auto job = wait_for("j1", JobStatus::completed);
  EXPECT_EQ(job.result, R"({"file":"out.mp4"})");
  EXPECT_EQ(job.progress, 100);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_EQ(pool->stats().completed.load(), 1u);
}

TEST_F(WorkerPoolTest, RetriesAfterBackoffThenSucceeds) {
  runner.script = [this](const store::Job& job, ProgressSink&) -> core::Result<std::string> {
    if (job.attempts == 1) return core::fail(core::ErrorCode::internal, "encoder crashed");
    return std::string("{}");
  };
  submit("j1");
  start();
  store::Job waiting;
  for (int i = 0; i < 1000 && waiting.error.empty(); ++i) {
    std::this_thread::sleep_for(5ms);
    waiting = db->jobs().get("j1", "").value().value();
  }
  EXPECT_EQ(waiting.status, JobStatus::queued);
  EXPECT_EQ(waiting.error, "encoder crashed");
  EXPECT_GE(waiting.not_before_ms, now_ms() + 100);
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(runner.runs.load(), 1);  // the backoff holds while the clock stands still
  clock.advance(150ms);
  pool->wake();
  auto done = wait_for("j1", JobStatus::completed);
  EXPECT_EQ(done.attempts, 2);
}

TEST_F(WorkerPoolTest, InvalidInputFailsAtOnceAndGivesUpAfterMaxAttempts) {
  runner.script = [](const store::Job& job, ProgressSink&) -> core::Result<std::string> {
    if (job.id == "bad") return core::fail(core::ErrorCode::invalid_argument, "unknown avatar");
    return core::fail(core::ErrorCode::internal, "disk full");
  };
  config.backoff = 0ms;
  submit("bad");
  submit("flaky");
  start();
  auto bad = wait_for("bad", JobStatus::failed);
  EXPECT_EQ(bad.attempts, 1);
  EXPECT_EQ(bad.error, "unknown avatar");
  auto flaky = wait_for("flaky", JobStatus::failed);
  EXPECT_EQ(flaky.attempts, 3);
  EXPECT_EQ(flaky.error, "disk full");
}

TEST_F(WorkerPoolTest, CancellationStopsARunningJobAndRemovesItsFiles) {
  std::atomic<bool> started{false};
  runner.script = [&](const store::Job&, ProgressSink& p) -> core::Result<std::string> {
    started.store(true);
    for (int i = 0; i < 2000 && !p.cancelled(); ++i) {
      clock.advance(300ms);  // each report may write and look for a cancel
      p.report("frames", i / 20.0);
      std::this_thread::sleep_for(1ms);
    }
    return p.cancelled() ? core::fail(core::ErrorCode::unavailable, "cancelled")
                         : core::Result<std::string>(std::string("{}"));
  };
  submit("j1");
  start();
  while (!started.load()) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(db->jobs().cancel("j1", "k", now_ms()));
  auto job = wait_for("j1", JobStatus::cancelled);
  EXPECT_EQ(job.status, JobStatus::cancelled);
  EXPECT_GE(runner.removals.load(), 2);  // before the run and after the cancel
}

TEST_F(WorkerPoolTest, AJobWhoseWorkerDiedIsRetakenAfterItsLease) {
  runner.script = [](const store::Job&, ProgressSink&) -> core::Result<std::string> {
    return std::string("{}");
  };
  submit("j1");
  ASSERT_TRUE(db->jobs().claim("dead-worker", now_ms(), 1000).value());  // then "kill -9"
  start();
  std::this_thread::sleep_for(30ms);
  EXPECT_EQ(runner.runs.load(), 0);  // the lease still holds
  clock.advance(1500ms);
  pool->wake();
  auto job = wait_for("j1", JobStatus::completed);
  EXPECT_EQ(job.attempts, 2);
  EXPECT_GE(runner.removals.load(), 1);  // partial files of the dead attempt
}

TEST_F(WorkerPoolTest, GivesUpOnAJobThatKeepsKillingItsWorkers) {
  runner.script = [](const store::Job&, ProgressSink&) -> core::Result<std::string> {
    return std::string("{}");
  };
  submit("j1");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(db->jobs().claim("dead-" + std::to_string(i), now_ms(), 1000).value());
    clock.advance(1500ms);
  }
  start();
  auto job = wait_for("j1", JobStatus::failed);
  EXPECT_NE(job.error.find("gave up after 3 attempts"), std::string::npos);
  EXPECT_EQ(runner.runs.load(), 0);
}

}  // namespace
}  // namespace reelgen::jobs

namespace reelgen::jobs {
namespace {

TEST_F(WorkerPoolTest, ExpiresFinishedJobsAndRemovesTheirFiles) {
  runner.script = [](const store::Job&, ProgressSink&) -> core::Result<std::string> {
    return std::string("{}");
  };
  config.retention = 10'000ms;
  config.sweep_interval = 1ms;
  std::atomic<std::int64_t> last_cutoff{0};
  config.sweep_also = [&](std::int64_t cutoff_ms) { last_cutoff.store(cutoff_ms); };
  submit("j1");
  start();
  wait_for("j1", JobStatus::completed);
  const int removals_before = runner.removals.load();
  clock.advance(11'000ms);
  pool->wake();
  wait_for("j1", JobStatus::expired);
  EXPECT_GT(runner.removals.load(), removals_before);
  EXPECT_EQ(pool->stats().expired.load(), 1u);
  // The same sweep passes its cutoff on (uploads expire with it).
  EXPECT_GE(last_cutoff.load(), now_ms() - 10'000 - 1'000);
}

TEST_F(WorkerPoolTest, StoppingHandsARunningJobBackAtOnce) {
  std::atomic<bool> started{false};
  runner.script = [&](const store::Job&, ProgressSink& p) -> core::Result<std::string> {
    started.store(true);
    while (!p.cancelled()) std::this_thread::sleep_for(1ms);
    return core::fail(core::ErrorCode::unavailable, "stopped");
  };
  submit("j1");
  start();
  while (!started.load()) std::this_thread::sleep_for(1ms);
  pool->stop();
  auto job = db->jobs().get("j1", "").value().value();
  EXPECT_EQ(job.status, JobStatus::queued);
  EXPECT_EQ(job.error, "interrupted by a shutdown");
  EXPECT_LE(job.not_before_ms, now_ms());
}

// The store the workers see, whose complete() fails a set number of times first.
class FlakyJobs final : public store::JobStore {
 public:
  explicit FlakyJobs(store::JobStore& real) : real_(real) {}
  std::atomic<int> complete_failures{0};
  std::atomic<int> complete_calls{0};

  core::Result<void> complete(std::string_view id, std::string_view owner, std::string_view result,
                              std::int64_t now_ms) override {
    complete_calls.fetch_add(1);
    if (complete_failures.load() > 0) {
      complete_failures.fetch_sub(1);
      return core::fail(core::ErrorCode::unavailable, "the database is busy");
    }
    return real_.complete(id, owner, result, now_ms);
  }
  core::Result<store::Job> create(const store::Job& job) override { return real_.create(job); }
  core::Result<std::optional<store::Job>> find_by_idempotency_key(std::string_view k,
                                                                  std::string_view i) override {
    return real_.find_by_idempotency_key(k, i);
  }
  core::Result<std::optional<store::Job>> get(std::string_view id, std::string_view k) override {
    return real_.get(id, k);
  }
  core::Result<std::vector<store::Job>> list(const store::JobFilter& f) override {
    return real_.list(f);
  }
  core::Result<std::optional<store::Job>> claim(std::string_view o, std::int64_t n,
                                                std::int64_t l) override {
    return real_.claim(o, n, l);
  }
  core::Result<bool> heartbeat(std::string_view id, std::string_view o, std::string_view st,
                               double p, std::int64_t n, std::int64_t l) override {
    return real_.heartbeat(id, o, st, p, n, l);
  }
  core::Result<void> retry_later(std::string_view id, std::string_view o, std::string_view e,
                                 std::int64_t nb, std::int64_t n) override {
    return real_.retry_later(id, o, e, nb, n);
  }
  core::Result<void> fail(std::string_view id, std::string_view o, std::string_view e,
                          std::int64_t n) override {
    return real_.fail(id, o, e, n);
  }
  core::Result<store::Job> cancel(std::string_view id, std::string_view k,
                                  std::int64_t n) override {
    return real_.cancel(id, k, n);
  }
  core::Result<void> remove(std::string_view id, std::string_view k) override {
    return real_.remove(id, k);
  }
  core::Result<void> mark_cancelled(std::string_view id, std::string_view o,
                                    std::int64_t n) override {
    return real_.mark_cancelled(id, o, n);
  }
  core::Result<int> release_leases(std::string_view i, std::int64_t n) override {
    return real_.release_leases(i, n);
  }
  core::Result<std::vector<std::string>> expire_before(std::int64_t c, std::int64_t n) override {
    return real_.expire_before(c, n);
  }
  core::Result<std::vector<store::Job>> due_webhooks(std::int64_t n, int l) override {
    return real_.due_webhooks(n, l);
  }
  core::Result<void> record_webhook(std::string_view id, std::string_view st, int a, std::int64_t n,
                                    std::string_view e) override {
    return real_.record_webhook(id, st, a, n, e);
  }
  core::Result<int> count_active(std::string_view k) override { return real_.count_active(k); }
  core::Result<int> count_created_since(std::string_view k, std::int64_t s) override {
    return real_.count_created_since(k, s);
  }
  core::Result<int> count_with_status(store::JobStatus s) override {
    return real_.count_with_status(s);
  }

 private:
  store::JobStore& real_;
};

TEST_F(WorkerPoolTest, AFailedFinalWriteIsTriedAgain) {
  runner.script = [](const store::Job&, ProgressSink&) -> core::Result<std::string> {
    return std::string("{}");
  };
  FlakyJobs flaky(db->jobs());
  flaky.complete_failures = 2;
  config.final_write_backoff = 1ms;
  submit("j1");
  pool = std::make_unique<WorkerPool>(flaky, runner, config, clock);
  pool->start();
  wait_for("j1", JobStatus::completed);
  EXPECT_EQ(flaky.complete_calls.load(), 3);
  EXPECT_EQ(runner.runs.load(), 1);  // recorded, not rendered again
  EXPECT_EQ(pool->stats().write_failures.load(), 0u);
}

TEST_F(WorkerPoolTest, AFinalWriteThatNeverTakesIsCountedAndLogged) {
  runner.script = [](const store::Job&, ProgressSink&) -> core::Result<std::string> {
    return std::string("{}");
  };
  FlakyJobs flaky(db->jobs());
  flaky.complete_failures = 1000;
  config.final_write_attempts = 3;
  config.final_write_backoff = 1ms;
  submit("j1");
  testing::internal::CaptureStdout();
  pool = std::make_unique<WorkerPool>(flaky, runner, config, clock);
  pool->start();
  for (int i = 0; i < 1000 && pool->stats().write_failures.load() == 0; ++i) {
    std::this_thread::sleep_for(2ms);
  }
  pool->stop();
  const std::string log = testing::internal::GetCapturedStdout();
  EXPECT_EQ(pool->stats().write_failures.load(), 1u);
  EXPECT_EQ(flaky.complete_calls.load(), 3);
  EXPECT_NE(log.find("job state could not be recorded"), std::string::npos);
}

TEST_F(WorkerPoolTest, ACancelSeenOnlyAfterTheRenderEndsIsStillACancel) {
  // The cancel arrives after the last progress report; the render then stops with its own error.
  runner.script = [this](const store::Job& job, ProgressSink&) -> core::Result<std::string> {
    EXPECT_TRUE(db->jobs().cancel(job.id, "k", now_ms()));
    return core::fail(core::ErrorCode::unavailable, "render cancelled");
  };
  submit("j1");
  start();
  auto job = wait_for("j1", JobStatus::cancelled);
  EXPECT_EQ(job.error, "cancelled by request");
  EXPECT_EQ(runner.runs.load(), 1);
  EXPECT_EQ(pool->stats().cancelled.load(), 1u);
}

}  // namespace
}  // namespace reelgen::jobs
