#pragma once
// Shared by the PostgreSQL store's files; not part of the store's public interface: a pool of
// libpq connections, prepared statements per connection, and results mapped to core::Error.

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/error.hpp"

namespace reelgen::store::pg {

// Query parameters in libpq's text format; a missing optional is SQL NULL.
class Params {
 public:
  template <typename... Args>
  explicit Params(const Args&... args) {
    (add(args), ...);
  }
  int size() const { return static_cast<int>(values_.size()); }
  const char* const* pointers();

 private:
  void add(std::string_view text) { values_.emplace_back(text); }
  void add(const std::string& text) { values_.emplace_back(text); }
  void add(const char* text) { values_.emplace_back(text); }
  void add(std::optional<double> v) {
    if (v) {
      add(*v);
    } else {
      values_.emplace_back(std::nullopt);
    }
  }
  template <typename T>
  requires std::is_arithmetic_v<T>
  void add(T v) {
    if constexpr (std::is_same_v<T, bool>) {
      values_.emplace_back(v ? "1" : "0");
    } else if constexpr (std::is_floating_point_v<T>) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", static_cast<double>(v));
      values_.emplace_back(buf);
    } else {
      values_.emplace_back(std::to_string(v));
    }
  }

  std::vector<std::optional<std::string>> values_;
  std::vector<const char*> pointers_;
};

// A query's result, owning the PGresult.
class Rows {
 public:
  explicit Rows(PGresult* r) : r_(r, &PQclear) {}
  int size() const { return PQntuples(r_.get()); }
  std::int64_t affected() const;
  bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string text(int row, int col) const { return PQgetvalue(r_.get(), row, col); }
  std::int64_t integer(int row, int col) const;
  double real(int row, int col) const;
  const PGresult* raw() const { return r_.get(); }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> r_;
};

// One connection and the statements prepared on it. REQUIRES: one thread at a time (the pool
// lends it to one caller).
class Connection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  bool healthy() const { return !broken_ && PQstatus(conn_) == CONNECTION_OK; }
  PGconn* get() const { return conn_; }
  // Runs sql as a statement prepared on first use ($1, $2, … placeholders).
  [[nodiscard]] core::Result<Rows> run(const std::string& sql, Params params);
  // Runs one or more statements without parameters (migrations, transactions).
  [[nodiscard]] core::Result<void> exec(const std::string& sql);

 private:
  core::Error checked(const PGresult* result, std::string_view what);

  PGconn* conn_;
  bool broken_ = false;
  std::unordered_map<std::string, std::string> prepared_;  // sql → statement name
};

// A fixed-size pool. Connections are opened on demand, checked before they are lent, and
// replaced when broken; after a failed connect, new attempts wait a doubling backoff (100 ms to
// 5 s) during which callers fail at once with `unavailable` naming the last reason, so a lost
// database costs requests a fast 503, never a hang.
class Pool {
 public:
  Pool(const core::DatabaseConfig& config, const core::Clock& clock);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A borrowed connection, returned to the pool on destruction (closed when it broke).
  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> c) : pool_(&pool), c_(std::move(c)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) pool_->give_back(std::move(c_));
    }
    Connection* operator->() const { return c_.get(); }
    Connection& operator*() const { return *c_; }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> c_;
  };

  // Waits up to the connect timeout for a free connection.
  [[nodiscard]] core::Result<Lease> acquire();
  // A connection of its own, outside the pool (e.g. for LISTEN).
  [[nodiscard]] core::Result<std::unique_ptr<Connection>> connect();
  // Why the database is unreachable, empty while it answers.
  std::string last_error() const;

 private:
  void give_back(std::unique_ptr<Connection> c);

  core::DatabaseConfig config_;
  const core::Clock& clock_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // lent + idle + connecting
  std::chrono::steady_clock::time_point retry_at_{};
  std::chrono::milliseconds backoff_{0};
  std::string last_error_;
};

// An error for a failed call on conn: unavailable when the connection is gone, the server is
// shutting down or a statement timed out; conflict for a unique violation; internal otherwise.
core::Error failure(PGconn* conn, const PGresult* result, std::string_view what);

}  // namespace reelgen::store::pg

namespace reelgen::store {
class JobStore;
namespace pg {
// The jobs table on the pool's connections.
std::unique_ptr<JobStore> make_jobs(Pool& pool);
}  // namespace pg
}  // namespace reelgen::store
