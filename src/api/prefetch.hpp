#pragma once
// Predictive prefetch with Redis: every process counts the caption request bodies it answers,
// and every interval adds the counts to a sorted set per ten minutes; the one process that takes
// the interval's lock reads the most requested bodies of the last hour (six sets) and writes
// again each one whose L2 entry is gone or expires within two intervals, so popular captions
// never expire under their callers.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace reelgen::api {

struct Services;

class Prefetcher {
 public:
  // REQUIRES: s.redis, s.l2 and s.captions set, and outliving this.
  explicit Prefetcher(Services& s);
  ~Prefetcher();
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // Counts one answered request body. Cheap (a map update); callable from an I/O thread.
  void record(std::string_view body);
  void start();
  // One round: publish the counts, and prefetch if this process takes the lock.
  void run_once();

  std::uint64_t prefetched() const { return prefetched_.load(); }
  std::uint64_t rounds() const { return rounds_.load(); }

 private:
  void publish();
  void prefetch();

  Services& s_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::uint64_t> counts_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  std::atomic<std::uint64_t> prefetched_{0}, rounds_{0};
};

}  // namespace reelgen::api
