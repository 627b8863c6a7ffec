// The jobs table on PostgreSQL: a durable queue shared by every process. A claim takes the best
// due row with FOR UPDATE SKIP LOCKED, so concurrent workers (in any process) never wait on, nor
// take, a row another is claiming.

#include <poll.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "store/job_columns.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace reelgen::store {
namespace {

using core::ErrorCode;

constexpr const char* kColumns = detail::kJobColumns;
constexpr const char* kListColumns = detail::kJobListColumns;

// While a process delivers a webhook, the row's next attempt is pushed this far ahead, so no
// other process takes it; the recorded attempt then sets the real next time.
constexpr std::int64_t kWebhookClaimMs = 120'000;

Job read_job(const pg::Rows& r, int i) {
  Job job;
  job.id = r.text(i, 0);
  job.key_id = r.text(i, 1);
  job.status = parse_job_status(r.text(i, 2)).value_or(JobStatus::failed);
  job.stage = r.text(i, 3);
  job.progress = r.real(i, 4);
  job.priority = static_cast<int>(r.integer(i, 5));
  job.attempts = static_cast<int>(r.integer(i, 6));
  job.max_attempts = static_cast<int>(r.integer(i, 7));
  job.lease_owner = r.text(i, 8);
  job.lease_expires_ms = r.integer(i, 9);
  job.not_before_ms = r.integer(i, 10);
  job.cancel_requested = r.integer(i, 11) != 0;
  job.payload = r.text(i, 12);
  job.result = r.text(i, 13);
  job.error = r.text(i, 14);
  job.idempotency_key = r.text(i, 15);
  job.payload_hash = r.text(i, 16);
  job.created_ms = r.integer(i, 17);
  job.updated_ms = r.integer(i, 18);
  job.started_ms = r.integer(i, 19);
  job.finished_ms = r.integer(i, 20);
  job.callback_url = r.text(i, 21);
  job.callback_id = r.text(i, 22);
  job.webhook_status = r.text(i, 23);
  job.webhook_attempts = static_cast<int>(r.integer(i, 24));
  job.webhook_next_ms = r.integer(i, 25);
  job.webhook_error = r.text(i, 26);
  job.title = r.text(i, 27);
  return job;
}

std::vector<Job> read_jobs(const pg::Rows& rows) {
  std::vector<Job> jobs;
  jobs.reserve(static_cast<std::size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) jobs.push_back(read_job(rows, i));
  return jobs;
}

std::optional<Job> first_job(const pg::Rows& rows) {
  if (rows.size() == 0) return std::nullopt;
  return read_job(rows, 0);
}

std::string select(const char* columns, const char* rest) {
  return std::string("SELECT ") + columns + " FROM jobs " + rest;
}

class PgJobs final : public JobStore {
 public:
  explicit PgJobs(pg::Pool& pool) : pool_(pool) {}
  ~PgJobs() override {
    stopping_ = true;
    if (listener_.joinable()) listener_.join();
  }

  void subscribe(std::function<void()> wake) override {
    {
      std::lock_guard lock(wake_mutex_);
      wake_ = std::move(wake);
    }
    if (!listener_.joinable() && !stopping_) listener_ = std::thread([this] { listen(); });
  }

  core::Result<Job> create(const Job& job) override {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    // ON CONFLICT leaves an existing (key, idempotency key) row alone; the SELECT below then
    // tells a replay of the same body from a different one.
    auto inserted = (*c)->run(
        "INSERT INTO jobs (id, key_id, status, stage, progress, priority, max_attempts, payload,"
        " idempotency_key, payload_hash, created_ms, updated_ms, callback_url, callback_id, title)"
        " VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9, $10, $10, $11, $12, $13)"
        " ON CONFLICT (key_id, idempotency_key) WHERE idempotency_key != '' DO NOTHING",
        pg::Params(job.id, job.key_id, to_string(job.status), job.stage, job.priority,
                   job.max_attempts, job.payload, job.idempotency_key, job.payload_hash,
                   job.created_ms, job.callback_url, job.callback_id, job.title));
    if (!inserted) return std::unexpected(inserted.error());
    if (inserted->affected() == 1) {
      if (auto n = notify(**c); !n) return std::unexpected(n.error());
      return job;
    }
    auto rows = (*c)->run(select(kColumns, "WHERE key_id = $1 AND idempotency_key = $2"),
                          pg::Params(job.key_id, job.idempotency_key));
    if (!rows) return std::unexpected(rows.error());
    auto existing = first_job(*rows);
    if (!existing) return core::fail(ErrorCode::unavailable, "the job was removed meanwhile");
    if (existing->payload_hash != job.payload_hash) {
      return core::fail(ErrorCode::conflict,
                        "Idempotency-Key '" + job.idempotency_key +
                            "' was already used with a different request body");
    }
    return *existing;
  }

