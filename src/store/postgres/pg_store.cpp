// The PostgreSQL store: API keys here, jobs in pg_jobs.cpp, both on one pool of connections.
// Every call borrows a connection for one statement (or one transaction) and returns it.

#include <chrono>

#include "core/hash.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/store.hpp"

namespace reelgen::store {
namespace {

using core::ErrorCode;

// Schema changes, applied in order once each; the index is the schema version. The same
// versions as the SQLite backend's, in PostgreSQL's types.
constexpr const char* kMigrations[] = {
    R"sql(
    CREATE TABLE api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      scope TEXT NOT NULL CHECK (scope IN ('user', 'admin')),
      secret_hash TEXT NOT NULL UNIQUE,
      rate_per_minute DOUBLE PRECISION,
      created_at BIGINT NOT NULL,
      revoked_at BIGINT
    );
    )sql",
    R"sql(
    CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      key_id TEXT NOT NULL,
      status TEXT NOT NULL,
      stage TEXT NOT NULL DEFAULT '',
      progress DOUBLE PRECISION NOT NULL DEFAULT 0,
      priority INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0,
      max_attempts INTEGER NOT NULL DEFAULT 3,
      lease_owner TEXT NOT NULL DEFAULT '',
      lease_expires_ms BIGINT NOT NULL DEFAULT 0,
      not_before_ms BIGINT NOT NULL DEFAULT 0,
      cancel_requested INTEGER NOT NULL DEFAULT 0,
      payload TEXT NOT NULL,
      result TEXT NOT NULL DEFAULT '',
      error TEXT NOT NULL DEFAULT '',
      idempotency_key TEXT NOT NULL DEFAULT '',
      payload_hash TEXT NOT NULL DEFAULT '',
      created_ms BIGINT NOT NULL,
      updated_ms BIGINT NOT NULL,
      started_ms BIGINT NOT NULL DEFAULT 0,
      finished_ms BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX jobs_claim ON jobs (status, priority DESC, created_ms);
    CREATE INDEX jobs_by_key ON jobs (key_id, created_ms DESC, id DESC);
    CREATE UNIQUE INDEX jobs_idempotency ON jobs (key_id, idempotency_key)
      WHERE idempotency_key != '';
    )sql",
    R"sql(
    ALTER TABLE jobs ADD COLUMN callback_url TEXT NOT NULL DEFAULT '';
    ALTER TABLE jobs ADD COLUMN callback_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE jobs ADD COLUMN webhook_status TEXT NOT NULL DEFAULT '';
    ALTER TABLE jobs ADD COLUMN webhook_attempts INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE jobs ADD COLUMN webhook_next_ms BIGINT NOT NULL DEFAULT 0;
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

// pg_advisory_lock key held while migrating: "reelgen" in ASCII, as a number.
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(7161102112030574)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(7161102112030574)";

constexpr const char* kKeyColumns =
    "SELECT id, name, scope, secret_hash, rate_per_minute, created_at, revoked_at FROM api_keys ";

ApiKey read_key(const pg::Rows& rows, int i) {
  ApiKey key;
  key.id = rows.text(i, 0);
  key.name = rows.text(i, 1);
  key.scope = parse_scope(rows.text(i, 2)).value_or(Scope::user);
  key.secret_hash = rows.text(i, 3);
  if (!rows.null(i, 4)) key.rate_per_minute = rows.real(i, 4);
  key.created_at = rows.integer(i, 5);
  if (!rows.null(i, 6)) key.revoked_at = rows.integer(i, 6);
  return key;
}

class PgStore final : public Store, public KeyStore {
 public:
  PgStore(const core::DatabaseConfig& config, const core::Clock& clock)
      : clock_(clock), pool_(config, clock), jobs_(pg::make_jobs(pool_)) {}

  KeyStore& keys() override { return *this; }
  JobStore& jobs() override { return *jobs_; }
  std::string_view backend() const override { return "postgres"; }

  core::Result<void> ping() override {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    if (auto r = (*c)->run("SELECT 1", pg::Params()); !r) return std::unexpected(r.error());
    return {};
  }

  core::Result<std::string> setting(std::string_view name, std::string_view initial) override {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    // One statement: the inserted row, or (on conflict) the row a concurrent first caller wrote.
    auto rows = (*c)->run(
        "WITH inserted AS (INSERT INTO settings (name, value) VALUES ($1, $2)"
        " ON CONFLICT (name) DO NOTHING RETURNING value)"
        " SELECT value FROM inserted UNION ALL SELECT value FROM settings WHERE name = $1",
        pg::Params(name, initial));
    if (!rows) return std::unexpected(rows.error());
    if (rows->size() == 0) return core::fail(ErrorCode::unavailable, "setting vanished, retry");
    return rows->text(0, 0);
  }

  // Applies pending migrations (apply) or checks that none is pending, under the advisory lock
  // so that processes starting together wait for one another.
  core::Result<void> migrate(bool apply) {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    pg::Connection& conn = **c;
    // Waiting for another process's migrations may take longer than one statement may.
    if (auto r = conn.exec("SET statement_timeout = 0"); !r) return r;
    if (auto r = conn.exec(kMigrationLock); !r) return r;
    auto result = migrate_locked(conn, apply);
    const auto unlocked = conn.exec(kMigrationUnlock);
    const auto reset = conn.exec("RESET statement_timeout");
    if (!result) return result;
    if (!unlocked) return unlocked;
    return reset;
  }

