#include "store/store.hpp"

#include "core/hash.hpp"

namespace reelgen::store {

std::string_view to_string(Scope scope) { return scope == Scope::admin ? "admin" : "user"; }

std::optional<Scope> parse_scope(std::string_view name) {
  if (name == "user") return Scope::user;
  if (name == "admin") return Scope::admin;
  return std::nullopt;
}

namespace {
constexpr std::string_view kJobStatusNames[] = {"queued", "processing", "completed",
                                                "failed", "cancelled",  "expired"};
}  // namespace

std::string_view to_string(JobStatus status) { return kJobStatusNames[static_cast<int>(status)]; }

std::optional<JobStatus> parse_job_status(std::string_view name) {
  for (int i = 0; i < 6; ++i) {
    if (kJobStatusNames[i] == name) return static_cast<JobStatus>(i);
  }
  return std::nullopt;
}

bool is_final(JobStatus status) {
  return status != JobStatus::queued && status != JobStatus::processing;
}

core::Result<std::unique_ptr<Store>> open(const core::Config& config, const core::Clock& clock) {
  if (!config.database.url.empty()) {
    return open_postgres_store(config.database, clock, config.database.migrate_on_start);
  }
  return open_sqlite_store(config.data_dir, clock);
}

std::string new_key_secret() { return "rg_" + core::random_token(40); }

}  // namespace reelgen::store
