#include "unit/store/pg_server.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/hash.hpp"

namespace reelgen::store::testing {
namespace {

const std::filesystem::path kBin = "/usr/lib/postgresql/15/bin";

// initdb refuses to run as root: then the server runs as the postgres user that Debian's
// package creates.
std::string as_server_user() { return ::geteuid() == 0 ? "runuser -u postgres -- " : ""; }

}  // namespace

PgServer::~PgServer() {
  if (external_) return;
  stop();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

core::Result<void> PgServer::run(const std::string& command) const {
  const std::string log = external_ ? "/dev/null" : (dir_ / "commands.log").string();
  const std::string line = as_server_user() + command + " >> " + log + " 2>&1";
  if (std::system(line.c_str()) != 0) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    return core::fail(core::ErrorCode::internal, "`" + command + "` failed:\n" + text.str());
  }
  return {};
}

core::Result<void> PgServer::start() {
  if (running_) return {};
  if (!std::filesystem::exists(kBin / "initdb")) {
    return core::fail(core::ErrorCode::unavailable, "PostgreSQL 15 is not installed (no " +
                                                        (kBin / "initdb").string() +
                                                        "): run scripts/install-deps");
  }
  if (dir_.empty()) {
    dir_ = std::filesystem::temp_directory_path() / ("reelgen-pg-" + core::random_token(8));
    std::filesystem::create_directories(dir_);
    if (::geteuid() == 0) {
      const passwd* pw = ::getpwnam("postgres");
      if (pw == nullptr) {
        return core::fail(core::ErrorCode::unavailable,
                          "running as root and there is no postgres user to run the server as");
      }
      if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        return core::fail(core::ErrorCode::internal, "cannot chown " + dir_.string());
      }
    }
    if (auto r = run((kBin / "initdb").string() + " -D " + (dir_ / "data").string() +
                     " -A trust -U postgres -E UTF8 --no-sync");
        !r) {
      return r;
    }
  }
  // No TCP listener: the socket in the temporary directory is private to this test.
  if (auto r = run((kBin / "pg_ctl").string() + " -D " + (dir_ / "data").string() + " -l " +
                   (dir_ / "server.log").string() + " -w -o \"-k " + dir_.string() +
                   " -c listen_addresses='' -F -c max_connections=200\" start");
      !r) {
    return r;
  }
  running_ = true;
  return {};
}

void PgServer::stop() {
  if (!running_) return;
  static_cast<void>(run((kBin / "pg_ctl").string() + " -D " + (dir_ / "data").string() +
                        " -m immediate -w stop"));
  running_ = false;
}

std::string PgServer::url(const std::string& database) const {
  return "postgresql:///" + database + "?host=" + dir_.string() + "&user=postgres";
}

core::Result<std::string> PgServer::create_database(const std::string& name) {
  if (auto r = start(); !r) return std::unexpected(r.error());
  if (auto r = run((kBin / "createdb").string() + " -h " + dir_.string() + " -U postgres " + name);
      !r) {
    return std::unexpected(r.error());
  }
  return url(name);
}

PgServer& PgServer::shared() {
  static PgServer server = [] {
    PgServer s;
    // Under ctest, the fixture's server (tests/unit/store/pg-fixture), if it is up.
    if (const char* dir = std::getenv("REELGEN_TEST_PG_DIR");
        dir != nullptr && std::filesystem::exists(std::filesystem::path(dir) / ".s.PGSQL.5432")) {
      s.dir_ = dir;
      s.external_ = true;
      s.running_ = true;
    }
    return s;
  }();
  return server;
}

}  // namespace reelgen::store::testing
