#pragma once
// A fixed pool of worker threads for CPU work that must leave the I/O threads free or be
// spread over every core (batches).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace reelgen::core {

class ThreadPool {
 public:
  // threads <= 0 means one per core.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void submit(std::function<void()> task);
  // Calls fn(i) for i in [0, n) on the pool and the calling thread; returns when all are done.
  // REQUIRES: fn does not throw.
  void parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn);
  int size() const { return static_cast<int>(threads_.size()); }

 private:
  void work();
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace reelgen::core