  core::Result<std::optional<Job>> find_by_idempotency_key(
      std::string_view key_id, std::string_view idempotency_key) override {
    return one(
        select(kColumns, "WHERE key_id = $1 AND idempotency_key = $2 AND idempotency_key != ''"),
        pg::Params(key_id, idempotency_key));
  }

  core::Result<std::optional<Job>> get(std::string_view id, std::string_view key_id) override {
    return one(select(kColumns, "WHERE id = $1 AND ($2::text = '' OR key_id = $2::text)"),
               pg::Params(id, key_id));
  }

  core::Result<std::vector<Job>> list(const JobFilter& f) override {
    // Newest first (the id breaks ties within a millisecond); the cursor is the (created, id) of
    // the last job of the previous page, as on SQLite, so cursors mean the same on both.
    return many(select(kListColumns,
                       "WHERE key_id = $1"
                       " AND ($2::text = '' OR status = $2::text)"
                       " AND ($3::bigint = 0 OR created_ms > $3::bigint)"
                       " AND ($4::bigint = 0 OR created_ms < $4::bigint)"
                       " AND ($5::text = '' OR (created_ms, id) < ($7::bigint, $5::text))"
                       " ORDER BY created_ms DESC, id DESC LIMIT $6"),
                pg::Params(f.key_id, f.status ? to_string(*f.status) : std::string_view(),
                           f.created_after_ms.value_or(0), f.created_before_ms.value_or(0),
                           f.cursor ? std::string_view(f.cursor->id) : std::string_view(), f.limit,
                           f.cursor ? f.cursor->created_ms : 0));
  }

  core::Result<std::optional<Job>> claim(std::string_view owner, std::int64_t now_ms,
                                         std::int64_t lease_ms) override {
    return one(std::string("UPDATE jobs SET status = 'processing', lease_owner = $1,"
                           " lease_expires_ms = $2::bigint + $3::bigint, attempts = attempts + 1,"
                           " started_ms = CASE started_ms WHEN 0 THEN $2::bigint"
                           "   ELSE started_ms END,"
                           " updated_ms = $2::bigint, stage = 'starting', progress = 0"
                           " WHERE id = (SELECT id FROM jobs"
                           "   WHERE (status = 'queued' AND not_before_ms <= $2::bigint)"
                           "      OR (status = 'processing' AND lease_expires_ms < $2::bigint)"
                           "   ORDER BY priority DESC, created_ms, id LIMIT 1"
                           "   FOR UPDATE SKIP LOCKED)"
                           " RETURNING ") +
                   kColumns,
               pg::Params(owner, now_ms, lease_ms));
  }

  core::Result<bool> heartbeat(std::string_view id, std::string_view owner, std::string_view stage,
                               double progress, std::int64_t now_ms,
                               std::int64_t lease_ms) override {
    auto rows =
        run("UPDATE jobs SET stage = $3, progress = $4, lease_expires_ms = $5::bigint + $6::bigint,"
            " updated_ms = $5::bigint WHERE id = $1 AND lease_owner = $2 AND status = 'processing'",
            pg::Params(id, owner, stage, progress, now_ms, lease_ms));
    if (!rows) return std::unexpected(rows.error());
    return rows->affected() == 1;
  }

  core::Result<void> complete(std::string_view id, std::string_view owner, std::string_view result,
                              std::int64_t now_ms) override {
    return finish(id, owner, "completed", "", result, now_ms, 100);
  }

  core::Result<void> fail(std::string_view id, std::string_view owner, std::string_view error,
                          std::int64_t now_ms) override {
    return finish(id, owner, "failed", error, "", now_ms, -1);
  }

  core::Result<void> mark_cancelled(std::string_view id, std::string_view owner,
                                    std::int64_t now_ms) override {
    return finish(id, owner, "cancelled", "cancelled by request", "", now_ms, -1);
  }

