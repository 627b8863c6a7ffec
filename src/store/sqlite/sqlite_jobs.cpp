// The jobs table: a durable queue. Claiming is one UPDATE … RETURNING, atomic under SQLite's write
// lock, so several workers (threads or processes on the same file) never take the same job.

#include <atomic>
#include <string>
#include <vector>

#include "store/job_columns.hpp"
#include "store/sqlite/sqlite_internal.hpp"

namespace reelgen::store {
namespace {

using core::ErrorCode;

constexpr const char* kColumns = detail::kJobColumns;
constexpr const char* kListColumns = detail::kJobListColumns;

Job read_job(const Statement& s) {
  sqlite3_stmt* st = s.get();
  Job job;
  job.id = s.text(0);
  job.key_id = s.text(1);
  job.status = parse_job_status(s.text(2)).value_or(JobStatus::failed);
  job.stage = s.text(3);
  job.progress = sqlite3_column_double(st, 4);
  job.priority = sqlite3_column_int(st, 5);
  job.attempts = sqlite3_column_int(st, 6);
  job.max_attempts = sqlite3_column_int(st, 7);
  job.lease_owner = s.text(8);
  job.lease_expires_ms = sqlite3_column_int64(st, 9);
  job.not_before_ms = sqlite3_column_int64(st, 10);
  job.cancel_requested = sqlite3_column_int(st, 11) != 0;
  job.payload = s.text(12);
  job.result = s.text(13);
  job.error = s.text(14);
  job.idempotency_key = s.text(15);
  job.payload_hash = s.text(16);
  job.created_ms = sqlite3_column_int64(st, 17);
  job.updated_ms = sqlite3_column_int64(st, 18);
  job.started_ms = sqlite3_column_int64(st, 19);
  job.finished_ms = sqlite3_column_int64(st, 20);
  job.callback_url = s.text(21);
  job.callback_id = s.text(22);
  job.webhook_status = s.text(23);
  job.webhook_attempts = sqlite3_column_int(st, 24);
  job.webhook_next_ms = sqlite3_column_int64(st, 25);
  job.webhook_error = s.text(26);
  job.title = s.text(27);
  return job;
}

class SqliteJobs final : public JobStore {
 public:
  SqliteJobs(sqlite3* db, std::mutex& mutex) : db_(db), mutex_(mutex), cache_(db) {
    static std::atomic<std::uint64_t> next_id{1};
    id_ = next_id.fetch_add(1);
    if (const char* file = sqlite3_db_filename(db, "main")) path_ = file;
  }

  core::Result<Job> create(const Job& job) override {
    std::lock_guard lock(mutex_);
    if (!job.idempotency_key.empty()) {
      Statement s(cache_, (std::string("SELECT ") + kColumns +
                           " FROM jobs WHERE key_id = ? AND idempotency_key = ?"));
      s.bind_all(job.key_id, job.idempotency_key);
      if (s.step() == SQLITE_ROW) {
        Job existing = read_job(s);
        if (existing.payload_hash != job.payload_hash) {
          return core::fail(ErrorCode::conflict,
                            "Idempotency-Key '" + job.idempotency_key +
                                "' was already used with a different request body");
        }
        return existing;
      }
    }
    Statement s(cache_,
                "INSERT INTO jobs (id, key_id, status, stage, progress, priority, max_attempts, "
                "payload, idempotency_key, payload_hash, created_ms, updated_ms, callback_url, "
                "callback_id, title) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.bind_all(job.id, job.key_id, to_string(job.status), job.stage, job.priority, job.max_attempts,
               job.payload, job.idempotency_key, job.payload_hash, job.created_ms, job.created_ms,
               job.callback_url, job.callback_id, job.title);
    if (s.step() != SQLITE_DONE) return std::unexpected(failure("create job"));
    return job;
  }

  core::Result<std::optional<Job>> find_by_idempotency_key(
      std::string_view key_id, std::string_view idempotency_key) override {
    std::lock_guard lock(mutex_);
    Statement s(cache_,
                (std::string("SELECT ") + kColumns +
                 " FROM jobs WHERE key_id = ? AND idempotency_key = ? AND idempotency_key != ''"));
    s.bind_all(key_id, idempotency_key);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<Job>();
    if (rc != SQLITE_ROW) return std::unexpected(failure("find job"));
    return std::optional<Job>(read_job(s));
  }

