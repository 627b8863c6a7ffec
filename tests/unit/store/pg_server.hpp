#pragma once
// A throwaway PostgreSQL 15 server for tests: initdb in a temporary directory, listening only
// on a Unix socket there, stopped and deleted on destruction. Needs Debian's postgresql-15
// (scripts/install-deps); without it, start() fails with a message saying so.

#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace reelgen::store::testing {

class PgServer {
 public:
  PgServer() = default;
  ~PgServer();
  PgServer(PgServer&&) = default;
  PgServer& operator=(PgServer&&) = delete;

  // Creates the cluster on first call and starts the server (again after stop()).
  [[nodiscard]] core::Result<void> start();
  // Immediate shutdown, as when the database host is lost; the data stays.
  void stop();
  // Creates an empty database and returns its libpq URL.
  [[nodiscard]] core::Result<std::string> create_database(const std::string& name);
  std::string url(const std::string& database) const;

  // One server per test process, started on first use.
  static PgServer& shared();

 private:
  [[nodiscard]] core::Result<void> run(const std::string& command) const;

  std::filesystem::path dir_;
  bool running_ = false;
  bool external_ = false;  // a server this object neither started nor stops
};

}  // namespace reelgen::store::testing
