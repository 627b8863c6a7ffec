#pragma once
// Persistent state behind interfaces: the SQLite backend is the embedded default; a PostgreSQL
// backend implements the same interfaces for scale-out.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
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
};

class Store {
 public:
  virtual ~Store() = default;
  virtual KeyStore& keys() = 0;
  // A cheap round trip proving the store answers (readiness).
  virtual core::Result<void> ping() = 0;
  virtual std::string_view backend() const = 0;
};

// Opens (creating if needed) DATA_DIR/reelgen.db in WAL mode and applies pending migrations.
core::Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& data_dir,
                                                       const core::Clock& clock);

// Key secrets look like "rg_" + 40 base62 characters.
std::string new_key_secret();

}  // namespace reelgen::store
