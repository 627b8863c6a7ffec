#pragma once
// Shared by the SQLite store's files; not part of the store's public interface.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>

#include "store/store.hpp"

namespace reelgen::store {

// Prepared statements of one connection, kept for reuse: preparing costs more than running
// most of our queries. REQUIRES: used under the connection's mutex.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  sqlite3* db() const { return db_; }
  sqlite3_stmt* get(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it != statements_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
        SQLITE_OK) {
      return nullptr;
    }
    statements_.emplace(sql, stmt);
    return stmt;
  }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

// A prepared statement: one-off (finalized on destruction) or borrowed from a StatementCache
// (reset for the next use on destruction).
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  Statement(StatementCache& cache, const std::string& sql) : stmt_(cache.get(sql)), cached_(true) {}
  ~Statement() {
    if (!cached_) {
      sqlite3_finalize(stmt_);
    } else if (stmt_ != nullptr) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return stmt_ != nullptr; }
  sqlite3_stmt* get() const { return stmt_; }
  void bind(int i, std::string_view text) {
    // A null data pointer would bind SQL NULL; an empty view means the empty string.
    sqlite3_bind_text(stmt_, i, text.data() ? text.data() : "", static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
  }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind_real(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  void bind(int i, std::optional<double> v) {
    if (v) {
      sqlite3_bind_double(stmt_, i, *v);
    } else {
      sqlite3_bind_null(stmt_, i);
    }
  }
  // Binds each argument to the next parameter, from ?1: integers as integers, floating point
  // as reals, text as text (optional<double> as a real or NULL).
  template <typename... Args>
  void bind_all(const Args&... args) {
    int i = 0;
    (bind_one(++i, args), ...);
  }
  int step() { return sqlite3_step(stmt_); }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
  }

 private:
  template <typename T>
  void bind_one(int i, const T& v) {
    if constexpr (std::is_floating_point_v<T>) {
      bind_real(i, v);
    } else if constexpr (std::is_integral_v<T>) {
      bind(i, static_cast<std::int64_t>(v));
    } else {
      bind(i, v);
    }
  }

  sqlite3_stmt* stmt_ = nullptr;
  bool cached_ = false;
};

// The jobs table, sharing the store's connection and its mutex.
std::unique_ptr<JobStore> make_sqlite_jobs(sqlite3* db, std::mutex& mutex);

// The error of the last failed call on db: unavailable while the database is locked by another
// process (after the busy timeout) or the disk is full, so callers answer 503 and retry; internal
// otherwise.
inline core::Error sqlite_failure(sqlite3* db, std::string_view what) {
  const int code = sqlite3_errcode(db) & 0xFF;
  const std::string text = "sqlite: " + std::string(what) + ": " + sqlite3_errmsg(db);
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return core::Error::make(core::ErrorCode::unavailable,
                             "the database is busy (locked by another process); " + text);
  }
  if (code == SQLITE_FULL || code == SQLITE_IOERR) {
    return core::Error::make(core::ErrorCode::unavailable, "the database cannot write; " + text);
  }
  return core::Error::make(core::ErrorCode::internal, text);
}

}  // namespace reelgen::store