  core::Result<std::optional<Job>> get(std::string_view id, std::string_view key_id) override {
    Reader connection(*this);
    Statement s(connection, (std::string("SELECT ") + kColumns +
                             " FROM jobs WHERE id = ?1 AND (?2 = '' OR key_id = ?2)"));
    s.bind_all(id, key_id);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<Job>();
    if (rc != SQLITE_ROW) return std::unexpected(failure("get job"));
    return std::optional<Job>(read_job(s));
  }

  core::Result<std::vector<Job>> list(const JobFilter& f) override {
    // Newest first (the id breaks ties within a millisecond); the cursor is the (created, id) of
    // the last job of the previous page, so it stays valid when that job is deleted.
    Reader connection(*this);
    Statement s(connection, (std::string("SELECT ") + kListColumns +
                             " FROM jobs WHERE key_id = ?1"
                             " AND (?2 = '' OR status = ?2)"
                             " AND (?3 = 0 OR created_ms > ?3)"
                             " AND (?4 = 0 OR created_ms < ?4)"
                             " AND (?5 = '' OR (created_ms, id) < (?7, ?5))"
                             " ORDER BY created_ms DESC, id DESC LIMIT ?6"));
    s.bind_all(f.key_id, f.status ? to_string(*f.status) : std::string_view(),
               f.created_after_ms.value_or(0), f.created_before_ms.value_or(0),
               f.cursor ? std::string_view(f.cursor->id) : std::string_view(), f.limit,
               f.cursor ? f.cursor->created_ms : 0);
    std::vector<Job> jobs;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) jobs.push_back(read_job(s));
    if (rc != SQLITE_DONE) return std::unexpected(failure("list jobs"));
    return jobs;
  }

  core::Result<std::optional<Job>> claim(std::string_view owner, std::int64_t now_ms,
                                         std::int64_t lease_ms) override {
    std::lock_guard lock(mutex_);
    Statement s(cache_,
                (std::string("UPDATE jobs SET status = 'processing', lease_owner = ?1,"
                             " lease_expires_ms = ?2 + ?3, attempts = attempts + 1,"
                             " started_ms = CASE started_ms WHEN 0 THEN ?2 ELSE started_ms END,"
                             " updated_ms = ?2, stage = 'starting', progress = 0"
                             " WHERE id = (SELECT id FROM jobs"
                             "   WHERE (status = 'queued' AND not_before_ms <= ?2)"
                             "      OR (status = 'processing' AND lease_expires_ms < ?2)"
                             "   ORDER BY priority DESC, created_ms, id LIMIT 1)"
                             " RETURNING ") +
                 kColumns));
    s.bind_all(owner, now_ms, lease_ms);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<Job>();
    if (rc != SQLITE_ROW) return std::unexpected(failure("claim job"));
    Job job = read_job(s);
    while (s.step() == SQLITE_ROW) {
    }
    return std::optional<Job>(std::move(job));
  }

  core::Result<bool> heartbeat(std::string_view id, std::string_view owner, std::string_view stage,
                               double progress, std::int64_t now_ms,
                               std::int64_t lease_ms) override {
    std::lock_guard lock(mutex_);
    Statement s(cache_,
                "UPDATE jobs SET stage = ?3, progress = ?4, lease_expires_ms = ?5 + ?6,"
                " updated_ms = ?5 WHERE id = ?1 AND lease_owner = ?2 AND status = 'processing'");
    s.bind_all(id, owner, stage, progress, now_ms, lease_ms);
    if (s.step() != SQLITE_DONE) return std::unexpected(failure("heartbeat"));
    return sqlite3_changes(db_) == 1;
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
    std::lock_guard lock(mutex_);
    Statement s(
        cache_,
        "UPDATE jobs SET status = 'queued', lease_owner = '', lease_expires_ms = 0,"
        " not_before_ms = 0, stage = 'interrupted', progress = 0, updated_ms = ?2"
        " WHERE status = 'processing' AND substr(lease_owner, 1, length(?1) + 1) = ?1 || '-'");
    s.bind_all(instance, now_ms);
    if (s.step() != SQLITE_DONE) return std::unexpected(failure("release leases"));
    return sqlite3_changes(db_);
  }

