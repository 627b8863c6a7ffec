#pragma once
// Persistent state behind interfaces: the SQLite backend is the embedded default; a PostgreSQL
// backend implements the same interfaces for scale-out.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"

namespace reelgen::store {

enum class Scope { user, admin };
std::string_view to_string(Scope scope);
std::optional<Scope> parse_scope(std::string_view name);

struct ApiKey {
  std::string id;    // public identifier, e.g. "key_7f3a…", safe to log
  std::string name;  // for people
  Scope scope = Scope::user;
  std::string secret_hash;                 // lower-case hex SHA-256 of the secret
  std::optional<double> rate_per_minute;   // overrides the default rate limit
  std::int64_t created_at = 0;             // unix seconds
  std::optional<std::int64_t> revoked_at;  // unix seconds
  bool active() const { return !revoked_at.has_value(); }
};

struct CreatedKey {
  ApiKey key;
  std::string secret;  // shown once; only its hash is stored
};

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual core::Result<CreatedKey> create(std::string_view name, Scope scope,
                                          std::optional<double> rate_per_minute) = 0;
  // The key whose secret hashes to secret_hash, revoked or not; nullopt when none.
  virtual core::Result<std::optional<ApiKey>> find_by_hash(std::string_view secret_hash) = 0;
  virtual core::Result<std::vector<ApiKey>> list() = 0;
  // Revokes by id; not_found when no such key.
  virtual core::Result<void> revoke(std::string_view id) = 0;
  virtual core::Result<std::size_t> count_active() = 0;
  // The first-start admin key: created only when no active key exists, atomically across every
  // process sharing the store (replicas starting together create one). nullopt when one exists.
  virtual core::Result<std::optional<CreatedKey>> create_first_admin(std::string_view name) = 0;
};

enum class JobStatus { queued, processing, completed, failed, cancelled, expired };
std::string_view to_string(JobStatus status);
std::optional<JobStatus> parse_job_status(std::string_view name);
bool is_final(JobStatus status);

// A unit of background work (a video render), owned by the API key that submitted it.
struct Job {
  std::string id;
  std::string key_id;
  JobStatus status = JobStatus::queued;
  std::string stage;    // e.g. "speech", "frames", "encoding"
  double progress = 0;  // 0..100
  int priority = 0;     // higher first
  int attempts = 0;     // claims so far
  int max_attempts = 3;
  std::string lease_owner;            // worker holding the job while processing
  std::int64_t lease_expires_ms = 0;  // unix ms; an expired lease makes the job claimable again
  std::int64_t not_before_ms = 0;     // unix ms; retry backoff
  bool cancel_requested = false;
  std::string payload;          // the validated request as JSON
  std::string title;            // for people; shown in listings
  std::string result;           // JSON written on completion
  std::string error;            // why it failed
  std::string idempotency_key;  // with payload_hash: the same key and body give the same job
  std::string payload_hash;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::int64_t started_ms = 0;
  std::int64_t finished_ms = 0;
  // Webhook: POSTed to callback_url when the job completes or fails.
  std::string callback_url;
  std::string callback_id;
  std::string webhook_status;  // "" (none), "pending", "delivered", "failed"
  int webhook_attempts = 0;
  std::int64_t webhook_next_ms = 0;
  std::string webhook_error;
};

// Where a page of a listing starts: after the job created at created_ms with this id (which need
// not exist any more).
struct JobCursor {
  std::int64_t created_ms = 0;
  std::string id;
};

struct JobFilter {
  std::string key_id;  // required: a key sees only its own jobs
  std::optional<JobStatus> status;
  std::optional<std::int64_t> created_after_ms;
  std::optional<std::int64_t> created_before_ms;
  std::optional<JobCursor> cursor;  // after the last job of the previous page
  int limit = 20;
};

