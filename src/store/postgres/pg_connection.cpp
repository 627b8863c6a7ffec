#include "store/postgres/pg_connection.hpp"

#include <cstdio>
#include <cstdlib>

namespace reelgen::store::pg {

using core::ErrorCode;

const char* const* Params::pointers() {
  pointers_.clear();
  for (const auto& v : values_) pointers_.push_back(v ? v->c_str() : nullptr);
  return pointers_.data();
}

std::int64_t Rows::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

std::int64_t Rows::integer(int row, int col) const {
  return std::strtoll(PQgetvalue(r_.get(), row, col), nullptr, 10);
}

double Rows::real(int row, int col) const {
  return std::strtod(PQgetvalue(r_.get(), row, col), nullptr);
}

core::Error failure(PGconn* conn, const PGresult* result, std::string_view what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state ? state : "";
  std::string message = result ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(conn);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  const std::string text = "postgres: " + std::string(what) + ": " + message;
  // Class 08: connection exceptions; 57P0x: the server is shutting down or restarting;
  // 57014: statement_timeout; 55P03: lock_timeout (a lock another client holds); 53xxx: out of
  // resources. All pass: the caller answers 503.
  // No SQLSTATE at all: libpq's own failure (the socket closed, the server vanished).
  if (PQstatus(conn) != CONNECTION_OK || code.empty() || code.starts_with("08") ||
      code.starts_with("57P") || code == "57014" || code == "55P03" || code.starts_with("53")) {
    return core::Error::make(ErrorCode::unavailable, "the database is unavailable; " + text);
  }
  if (code == "23505") return core::Error::make(ErrorCode::conflict, text);
  return core::Error::make(ErrorCode::internal, text);
}

core::Result<Rows> Connection::run(const std::string& sql, Params params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    char name_buf[24];
    std::snprintf(name_buf, sizeof name_buf, "s%zu", prepared_.size());
    std::string name = name_buf;
    Rows prepared(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr));
    if (PQresultStatus(prepared.raw()) != PGRES_COMMAND_OK) {
      return std::unexpected(checked(prepared.raw(), "prepare"));
    }
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  const int n = params.size();
  Rows rows(PQexecPrepared(conn_, it->second.c_str(), n, params.pointers(), nullptr, nullptr, 0));
  const auto status = PQresultStatus(rows.raw());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return std::unexpected(checked(rows.raw(), "query"));
  }
  return rows;
}

core::Error Connection::checked(const PGresult* result, std::string_view what) {
  // A connection that failed for want of the server is not lent again (a statement timeout
  // leaves it usable).
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view code = state ? state : "";
  if (PQstatus(conn_) != CONNECTION_OK || code.empty() || code.starts_with("08") ||
      code.starts_with("57P")) {
    broken_ = true;
  }
  return failure(conn_, result, what);
}

core::Result<void> Connection::exec(const std::string& sql) {
  Rows rows(PQexec(conn_, sql.c_str()));
  const auto status = PQresultStatus(rows.raw());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return std::unexpected(checked(rows.raw(), "exec"));
  }
  return {};
}

Pool::Pool(const core::DatabaseConfig& config, const core::Clock& clock)
    : config_(config), clock_(clock) {}

Pool::~Pool() = default;

std::string Pool::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

core::Result<std::unique_ptr<Connection>> Pool::connect() {
  const std::string timeout =
      std::to_string(std::max<std::int64_t>(1, config_.connect_timeout.count() / 1000));
  const std::string options =
      "-c statement_timeout=" + std::to_string(config_.statement_timeout.count()) +
      " -c lock_timeout=" + std::to_string(config_.statement_timeout.count());
  const char* keys[] = {"dbname", "connect_timeout", "options", "application_name", nullptr};
  const char* values[] = {config_.url.c_str(), timeout.c_str(), options.c_str(), "reelgen",
                          nullptr};
  // expand_dbname: the URL supplies host, user, database…; the keys after it (the timeouts, the
  // statement limit, our name) take precedence over the same keys in the URL.
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (conn == nullptr) return core::fail(ErrorCode::unavailable, "postgres: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    PQfinish(conn);
    return core::fail(ErrorCode::unavailable, "cannot connect to the database: " + message);
  }
  // Notices ("relation … already exists, skipping") are not errors; libpq would print them.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return std::make_unique<Connection>(conn);
}

core::Result<Pool::Lease> Pool::acquire() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + config_.connect_timeout;
  for (;;) {
    while (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      if (c->healthy()) return Lease(*this, std::move(c));
      --open_;  // broken while idle (the server went away): drop it and try the next
    }
    if (open_ < config_.pool_size) break;
    // Waiting is on real time: it bounds a caller's wait for another caller's connection.
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= config_.pool_size) {
      return core::fail(ErrorCode::unavailable,
                        "every database connection is busy (DATABASE_POOL_SIZE=" +
                            std::to_string(config_.pool_size) + ")");
    }
  }
  if (clock_.now() < retry_at_) {
    return core::fail(ErrorCode::unavailable, last_error_ + " (retrying)");
  }
  ++open_;
  lock.unlock();
  auto c = connect();
  lock.lock();
  if (!c) {
    --open_;
    backoff_ = std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(5000),
        backoff_.count() == 0 ? std::chrono::milliseconds(100) : backoff_ * 2);
    retry_at_ = clock_.now() + backoff_;
    last_error_ = c.error().message;
    available_.notify_one();
    return std::unexpected(c.error());
  }
  backoff_ = std::chrono::milliseconds(0);
  last_error_.clear();
  return Lease(*this, std::move(*c));
}

void Pool::give_back(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mutex_);
  if (c->healthy()) {
    idle_.push_back(std::move(c));
  } else {
    --open_;
    last_error_ = "the database connection was lost";
  }
  available_.notify_one();
}

}  // namespace reelgen::store::pg