  core::Result<void> retry_later(std::string_view id, std::string_view owner,
                                 std::string_view error, std::int64_t not_before_ms,
                                 std::int64_t now_ms) override {
    std::lock_guard lock(mutex_);
    Statement s(cache_,
                "UPDATE jobs SET status = 'queued', lease_owner = '', lease_expires_ms = 0,"
                " not_before_ms = ?3, error = ?4, stage = 'waiting to retry', progress = 0,"
                " updated_ms = ?5 WHERE id = ?1 AND lease_owner = ?2 AND status = 'processing'");
    s.bind_all(id, owner, not_before_ms, error, now_ms);
    if (s.step() != SQLITE_DONE) return std::unexpected(failure("retry job"));
    return {};
  }

  core::Result<Job> cancel(std::string_view id, std::string_view key_id,
                           std::int64_t now_ms) override {
    std::lock_guard lock(mutex_);
    Statement s(
        cache_,
        "UPDATE jobs SET"
        " status = CASE status WHEN 'queued' THEN 'cancelled' ELSE status END,"
        " finished_ms = CASE status WHEN 'queued' THEN ?3 ELSE finished_ms END,"
        " stage = CASE status WHEN 'queued' THEN 'cancelled' ELSE stage END,"
        " cancel_requested = CASE status WHEN 'processing' THEN 1 ELSE cancel_requested END,"
        " updated_ms = ?3 WHERE id = ?1 AND key_id = ?2");
    s.bind_all(id, key_id, now_ms);
    if (s.step() != SQLITE_DONE) return std::unexpected(failure("cancel job"));
    if (sqlite3_changes(db_) == 0) {
      return core::fail(ErrorCode::not_found, "no video with id '" + std::string(id) + "'");
    }
    Statement g(cache_, (std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?"));
    g.bind(1, id);
    if (g.step() != SQLITE_ROW) return std::unexpected(failure("read cancelled job"));
    return read_job(g);
  }

  core::Result<void> remove(std::string_view id, std::string_view key_id) override {
    std::lock_guard lock(mutex_);
    Statement s(cache_,
                "DELETE FROM jobs WHERE id = ?1 AND key_id = ?2"
                " AND status NOT IN ('queued', 'processing')");
    s.bind_all(id, key_id);
    if (s.step() != SQLITE_DONE) return std::unexpected(failure("remove job"));
    if (sqlite3_changes(db_) == 1) return {};
    Statement g(cache_, "SELECT status FROM jobs WHERE id = ?1 AND key_id = ?2");
    g.bind_all(id, key_id);
    if (g.step() == SQLITE_ROW) {
      return core::fail(ErrorCode::conflict,
                        "video '" + std::string(id) + "' is " + g.text(0) + "; cancel it first");
    }
    return core::fail(ErrorCode::not_found, "no video with id '" + std::string(id) + "'");
  }

  core::Result<std::vector<std::string>> expire_before(std::int64_t cutoff_ms,
                                                       std::int64_t now_ms) override {
    std::lock_guard lock(mutex_);
    Statement s(cache_,
                "UPDATE jobs SET status = 'expired', updated_ms = ?2"
                " WHERE status IN ('completed', 'failed', 'cancelled') AND finished_ms > 0"
                " AND finished_ms < ?1 RETURNING id");
    s.bind_all(cutoff_ms, now_ms);
    std::vector<std::string> ids;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) ids.push_back(s.text(0));
    if (rc != SQLITE_DONE) return std::unexpected(failure("expire jobs"));
    return ids;
  }

  core::Result<std::vector<Job>> due_webhooks(std::int64_t now_ms, int limit) override {
    std::lock_guard lock(mutex_);
    Statement s(cache_, (std::string("SELECT ") + kColumns +
                         " FROM jobs WHERE webhook_status = 'pending' AND webhook_next_ms <= ?1"
                         " ORDER BY webhook_next_ms LIMIT ?2"));
    s.bind_all(now_ms, limit);
    std::vector<Job> jobs;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) jobs.push_back(read_job(s));
    if (rc != SQLITE_DONE) return std::unexpected(failure("due webhooks"));
    return jobs;
  }

  core::Result<void> record_webhook(std::string_view id, std::string_view status, int attempts,
                                    std::int64_t next_ms, std::string_view error) override {
    std::lock_guard lock(mutex_);
    Statement s(cache_,
                "UPDATE jobs SET webhook_status = ?2, webhook_attempts = ?3, webhook_next_ms = ?4,"
                " webhook_error = ?5 WHERE id = ?1");
    s.bind_all(id, status, attempts, next_ms, error);
    if (s.step() != SQLITE_DONE) return std::unexpected(failure("record webhook"));
    return {};
  }