  core::Result<int> release_leases(std::string_view instance, std::int64_t now_ms) override {
    auto rows =
        run("UPDATE jobs SET status = 'queued', lease_owner = '', lease_expires_ms = 0,"
            " not_before_ms = 0, stage = 'interrupted', progress = 0, updated_ms = $2"
            " WHERE status = 'processing'"
            " AND left(lease_owner, length($1::text) + 1) = $1::text || '-'",
            pg::Params(instance, now_ms));
    if (!rows) return std::unexpected(rows.error());
    if (rows->affected() > 0) static_cast<void>(notify_now());
    return static_cast<int>(rows->affected());
  }

  core::Result<void> retry_later(std::string_view id, std::string_view owner,
                                 std::string_view error, std::int64_t not_before_ms,
                                 std::int64_t now_ms) override {
    auto rows =
        run("UPDATE jobs SET status = 'queued', lease_owner = '', lease_expires_ms = 0,"
            " not_before_ms = $3, error = $4, stage = 'waiting to retry', progress = 0,"
            " updated_ms = $5 WHERE id = $1 AND lease_owner = $2 AND status = 'processing'",
            pg::Params(id, owner, not_before_ms, error, now_ms));
    if (!rows) return std::unexpected(rows.error());
    return {};
  }

  core::Result<Job> cancel(std::string_view id, std::string_view key_id,
                           std::int64_t now_ms) override {
    auto job = one(std::string("UPDATE jobs SET"
                               " status = CASE status WHEN 'queued' THEN 'cancelled'"
                               "   ELSE status END,"
                               " finished_ms = CASE status WHEN 'queued' THEN $3::bigint"
                               "   ELSE finished_ms END,"
                               " stage = CASE status WHEN 'queued' THEN 'cancelled' ELSE stage END,"
                               " cancel_requested = CASE status WHEN 'processing' THEN 1"
                               "   ELSE cancel_requested END,"
                               " updated_ms = $3::bigint WHERE id = $1 AND key_id = $2"
                               " RETURNING ") +
                       kColumns,
                   pg::Params(id, key_id, now_ms));
    if (!job) return std::unexpected(job.error());
    if (!*job)
      return core::fail(ErrorCode::not_found, "no video with id '" + std::string(id) + "'");
    return std::move(**job);
  }

  core::Result<void> remove(std::string_view id, std::string_view key_id) override {
    auto rows =
        run("DELETE FROM jobs WHERE id = $1 AND key_id = $2"
            " AND status NOT IN ('queued', 'processing')",
            pg::Params(id, key_id));
    if (!rows) return std::unexpected(rows.error());
    if (rows->affected() == 1) return {};
    auto status =
        run("SELECT status FROM jobs WHERE id = $1 AND key_id = $2", pg::Params(id, key_id));
    if (!status) return std::unexpected(status.error());
    if (status->size() == 1) {
      return core::fail(ErrorCode::conflict, "video '" + std::string(id) + "' is " +
                                                 status->text(0, 0) + "; cancel it first");
    }
    return core::fail(ErrorCode::not_found, "no video with id '" + std::string(id) + "'");
  }

  core::Result<std::vector<std::string>> expire_before(std::int64_t cutoff_ms,
                                                       std::int64_t now_ms) override {
    auto rows =
        run("UPDATE jobs SET status = 'expired', updated_ms = $2"
            " WHERE status IN ('completed', 'failed', 'cancelled') AND finished_ms > 0"
            " AND finished_ms < $1 RETURNING id",
            pg::Params(cutoff_ms, now_ms));
    if (!rows) return std::unexpected(rows.error());
    std::vector<std::string> ids;
    for (int i = 0; i < rows->size(); ++i) ids.push_back(rows->text(i, 0));
    return ids;
  }

  core::Result<std::vector<Job>> due_webhooks(std::int64_t now_ms, int limit) override {
    // Claimed, not just read: each due delivery goes to one process.
    return many(std::string("UPDATE jobs SET webhook_next_ms = $1::bigint + ") +
                    std::to_string(kWebhookClaimMs) +
                    " WHERE id IN (SELECT id FROM jobs WHERE webhook_status = 'pending'"
                    "   AND webhook_next_ms <= $1::bigint ORDER BY webhook_next_ms LIMIT $2"
                    "   FOR UPDATE SKIP LOCKED) RETURNING " +
                    kColumns,
                pg::Params(now_ms, limit));
  }

  core::Result<void> record_webhook(std::string_view id, std::string_view status, int attempts,
                                    std::int64_t next_ms, std::string_view error) override {
    auto rows =
        run("UPDATE jobs SET webhook_status = $2, webhook_attempts = $3, webhook_next_ms = $4,"
            " webhook_error = $5 WHERE id = $1",
            pg::Params(id, status, attempts, next_ms, error));
    if (!rows) return std::unexpected(rows.error());
    return {};
  }

