#pragma once
// Workers that take jobs from the store and run them: lease renewal with progress, cancellation,
// retries with exponential backoff, and clean-up of what an interrupted attempt left behind.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "monitor/metrics.hpp"
#include "store/store.hpp"

namespace reelgen::jobs {

// Given to a running job: where it reports progress and learns it should stop.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // Cheap to call often; the store is written at most every progress_interval or on a new stage.
  virtual void report(std::string_view stage, double percent) = 0;
  // True once the job was cancelled or its lease was lost; the job should stop promptly.
  virtual bool cancelled() const = 0;
};

class Runner {
 public:
  virtual ~Runner() = default;
  // Does the work; returns the result as JSON. ErrorCode::invalid_argument fails the job at once;
  // any other error is retried until max_attempts.
  virtual core::Result<std::string> run(const store::Job& job, ProgressSink& progress) = 0;
  // Removes files an interrupted or cancelled attempt left behind (and, for expiry, everything).
  virtual void remove_outputs(const store::Job& job) = 0;
};

struct WorkerConfig {
  int workers = 1;                                   // JOB_WORKERS
  std::chrono::milliseconds lease{30'000};           // a dead worker's job is retaken after this
  std::chrono::milliseconds progress_interval{250};  // at most one progress write per interval
  std::chrono::milliseconds poll_interval{500};      // idle workers look for new jobs this often
  int max_attempts = 3;
  std::chrono::milliseconds backoff{2'000};  // first retry delay; doubles per attempt
  // This process's stable instance id: lease owners are "<owner>-<worker index>", and start()
  // first takes back the jobs a previous run of the same instance left leased.
  std::string owner = "worker";
  std::chrono::milliseconds retention{0};  // finished jobs older than this expire (0: never)
  std::chrono::milliseconds sweep_interval{60'000};  // how often expiry runs
  int final_write_attempts = 4;  // tries to record a job's outcome before giving up (logged)
  std::chrono::milliseconds final_write_backoff{200};  // first wait between them; doubles
  // Also called by each expiry sweep with its cutoff (unix ms), e.g. to delete old uploads.
  std::function<void(std::int64_t cutoff_ms)> sweep_also;
};

struct WorkerStats {
  std::atomic<std::uint64_t> claimed{0};
  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> retried{0};
  std::atomic<std::uint64_t> cancelled{0};
  std::atomic<std::uint64_t> expired{0};
  std::atomic<std::uint64_t> write_failures{0};  // outcomes that could not be recorded
  std::atomic<std::uint64_t> reclaimed{0};       // jobs taken back from a dead run at start
  std::atomic<std::uint64_t> leases_lost{0};     // jobs another worker took over mid-run
  std::atomic<int> busy{0};
  int workers = 0;
  monitor::LatencyHistogram queue_wait;  // from submission (or retry time) to the claim
};

class WorkerPool {
 public:
  WorkerPool(store::JobStore& jobs, Runner& runner, WorkerConfig config, const core::Clock& clock);
  ~WorkerPool();  // stops and joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void start();
  // Asks running jobs to stop (they stay claimed and are retaken after their lease) and joins.
  void stop();
  // Wakes an idle worker, e.g. right after a job was submitted.
  void wake();
  const WorkerStats& stats() const { return stats_; }

 private:
  void work(int index);
  void run_one(const store::Job& job, const std::string& owner);
  // Writes a job's outcome, retrying with backoff; false (logged, counted) when it never took.
  bool write_final(const store::Job& job, std::string_view what,
                   const std::function<core::Result<void>()>& write);
  void expire_old_jobs();
  std::int64_t now_ms() const;

  store::JobStore& jobs_;
  Runner& runner_;
  WorkerConfig config_;
  const core::Clock& clock_;
  WorkerStats stats_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::uint64_t wake_generation_ = 0;
  std::vector<std::thread> threads_;
  std::chrono::steady_clock::time_point last_sweep_{};
};

}  // namespace reelgen::jobs