class JobStore {
 public:
  virtual ~JobStore() = default;
  // Inserts job. With an idempotency key already used by the same key_id: returns the existing
  // job when the payload hash matches, conflict otherwise.
  virtual core::Result<Job> create(const Job& job) = 0;
  virtual core::Result<std::optional<Job>> find_by_idempotency_key(
      std::string_view key_id, std::string_view idempotency_key) = 0;
  // nullopt when no job has the id or it belongs to another key (an empty key_id matches any).
  virtual core::Result<std::optional<Job>> get(std::string_view id, std::string_view key_id) = 0;
  // Newest first (by creation, then id), after cursor. The jobs come without their payload.
  virtual core::Result<std::vector<Job>> list(const JobFilter& filter) = 0;
  // Atomically takes the best claimable job: queued and due, or processing with an expired lease;
  // by priority then age. Sets owner, lease expiry and counts the attempt.
  virtual core::Result<std::optional<Job>> claim(std::string_view owner, std::int64_t now_ms,
                                                 std::int64_t lease_ms) = 0;
  // Progress and lease renewal in one write. False when the job is no longer this owner's.
  virtual core::Result<bool> heartbeat(std::string_view id, std::string_view owner,
                                       std::string_view stage, double progress, std::int64_t now_ms,
                                       std::int64_t lease_ms) = 0;
  // Final or retry transitions; each only applies while owner holds the job.
  virtual core::Result<void> complete(std::string_view id, std::string_view owner,
                                      std::string_view result, std::int64_t now_ms) = 0;
  virtual core::Result<void> retry_later(std::string_view id, std::string_view owner,
                                         std::string_view error, std::int64_t not_before_ms,
                                         std::int64_t now_ms) = 0;
  virtual core::Result<void> fail(std::string_view id, std::string_view owner,
                                  std::string_view error, std::int64_t now_ms) = 0;
  // Queued jobs become cancelled at once; processing ones get cancel_requested for their worker.
  // Returns the job after the change; not_found for an unknown id or another key's job.
  virtual core::Result<Job> cancel(std::string_view id, std::string_view key_id,
                                   std::int64_t now_ms) = 0;
  // Deletes a job in a final state; not_found for an unknown id or another key's job, conflict
  // while it is queued or processing.
  virtual core::Result<void> remove(std::string_view id, std::string_view key_id) = 0;
  virtual core::Result<void> mark_cancelled(std::string_view id, std::string_view owner,
                                            std::int64_t now_ms) = 0;
  // Hands back at once every processing job leased to an owner named "<instance>-…" (a process
  // that died with them): they become queued, claimable now. Returns how many.
  virtual core::Result<int> release_leases(std::string_view instance, std::int64_t now_ms) = 0;
  // Jobs with a final status finished before cutoff become expired; returns their ids.
  virtual core::Result<std::vector<std::string>> expire_before(std::int64_t cutoff_ms,
                                                               std::int64_t now_ms) = 0;
  // Webhooks due now: finished jobs with a pending delivery whose next attempt time has come.
  virtual core::Result<std::vector<Job>> due_webhooks(std::int64_t now_ms, int limit) = 0;
  // Records a delivery attempt: status "delivered", "failed" (given up) or "pending" (retry at
  // next_ms).
  virtual core::Result<void> record_webhook(std::string_view id, std::string_view status,
                                            int attempts, std::int64_t next_ms,
                                            std::string_view error) = 0;
  // Calls wake, from a thread of the store's, whenever any process sharing the store queues a
  // job, so idle workers need not wait for their next poll; nullptr stops the calls (before
  // whatever wake refers to goes away). A no-op where processes share no such channel.
  virtual void subscribe(std::function<void()> wake) { static_cast<void>(wake); }
  // For per-key limits: jobs queued or processing, and jobs created since a time.
  virtual core::Result<int> count_active(std::string_view key_id) = 0;
  virtual core::Result<int> count_created_since(std::string_view key_id, std::int64_t since_ms) = 0;
  // Jobs of every key in status (the queue depth the analyzer watches).
  [[nodiscard]] virtual core::Result<int> count_with_status(JobStatus status) = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual KeyStore& keys() = 0;
  virtual JobStore& jobs() = 0;
  // A cheap round trip proving the store answers (readiness).
  virtual core::Result<void> ping() = 0;
  // A named value shared by every process on the store (e.g. the webhook signing secret): the
  // stored one, or initial, stored now, when there is none. Concurrent first calls agree.
  virtual core::Result<std::string> setting(std::string_view name, std::string_view initial) = 0;
  virtual std::string_view backend() const = 0;
};

// The one place a backend is chosen: PostgreSQL when config.database.url is set, the SQLite file
// in config.data_dir otherwise. Used by every command that touches state.
core::Result<std::unique_ptr<Store>> open(const core::Config& config, const core::Clock& clock);

// Opens (creating if needed) DATA_DIR/reelgen.db in WAL mode and applies pending migrations.
core::Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& data_dir,
                                                       const core::Clock& clock);

// Connects a pool to the PostgreSQL server at database.url. With database.migrate_on_start (or
// migrate), applies pending migrations under an advisory lock, so replicas starting together
// apply each once; without, fails when the schema is behind. Unavailable when the server cannot
// be reached.
core::Result<std::unique_ptr<Store>> open_postgres_store(const core::DatabaseConfig& database,
                                                         const core::Clock& clock, bool migrate);

// Key secrets look like "rg_" + 40 base62 characters.
std::string new_key_secret();

}  // namespace reelgen::store