  core::Result<std::optional<CreatedKey>> create_first_admin(std::string_view name) override {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    pg::Connection& conn = **c;
    if (auto r = conn.exec("BEGIN"); !r) return std::unexpected(r.error());
    auto created = [&]() -> core::Result<std::optional<CreatedKey>> {
      // Replicas starting together queue here; the second sees the first one's key.
      if (auto r = conn.run("SELECT pg_advisory_xact_lock(7161102112030575)", pg::Params()); !r) {
        return std::unexpected(r.error());
      }
      auto rows = conn.run("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL", pg::Params());
      if (!rows) return std::unexpected(rows.error());
      if (rows->integer(0, 0) > 0) return std::optional<CreatedKey>();
      auto key = insert_key(conn, name, Scope::admin, std::nullopt);
      if (!key) return std::unexpected(key.error());
      return std::optional<CreatedKey>(std::move(*key));
    }();
    if (!created) {
      static_cast<void>(conn.exec("ROLLBACK"));  // the first error is the one to report
      return created;
    }
    if (auto r = conn.exec("COMMIT"); !r) return std::unexpected(r.error());
    return created;
  }

  core::Result<CreatedKey> create(std::string_view name, Scope scope,
                                  std::optional<double> rate_per_minute) override {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    return insert_key(**c, name, scope, rate_per_minute);
  }

  core::Result<CreatedKey> insert_key(pg::Connection& conn, std::string_view name, Scope scope,
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
    auto r = conn.run(
        "INSERT INTO api_keys (id, name, scope, secret_hash, rate_per_minute, created_at)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        pg::Params(key.id, key.name, to_string(scope), key.secret_hash, rate_per_minute,
                   key.created_at));
    if (!r) return std::unexpected(r.error());
    return created;
  }

  core::Result<std::optional<ApiKey>> find_by_hash(std::string_view secret_hash) override {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    auto rows =
        (*c)->run(std::string(kKeyColumns) + "WHERE secret_hash = $1", pg::Params(secret_hash));
    if (!rows) return std::unexpected(rows.error());
    if (rows->size() == 0) return std::optional<ApiKey>();
    return std::optional<ApiKey>(read_key(*rows, 0));
  }

  core::Result<std::vector<ApiKey>> list() override {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    auto rows = (*c)->run(std::string(kKeyColumns) + "ORDER BY created_at, id", pg::Params());
    if (!rows) return std::unexpected(rows.error());
    std::vector<ApiKey> keys;
    for (int i = 0; i < rows->size(); ++i) keys.push_back(read_key(*rows, i));
    return keys;
  }

  core::Result<void> revoke(std::string_view id) override {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    auto rows = (*c)->run("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2",
                          pg::Params(now(), id));
    if (!rows) return std::unexpected(rows.error());
    if (rows->affected() == 0) {
      return core::fail(ErrorCode::not_found, "no API key with id '" + std::string(id) + "'");
    }
    return {};
  }

  core::Result<std::size_t> count_active() override {
    auto c = pool_.acquire();
    if (!c) return std::unexpected(c.error());
    auto rows = (*c)->run("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL", pg::Params());
    if (!rows) return std::unexpected(rows.error());
    return static_cast<std::size_t>(rows->integer(0, 0));
  }

 private:
  core::Result<void> migrate_locked(pg::Connection& conn, bool apply) {
    if (auto r = conn.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY"
                           " KEY, applied_at BIGINT NOT NULL)");
        !r) {
      return r;
    }
    auto rows = conn.run("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", pg::Params());
    if (!rows) return std::unexpected(rows.error());
    const std::int64_t current = rows->integer(0, 0);
    const auto total = static_cast<std::int64_t>(std::size(kMigrations));
    if (current > total) {
      return core::fail(ErrorCode::internal,
                        "the database schema is at version " + std::to_string(current) +
                            ", newer than this build knows (" + std::to_string(total) + ")");
    }
    if (!apply && current < total) {
      return core::fail(ErrorCode::unavailable,
                        "the database schema is at version " + std::to_string(current) + " of " +
                            std::to_string(total) +
                            "; run `reelgen migrate` or set MIGRATE_ON_START=true");
    }
    for (std::int64_t v = current + 1; v <= total; ++v) {
      if (auto r = conn.exec("BEGIN"); !r) return r;
      auto r = conn.exec(kMigrations[v - 1]);
      if (r) {
        auto recorded =
            conn.run("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                     pg::Params(v, now()));
        if (!recorded) r = std::unexpected(recorded.error());
      }
      if (!r) {
        // The migration's error is the one to report.
        static_cast<void>(conn.exec("ROLLBACK"));
        return r;
      }
      if (auto committed = conn.exec("COMMIT"); !committed) return committed;
    }
    return {};
  }

  std::int64_t now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch())
        .count();
  }

  const core::Clock& clock_;
  pg::Pool pool_;
  std::unique_ptr<JobStore> jobs_;
};

}  // namespace

core::Result<std::unique_ptr<Store>> open_postgres_store(const core::DatabaseConfig& database,
                                                         const core::Clock& clock, bool migrate) {
  auto store = std::make_unique<PgStore>(database, clock);
  if (auto r = store->migrate(migrate); !r) return std::unexpected(r.error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace reelgen::store