  core::Result<int> count_active(std::string_view key_id) override {
    return count(
        "SELECT COUNT(*) FROM jobs WHERE key_id = $1 AND status IN ('queued', 'processing')",
        pg::Params(key_id));
  }

  core::Result<int> count_created_since(std::string_view key_id, std::int64_t since_ms) override {
    return count("SELECT COUNT(*) FROM jobs WHERE key_id = $1 AND created_ms >= $2",
                 pg::Params(key_id, since_ms));
  }

  core::Result<int> count_with_status(JobStatus status) override {
    return count("SELECT COUNT(*) FROM jobs WHERE status = $1", pg::Params(to_string(status)));
  }

 private:
  // LISTENs on a connection of its own and calls the subscriber for each notification; after a
  // lost connection, listens again (polling covers the gap).
  void listen() {
    std::chrono::milliseconds backoff(100);
    while (!stopping_) {
      auto conn = pool_.connect();
      if (!conn || !(*conn)->exec("LISTEN reelgen_jobs")) {
        for (auto waited = std::chrono::milliseconds(0); waited < backoff && !stopping_;
             waited += std::chrono::milliseconds(100)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
        continue;
      }
      backoff = std::chrono::milliseconds(100);
      PGconn* c = (*conn)->get();
      while (!stopping_ && PQstatus(c) == CONNECTION_OK) {
        pollfd fd{PQsocket(c), POLLIN, 0};
        if (::poll(&fd, 1, 200) <= 0) continue;  // the timeout bounds how long stop waits
        if (PQconsumeInput(c) == 0) break;
        bool woken = false;
        while (PGnotify* n = PQnotifies(c)) {
          PQfreemem(n);
          woken = true;
        }
        if (woken) {
          std::lock_guard lock(wake_mutex_);
          if (wake_) wake_();
        }
      }
      if (!stopping_) core::log_warn("job notifications lost; listening again");
    }
  }

  core::Result<pg::Rows> run(const std::string& sql, pg::Params params) {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    return (*c)->run(sql, std::move(params));
  }
  core::Result<std::optional<Job>> one(const std::string& sql, pg::Params params) {
    auto rows = run(sql, std::move(params));
    if (!rows) return std::unexpected(rows.error());
    return first_job(*rows);
  }
  core::Result<std::vector<Job>> many(const std::string& sql, pg::Params params) {
    auto rows = run(sql, std::move(params));
    if (!rows) return std::unexpected(rows.error());
    return read_jobs(*rows);
  }
  core::Result<int> count(const std::string& sql, pg::Params params) {
    auto rows = run(sql, std::move(params));
    if (!rows) return std::unexpected(rows.error());
    return static_cast<int>(rows->integer(0, 0));
  }
  // Wakes idle workers listening on the channel (every process's); polling stays the fallback.
  core::Result<void> notify(pg::Connection& c) {
    auto r = c.run("SELECT pg_notify('reelgen_jobs', '')", pg::Params());
    if (!r) return std::unexpected(r.error());
    return {};
  }
  core::Result<void> notify_now() {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    return notify(**c);
  }

  core::Result<void> finish(std::string_view id, std::string_view owner, std::string_view status,
                            std::string_view error, std::string_view result, std::int64_t now_ms,
                            double progress) {
    auto rows =
        run("UPDATE jobs SET status = $3, error = $4, result = $5, finished_ms = $6::bigint,"
            " updated_ms = $6::bigint, lease_owner = '', lease_expires_ms = 0,"
            " stage = $3, progress = CASE WHEN $7::float8 < 0 THEN progress ELSE $7::float8 END,"
            " webhook_status = CASE WHEN callback_url != '' AND $3 IN ('completed', 'failed')"
            "   THEN 'pending' ELSE webhook_status END,"
            " webhook_next_ms = $6::bigint"
            " WHERE id = $1 AND lease_owner = $2 AND status = 'processing'",
            pg::Params(id, owner, status, error, result, now_ms, progress));
    if (!rows) return std::unexpected(rows.error());
    return {};
  }

  pg::Pool& pool_;
  std::mutex wake_mutex_;
  std::function<void()> wake_;
  std::atomic<bool> stopping_{false};
  std::thread listener_;
};

}  // namespace

namespace pg {
std::unique_ptr<JobStore> make_jobs(Pool& pool) { return std::make_unique<PgJobs>(pool); }
}  // namespace pg

}  // namespace reelgen::store
