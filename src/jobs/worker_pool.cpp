#include "jobs/worker_pool.hpp"

#include <algorithm>
#include <cmath>

#include "core/hash.hpp"
#include "core/log.hpp"

namespace reelgen::jobs {
namespace {

using core::ErrorCode;

class StoreProgress final : public ProgressSink {
 public:
  StoreProgress(store::JobStore& jobs, const store::Job& job, std::string owner,
                const WorkerConfig& config, const core::Clock& clock,
                const std::atomic<bool>& stopping)
      : jobs_(jobs),
        job_(job),
        owner_(std::move(owner)),
        config_(config),
        clock_(clock),
        stopping_(stopping) {}

  void report(std::string_view stage, double percent) override {
    const auto now = clock_.now();
    if (stage == stage_ && now - last_write_ < config_.progress_interval) return;
    stage_ = std::string(stage);
    last_write_ = now;
    const auto wall = now_ms();
    auto owned = jobs_.heartbeat(job_.id, owner_, stage, std::clamp(percent, 0.0, 100.0), wall,
                                 config_.lease.count());
    if (owned && !*owned) lost_.store(true);
    if (auto current = jobs_.get(job_.id, "");
        current && *current && (*current)->cancel_requested) {
      cancel_requested_.store(true);
    }
  }

  bool cancelled() const override {
    return cancel_requested_.load() || lost_.load() || stopping_.load();
  }
  bool cancel_requested() const { return cancel_requested_.load(); }
  bool lost() const { return lost_.load(); }

 private:
  std::int64_t now_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch())
        .count();
  }

  store::JobStore& jobs_;
  const store::Job& job_;
  std::string owner_;
  const WorkerConfig& config_;
  const core::Clock& clock_;
  const std::atomic<bool>& stopping_;
  std::string stage_;
  std::chrono::steady_clock::time_point last_write_{};
  std::atomic<bool> cancel_requested_{false};
  std::atomic<bool> lost_{false};
};

}  // namespace

WorkerPool::WorkerPool(store::JobStore& jobs, Runner& runner, WorkerConfig config,
                       const core::Clock& clock)
    : jobs_(jobs), runner_(runner), config_(std::move(config)), clock_(clock) {
  stats_.workers = config_.workers;
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::start() {
  // A previous run of this instance that died (kill -9, a crash) left its jobs leased; they are
  // taken back now instead of after their leases expire.
  if (auto released = jobs_.release_leases(config_.owner, now_ms()); !released) {
    core::log_error("could not take back this instance's jobs",
                    {{"instance", config_.owner}, {"error", released.error().message}});
  } else if (*released > 0) {
    stats_.reclaimed.fetch_add(static_cast<std::uint64_t>(*released));
    core::log_warn("took back jobs left by a previous run",
                   {{"instance", config_.owner}, {"jobs", *released}});
  }
  for (int i = 0; i < config_.workers; ++i) {
    threads_.emplace_back([this, i] { work(i); });
  }
}

void WorkerPool::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_.exchange(true) && threads_.empty()) return;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void WorkerPool::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wake_generation_;
  }
  wake_.notify_one();
}

std::int64_t WorkerPool::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.wall().time_since_epoch())
      .count();
}

void WorkerPool::work(int index) {
  // Stable across restarts: a new run of this instance knows its predecessor's leases.
  const std::string owner = config_.owner + "-" + std::to_string(index);
  while (!stopping_.load()) {
    std::uint64_t generation;
    {
      std::lock_guard lock(mutex_);
      generation = wake_generation_;
    }
    if (index == 0) expire_old_jobs();
    auto claimed = jobs_.claim(owner, now_ms(), config_.lease.count());
    if (!claimed) {
      core::log_error("job claim failed", {{"error", claimed.error().message}});
    } else if (*claimed) {
      run_one(**claimed, owner);
      continue;
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, config_.poll_interval,
                   [&] { return stopping_.load() || wake_generation_ != generation; });
  }
}

