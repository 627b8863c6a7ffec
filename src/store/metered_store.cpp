#include "store/metered_store.hpp"

namespace reelgen::store {
namespace {

// The index of op in StoreMetrics::kOps, at compile time.
consteval std::size_t op(std::string_view name) {
  for (std::size_t i = 0; i < StoreMetrics::kOps.size(); ++i) {
    if (StoreMetrics::kOps[i] == name) return i;
  }
  throw "unknown store operation";
}

class Meter {
 public:
  Meter(StoreMetrics& metrics, const core::Clock& clock) : metrics_(metrics), clock_(clock) {}
  // Runs call, records its time under op and counts it when it returned an error.
  template <typename Call>
  auto operator()(std::size_t op_index, Call&& call) const {
    const auto start = clock_.now();
    auto result = call();
    metrics_.latency[op_index].record(clock_.now() - start);
    if (!result) metrics_.errors[op_index].fetch_add(1, std::memory_order_relaxed);
    return result;
  }

 private:
  StoreMetrics& metrics_;
  const core::Clock& clock_;
};

class MeteredKeys final : public KeyStore {
 public:
  MeteredKeys(KeyStore& inner, const Meter& meter) : in_(inner), m_(meter) {}
  core::Result<CreatedKey> create(std::string_view name, Scope scope,
                                  std::optional<double> rate) override {
    return m_(op("keys.create"), [&] { return in_.create(name, scope, rate); });
  }
  core::Result<std::optional<ApiKey>> find_by_hash(std::string_view hash) override {
    return m_(op("keys.find_by_hash"), [&] { return in_.find_by_hash(hash); });
  }
  core::Result<std::vector<ApiKey>> list() override {
    return m_(op("keys.list"), [&] { return in_.list(); });
  }
  core::Result<void> revoke(std::string_view id) override {
    return m_(op("keys.revoke"), [&] { return in_.revoke(id); });
  }
  core::Result<std::size_t> count_active() override {
    return m_(op("keys.count_active"), [&] { return in_.count_active(); });
  }
  core::Result<std::optional<CreatedKey>> create_first_admin(std::string_view name) override {
    return m_(op("keys.create_first_admin"), [&] { return in_.create_first_admin(name); });
  }

