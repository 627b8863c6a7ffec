#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <mutex>

#include "core/hash.hpp"
#include "store/sqlite/sqlite_internal.hpp"
#include "store/store.hpp"

namespace reelgen::store {
namespace {

using core::ErrorCode;

// Schema changes, applied in order once each; the index is the schema version.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      scope TEXT NOT NULL CHECK (scope IN ('user', 'admin')),
      secret_hash TEXT NOT NULL UNIQUE,
      rate_per_minute REAL,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER
    );
    )sql",
    R"sql(
    CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      key_id TEXT NOT NULL,
      status TEXT NOT NULL,
      stage TEXT NOT NULL DEFAULT '',
      progress REAL NOT NULL DEFAULT 0,
      priority INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0,
      max_attempts INTEGER NOT NULL DEFAULT 3,
      lease_owner TEXT NOT NULL DEFAULT '',
      lease_expires_ms INTEGER NOT NULL DEFAULT 0,
      not_before_ms INTEGER NOT NULL DEFAULT 0,
      cancel_requested INTEGER NOT NULL DEFAULT 0,
      payload TEXT NOT NULL,
      result TEXT NOT NULL DEFAULT '',
      error TEXT NOT NULL DEFAULT '',
      idempotency_key TEXT NOT NULL DEFAULT '',
      payload_hash TEXT NOT NULL DEFAULT '',
      created_ms INTEGER NOT NULL,
      updated_ms INTEGER NOT NULL,
      started_ms INTEGER NOT NULL DEFAULT 0,
      finished_ms INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX jobs_claim ON jobs (status, priority DESC, created_ms);
    CREATE INDEX jobs_by_key ON jobs (key_id, created_ms DESC, id DESC);
    CREATE UNIQUE INDEX jobs_idempotency ON jobs (key_id, idempotency_key) WHERE idempotency_key != '';
    )sql",
    R"sql(
    ALTER TABLE jobs ADD COLUMN callback_url TEXT NOT NULL DEFAULT '';
    ALTER TABLE jobs ADD COLUMN callback_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE jobs ADD COLUMN webhook_status TEXT NOT NULL DEFAULT '';
    ALTER TABLE jobs ADD COLUMN webhook_attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN webhook_next_ms INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN webhook_error TEXT NOT NULL DEFAULT '';
    CREATE INDEX jobs_webhooks ON jobs (webhook_status, webhook_next_ms);
    )sql",
    R"sql(
    ALTER TABLE jobs ADD COLUMN title TEXT NOT NULL DEFAULT '';
    )sql",
    R"sql(
    CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    )sql",
};

ApiKey read_key(const Statement& s) {
  ApiKey key;
  key.id = s.text(0);
  key.name = s.text(1);
  key.scope = parse_scope(s.text(2)).value_or(Scope::user);
  key.secret_hash = s.text(3);
  if (sqlite3_column_type(s.get(), 4) != SQLITE_NULL)
    key.rate_per_minute = sqlite3_column_double(s.get(), 4);
  key.created_at = sqlite3_column_int64(s.get(), 5);
  if (sqlite3_column_type(s.get(), 6) != SQLITE_NULL)
    key.revoked_at = sqlite3_column_int64(s.get(), 6);
  return key;
}

constexpr const char* kKeyColumns =
    "SELECT id, name, scope, secret_hash, rate_per_minute, created_at, revoked_at FROM api_keys ";

class SqliteStore final : public Store, public KeyStore {
 public:
  SqliteStore(sqlite3* db, const core::Clock& clock)
      : db_(db), clock_(clock), jobs_(make_sqlite_jobs(db, mutex_)) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  KeyStore& keys() override { return *this; }
  JobStore& jobs() override { return *jobs_; }
  std::string_view backend() const override { return "sqlite"; }

  core::Result<void> ping() override {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT 1");
    if (!s.ok() || s.step() != SQLITE_ROW) return failure("ping");
    return {};
  }

  core::Result<std::string> setting(std::string_view name, std::string_view initial) override {
    std::lock_guard lock(mutex_);
    {
      Statement s(db_, "INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)");
      s.bind_all(name, initial);
      if (s.step() != SQLITE_DONE) return std::unexpected(failure("store setting").error());
    }
    Statement s(db_, "SELECT value FROM settings WHERE name = ?");
    s.bind(1, name);
    if (s.step() != SQLITE_ROW) return std::unexpected(failure("read setting").error());
    return s.text(0);
  }

