#include "api/prefetch.hpp"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "api/caption_dto.hpp"
#include "api/services.hpp"
#include "core/log.hpp"

namespace reelgen::api {
namespace {

constexpr std::int64_t kBucketSeconds = 600;  // one sorted set per ten minutes
constexpr int kBuckets = 6;                   // the last hour
constexpr std::size_t kMaxDistinct = 10'000;  // bodies counted per interval at most

std::string bucket_key(std::int64_t bucket) { return "reelgen:popular:" + std::to_string(bucket); }

}  // namespace

Prefetcher::Prefetcher(Services& s) : s_(s) {}

Prefetcher::~Prefetcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Prefetcher::record(std::string_view body) {
  if (body.size() > captions::Service::kMaxBodyKey) return;
  std::lock_guard lock(mutex_);
  if (auto it = counts_.find(std::string(body)); it != counts_.end()) {
    ++it->second;
  } else if (counts_.size() < kMaxDistinct) {
    counts_.emplace(body, 1);
  }
}

void Prefetcher::start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, s_.config.cache.prefetch_interval, [this] { return stopping_; })) {
      lock.unlock();
      run_once();
      lock.lock();
    }
  });
}

void Prefetcher::run_once() {
  publish();
  prefetch();
  rounds_.fetch_add(1);
}

void Prefetcher::publish() {
  std::unordered_map<std::string, std::uint64_t> counts;
  {
    std::lock_guard lock(mutex_);
    counts.swap(counts_);
  }
  if (counts.empty()) return;
  const std::int64_t bucket = core::unix_ms(s_.clock.wall()) / 1000 / kBucketSeconds;
  const std::string key = bucket_key(bucket);
  for (const auto& [body, n] : counts) {
    if (!s_.redis->command({"ZINCRBY", key, std::to_string(n), body})) return;
  }
  const std::string life = std::to_string((kBuckets + 1) * kBucketSeconds);
  (void)s_.redis->command({"EXPIRE", key, life});
}

void Prefetcher::prefetch() {
  const auto interval_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(s_.config.cache.prefetch_interval);
  auto lock = s_.redis->command({"SET", "reelgen:prefetch:lock", s_.instance_id, "NX", "PX",
                                 std::to_string(interval_ms.count())});
  if (!lock || lock->is_nil()) return;  // another process prefetches this round
  const std::int64_t now = core::unix_ms(s_.clock.wall()) / 1000 / kBucketSeconds;
  std::vector<std::string> keys;
  for (int i = 0; i < kBuckets; ++i) keys.push_back(bucket_key(now - i));
  const std::string count = std::to_string(kBuckets);
  std::vector<std::string_view> args{"ZUNION", count};
  for (const auto& k : keys) args.push_back(k);
  args.push_back("WITHSCORES");
  auto top = s_.redis->command(args);
  if (!top) return;
  // ZUNION answers in ascending score order: the most requested come last.
  std::vector<std::pair<double, std::string>> ranked;
  for (std::size_t i = 0; i + 1 < top->elements.size(); i += 2) {
    ranked.emplace_back(std::atof(top->elements[i + 1].str.c_str()), top->elements[i].str);
  }
  std::sort(ranked.rbegin(), ranked.rend());
  if (ranked.size() > s_.config.cache.prefetch_top) ranked.resize(s_.config.cache.prefetch_top);
  const auto soon = 2 * interval_ms;
  for (const auto& [score, body] : ranked) {
    auto request = parse_caption_request(body);
    if (!request) continue;
    const std::string key =
        captions::Service::cache_key(*request, s_.captions->provider().route(*request));
    const auto left = s_.l2->remaining_ttl(key);
    if (left && *left > soon) continue;
    if (s_.captions->refresh(*request)) prefetched_.fetch_add(1);
  }
}

}  // namespace reelgen::api