  core::Result<int> count_active(std::string_view key_id) override {
    return count(
        "SELECT COUNT(*) FROM jobs WHERE key_id = ?1 AND status IN ('queued', 'processing')"
        " AND ?2 = ?2",
        key_id, 0);
  }

  core::Result<int> count_created_since(std::string_view key_id, std::int64_t since_ms) override {
    return count("SELECT COUNT(*) FROM jobs WHERE key_id = ?1 AND created_ms >= ?2", key_id,
                 since_ms);
  }

  core::Result<int> count_with_status(JobStatus status) override {
    return count("SELECT COUNT(*) FROM jobs WHERE status = ?1 AND ?2 = ?2", to_string(status), 0);
  }

 private:
  core::Result<void> finish(std::string_view id, std::string_view owner, std::string_view status,
                            std::string_view error, std::string_view result, std::int64_t now_ms,
                            double progress) {
    std::lock_guard lock(mutex_);
    Statement s(cache_,
                "UPDATE jobs SET status = ?3, error = ?4, result = ?5, finished_ms = ?6,"
                " updated_ms = ?6, lease_owner = '', lease_expires_ms = 0,"
                " stage = ?3, progress = CASE WHEN ?7 < 0 THEN progress ELSE ?7 END,"
                " webhook_status = CASE WHEN callback_url != '' AND ?3 IN ('completed', 'failed')"
                "   THEN 'pending' ELSE webhook_status END,"
                " webhook_next_ms = ?6"
                " WHERE id = ?1 AND lease_owner = ?2 AND status = 'processing'");
    s.bind_all(id, owner, status, error, result, now_ms, progress);
    if (s.step() != SQLITE_DONE) return std::unexpected(failure("finish job"));
    return {};
  }

  core::Result<int> count(const char* sql, std::string_view key_id, std::int64_t value) {
    std::lock_guard lock(mutex_);
    Statement s(cache_, sql);
    s.bind_all(key_id, value);
    if (s.step() != SQLITE_ROW) return std::unexpected(failure("count jobs"));
    return sqlite3_column_int(s.get(), 0);
  }

  core::Error failure(std::string_view what) const { return sqlite_failure(db_, what); }

  // Reads (status polls, listings) run on a connection of the calling thread's own: in WAL mode
  // readers do not block each other or the writer, and the shared mutex stays uncontended.
  // Falls back to the shared connection (under its mutex) if a reader cannot be opened.
  class Reader {
   public:
    explicit Reader(SqliteJobs& jobs) : jobs_(jobs) {
      if (cache_ = jobs.thread_cache(); cache_ == nullptr) lock_ = std::unique_lock(jobs.mutex_);
    }
    operator StatementCache&() { return cache_ ? *cache_ : jobs_.cache_; }

   private:
    SqliteJobs& jobs_;
    StatementCache* cache_ = nullptr;
    std::unique_lock<std::mutex> lock_;
  };
  StatementCache* thread_cache() {
    struct Connection {
      sqlite3* db = nullptr;
      std::unique_ptr<StatementCache> cache;
      ~Connection() {
        cache.reset();
        sqlite3_close_v2(db);
      }
    };
    // By instance id, not address: a new store at an old address must not reuse a connection.
    thread_local std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections;
    auto& c = connections[id_];
    if (!c) {
      c = std::make_unique<Connection>();
      if (path_.empty() ||
          sqlite3_open_v2(path_.c_str(), &c->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                          nullptr) != SQLITE_OK) {
        connections.erase(id_);
        return nullptr;
      }
      sqlite3_busy_timeout(c->db, 5000);
      c->cache = std::make_unique<StatementCache>(c->db);
    }
    return c->cache.get();
  }

  sqlite3* db_;
  std::mutex& mutex_;
  StatementCache cache_;
  std::uint64_t id_ = 0;
  std::string path_;
};

}  // namespace

std::unique_ptr<JobStore> make_sqlite_jobs(sqlite3* db, std::mutex& mutex) {
  return std::make_unique<SqliteJobs>(db, mutex);
}

}  // namespace reelgen::store