void WorkerPool::expire_old_jobs() {
  if (config_.retention.count() <= 0) return;
  const auto now = clock_.now();
  if (last_sweep_ != std::chrono::steady_clock::time_point{} &&
      now - last_sweep_ < config_.sweep_interval) {
    return;
  }
  last_sweep_ = now;
  const std::int64_t cutoff = now_ms() - config_.retention.count();
  if (config_.sweep_also) config_.sweep_also(cutoff);
  auto expired = jobs_.expire_before(cutoff, now_ms());
  if (!expired) {
    core::log_error("job expiry failed", {{"error", expired.error().message.c_str()}});
    return;
  }
  for (const auto& id : *expired) {
    store::Job job;
    job.id = id;
    runner_.remove_outputs(job);
    stats_.expired.fetch_add(1);
  }
}

bool WorkerPool::write_final(const store::Job& job, std::string_view what,
                             const std::function<core::Result<void>()>& write) {
  // A lost final write would leave the job processing until its lease ran out and then render
  // it again: try again a few times, then say so loudly.
  for (int attempt = 0;; ++attempt) {
    auto written = write();
    if (written) return true;
    if (attempt + 1 >= config_.final_write_attempts) {
      stats_.write_failures.fetch_add(1);
      core::log_error("job state could not be recorded",
                      {{"job_id", job.id}, {"write", what}, {"error", written.error().message}});
      return false;
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, config_.final_write_backoff * (1 << attempt),
                   [&] { return stopping_.load(); });
  }
}

void WorkerPool::run_one(const store::Job& job, const std::string& owner) {
  stats_.claimed.fetch_add(1);
  stats_.busy.fetch_add(1);
  const std::int64_t ready_ms = std::max(job.created_ms, job.not_before_ms);
  stats_.queue_wait.record(
      std::chrono::milliseconds(std::max<std::int64_t>(0, now_ms() - ready_ms)));
  // Whatever an earlier, interrupted attempt wrote is incomplete by definition.
  runner_.remove_outputs(job);
  if (job.attempts > config_.max_attempts) {
    const std::string reason = "gave up after " + std::to_string(job.attempts - 1) +
                               " attempts; the last one stopped without finishing";
    write_final(job, "fail", [&] { return jobs_.fail(job.id, owner, reason, now_ms()); });
    stats_.failed.fetch_add(1);
    stats_.busy.fetch_sub(1);
    return;
  }
  StoreProgress progress(jobs_, job, owner, config_, clock_, stopping_);
  progress.report("starting", 0);
  auto result = runner_.run(job, progress);
  // A cancel that arrived after the last progress report still makes the job cancelled, whatever
  // the render returned ("render cancelled" is not a failure to retry).
  bool cancel = progress.cancel_requested();
  if (!cancel && !progress.lost()) {
    auto current = jobs_.get(job.id, "");
    cancel = current && *current && (*current)->cancel_requested;
  }
  if (cancel) {
    runner_.remove_outputs(job);
    write_final(job, "cancelled", [&] { return jobs_.mark_cancelled(job.id, owner, now_ms()); });
    stats_.cancelled.fetch_add(1);
  } else if (progress.lost()) {
    // Another worker owns the job now (this one stalled past its lease).
    stats_.leases_lost.fetch_add(1);
  } else if (stopping_.load()) {
    // Shutting down: hand the job back at once instead of waiting for the lease to expire.
    runner_.remove_outputs(job);
    write_final(job, "retry", [&] {
      return jobs_.retry_later(job.id, owner, "interrupted by a shutdown", now_ms(), now_ms());
    });
  } else if (result) {
    write_final(job, "complete", [&] { return jobs_.complete(job.id, owner, *result, now_ms()); });
    stats_.completed.fetch_add(1);
  } else if (result.error().code != ErrorCode::invalid_argument &&
             job.attempts < config_.max_attempts) {
    const auto delay =
        config_.backoff.count() * (std::int64_t{1} << std::min(job.attempts - 1, 10));
    runner_.remove_outputs(job);
    write_final(job, "retry", [&] {
      return jobs_.retry_later(job.id, owner, result.error().message, now_ms() + delay, now_ms());
    });
    stats_.retried.fetch_add(1);
    core::log_warn(
        "job attempt failed; will retry",
        {{"job_id", job.id}, {"attempt", job.attempts}, {"error", result.error().message}});
  } else {
    runner_.remove_outputs(job);
    write_final(job, "fail",
                [&] { return jobs_.fail(job.id, owner, result.error().message, now_ms()); });
    stats_.failed.fetch_add(1);
  }
  stats_.busy.fetch_sub(1);
}

}  // namespace reelgen::jobs