  core::Result<void> migrate() {
    std::lock_guard lock(mutex_);
    if (auto r = exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
                      " applied_at INTEGER NOT NULL)");
        !r) {
      return r;
    }
    std::int64_t current = 0;
    {
      Statement s(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
      if (!s.ok() || s.step() != SQLITE_ROW) return failure("read schema version");
      current = sqlite3_column_int64(s.get(), 0);
    }
    const auto total = static_cast<std::int64_t>(std::size(kMigrations));
    for (std::int64_t v = current + 1; v <= total; ++v) {
      if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
      auto r = exec(kMigrations[v - 1]);
      if (r) {
        Statement s(db_, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
        s.bind_all(v, now());
        if (s.step() != SQLITE_DONE) r = failure("record migration");
      }
      if (!r) {
        // The migration's error is the one to report; a failed rollback is rolled back by
        // SQLite when the connection closes.
        static_cast<void>(exec("ROLLBACK"));
        return r;
      }
      if (auto c = exec("COMMIT"); !c) return c;
    }
    return {};
  }

  core::Result<std::optional<CreatedKey>> create_first_admin(std::string_view name) override {
    // The count and the insert in one write transaction: another process on the same file
    // waits (busy timeout) and then sees the key.
    std::lock_guard lock(mutex_);
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return std::unexpected(r.error());
    auto created = [&]() -> core::Result<std::optional<CreatedKey>> {
      Statement s(db_, "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL");
      if (s.step() != SQLITE_ROW) return std::unexpected(failure("count keys").error());
      if (sqlite3_column_int64(s.get(), 0) > 0) return std::optional<CreatedKey>();
      auto key = insert_key(name, Scope::admin, std::nullopt);
      if (!key) return std::unexpected(key.error());
      return std::optional<CreatedKey>(std::move(*key));
    }();
    if (!created) {
      static_cast<void>(exec("ROLLBACK"));  // the first error is the one to report
      return created;
    }
    if (auto r = exec("COMMIT"); !r) return std::unexpected(r.error());
    return created;
  }

  core::Result<CreatedKey> create(std::string_view name, Scope scope,
                                  std::optional<double> rate_per_minute) override {
    std::lock_guard lock(mutex_);
    return insert_key(name, scope, rate_per_minute);
  }

  core::Result<std::optional<ApiKey>> find_by_hash(std::string_view secret_hash) override {
    std::lock_guard lock(mutex_);
    Statement s(db_, (std::string(kKeyColumns) + "WHERE secret_hash = ?").c_str());
    s.bind(1, secret_hash);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return std::optional<ApiKey>();
    if (rc != SQLITE_ROW) return std::unexpected(failure("find key").error());
    return std::optional<ApiKey>(read_key(s));
  }

  core::Result<std::vector<ApiKey>> list() override {
    std::lock_guard lock(mutex_);
    Statement s(db_, (std::string(kKeyColumns) + "ORDER BY created_at, id").c_str());
    std::vector<ApiKey> keys;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) keys.push_back(read_key(s));
    if (rc != SQLITE_DONE) return std::unexpected(failure("list keys").error());
    return keys;
  }

  core::Result<void> revoke(std::string_view id) override {
    std::lock_guard lock(mutex_);
    Statement s(db_, "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?");
    s.bind_all(now(), id);
    if (s.step() != SQLITE_DONE) return failure("revoke key");
    if (sqlite3_changes(db_) == 0) {
      return core::fail(ErrorCode::not_found, "no API key with id '" + std::string(id) + "'");
    }
    return {};
  }

  core::Result<std::size_t> count_active() override {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL");
    if (s.step() != SQLITE_ROW) return std::unexpected(failure("count keys").error());
    return static_cast<std::size_t>(sqlite3_column_int64(s.get(), 0));
  }

 private:
  // REQUIRES: mutex_ held.
  core::Result<CreatedKey> insert_key(std::string_view name, Scope scope,
                                      std::optional<double> rate_per_minute) {
    CreatedKey created;
    created.secret = new_key_secret();
    ApiKey& key = created.key;
    key.id = "key_" + core::random_token(12);
    key.name = std::string(name);
    key.scope = scope;
    key.secret_hash = core::sha256_hex(created.secret);
    key.rate_per_minute = rate_per_minute;
    key.created_at = now();
    Statement s(db_,
                "INSERT INTO api_keys (id, name, scope, secret_hash, rate_per_minute, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)");
    s.bind_all(key.id, key.name, to_string(scope), key.secret_hash, rate_per_minute,
               key.created_at);
    if (s.step() != SQLITE_DONE) return std::unexpected(failure("create key").error());
    return created;
  }

  std::int64_t now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch())
        .count();
  }
  core::Result<void> failure(std::string_view what) const {
    return std::unexpected(sqlite_failure(db_, what));
  }
  core::Result<void> exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message ? message : "unknown error";
      sqlite3_free(message);
      return core::fail(ErrorCode::internal, "sqlite: " + text);
    }
    return {};
  }

  std::mutex mutex_;  // one connection, used by one thread at a time
  sqlite3* db_;
  const core::Clock& clock_;
  std::unique_ptr<JobStore> jobs_;
};

}  // namespace

core::Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& data_dir,
                                                       const core::Clock& clock) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return core::fail(ErrorCode::unavailable,
                      "cannot create data directory '" + data_dir + "': " + ec.message());
  }
  // SQLite's allocation statistics take a process-wide mutex on every malloc, which the I/O
  // threads' reads would contend on; we never read those statistics. Must precede any open.
  static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)configured;
  const std::string path = (std::filesystem::path(data_dir) / "reelgen.db").string();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return core::fail(ErrorCode::unavailable, "cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
               nullptr, nullptr, nullptr);
  auto store = std::make_unique<SqliteStore>(db, clock);
  if (auto r = store->migrate(); !r) return std::unexpected(r.error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace reelgen::store