 private:
  KeyStore& in_;
  const Meter& m_;
};

class MeteredJobs final : public JobStore {
 public:
  MeteredJobs(JobStore& inner, const Meter& meter) : in_(inner), m_(meter) {}
  core::Result<Job> create(const Job& job) override {
    return m_(op("jobs.create"), [&] { return in_.create(job); });
  }
  core::Result<std::optional<Job>> find_by_idempotency_key(std::string_view key_id,
                                                           std::string_view key) override {
    return m_(op("jobs.find_by_idempotency_key"),
              [&] { return in_.find_by_idempotency_key(key_id, key); });
  }
  core::Result<std::optional<Job>> get(std::string_view id, std::string_view key_id) override {
    return m_(op("jobs.get"), [&] { return in_.get(id, key_id); });
  }
  core::Result<std::vector<Job>> list(const JobFilter& filter) override {
    return m_(op("jobs.list"), [&] { return in_.list(filter); });
  }
  core::Result<std::optional<Job>> claim(std::string_view owner, std::int64_t now_ms,
                                         std::int64_t lease_ms) override {
    return m_(op("jobs.claim"), [&] { return in_.claim(owner, now_ms, lease_ms); });
  }
  core::Result<bool> heartbeat(std::string_view id, std::string_view owner, std::string_view stage,
                               double progress, std::int64_t now_ms,
                               std::int64_t lease_ms) override {
    return m_(op("jobs.heartbeat"),
              [&] { return in_.heartbeat(id, owner, stage, progress, now_ms, lease_ms); });
  }
  core::Result<void> complete(std::string_view id, std::string_view owner, std::string_view result,
                              std::int64_t now_ms) override {
    return m_(op("jobs.complete"), [&] { return in_.complete(id, owner, result, now_ms); });
  }
  core::Result<void> retry_later(std::string_view id, std::string_view owner,
                                 std::string_view error, std::int64_t not_before_ms,
                                 std::int64_t now_ms) override {
    return m_(op("jobs.retry_later"),
              [&] { return in_.retry_later(id, owner, error, not_before_ms, now_ms); });
  }
  core::Result<void> fail(std::string_view id, std::string_view owner, std::string_view error,
                          std::int64_t now_ms) override {
    return m_(op("jobs.fail"), [&] { return in_.fail(id, owner, error, now_ms); });
  }
  core::Result<Job> cancel(std::string_view id, std::string_view key_id,
                           std::int64_t now_ms) override {
    return m_(op("jobs.cancel"), [&] { return in_.cancel(id, key_id, now_ms); });
  }
  core::Result<void> remove(std::string_view id, std::string_view key_id) override {
    return m_(op("jobs.remove"), [&] { return in_.remove(id, key_id); });
  }
  core::Result<void> mark_cancelled(std::string_view id, std::string_view owner,
                                    std::int64_t now_ms) override {
    return m_(op("jobs.mark_cancelled"), [&] { return in_.mark_cancelled(id, owner, now_ms); });
  }
  core::Result<int> release_leases(std::string_view instance, std::int64_t now_ms) override {
    return m_(op("jobs.release_leases"), [&] { return in_.release_leases(instance, now_ms); });
  }
  core::Result<std::vector<std::string>> expire_before(std::int64_t cutoff_ms,
                                                       std::int64_t now_ms) override {
    return m_(op("jobs.expire_before"), [&] { return in_.expire_before(cutoff_ms, now_ms); });
  }
  core::Result<std::vector<Job>> due_webhooks(std::int64_t now_ms, int limit) override {
    return m_(op("jobs.due_webhooks"), [&] { return in_.due_webhooks(now_ms, limit); });
  }
  core::Result<void> record_webhook(std::string_view id, std::string_view status, int attempts,
                                    std::int64_t next_ms, std::string_view error) override {
    return m_(op("jobs.record_webhook"),
              [&] { return in_.record_webhook(id, status, attempts, next_ms, error); });
  }
  void subscribe(std::function<void()> wake) override { in_.subscribe(std::move(wake)); }
  core::Result<int> count_active(std::string_view key_id) override {
    return m_(op("jobs.count_active"), [&] { return in_.count_active(key_id); });
  }
  core::Result<int> count_created_since(std::string_view key_id, std::int64_t since_ms) override {
    return m_(op("jobs.count_created_since"),
              [&] { return in_.count_created_since(key_id, since_ms); });
  }
  core::Result<int> count_with_status(JobStatus status) override {
    return m_(op("jobs.count_with_status"), [&] { return in_.count_with_status(status); });
  }

 private:
  JobStore& in_;
  const Meter& m_;
};

class MeteredStore final : public Store {
 public:
  MeteredStore(std::unique_ptr<Store> inner, StoreMetrics& metrics, const core::Clock& clock)
      : inner_(std::move(inner)),
        meter_(metrics, clock),
        keys_(inner_->keys(), meter_),
        jobs_(inner_->jobs(), meter_) {}
  KeyStore& keys() override { return keys_; }
  JobStore& jobs() override { return jobs_; }
  core::Result<void> ping() override {
    return meter_(op("ping"), [&] { return inner_->ping(); });
  }
  core::Result<std::string> setting(std::string_view name, std::string_view initial) override {
    return meter_(op("setting"), [&] { return inner_->setting(name, initial); });
  }
  std::string_view backend() const override { return inner_->backend(); }

 private:
  std::unique_ptr<Store> inner_;
  Meter meter_;
  MeteredKeys keys_;
  MeteredJobs jobs_;
};

}  // namespace

std::unique_ptr<Store> metered(std::unique_ptr<Store> inner, StoreMetrics& metrics,
                               const core::Clock& clock) {
  return std::make_unique<MeteredStore>(std::move(inner), metrics, clock);
}

}  // namespace reelgen::store
