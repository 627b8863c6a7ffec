#include "core/thread_pool.hpp"

#include <atomic>
#include <memory>

namespace reelgen::core {

ThreadPool::ThreadPool(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& t : threads_) t.join();
}

void ThreadPool::submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  ready_.notify_one();
}

void ThreadPool::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void ThreadPool::parallel_for(std::size_t n, const std::function<void(std::size_t)>& fn) {
  if (n == 0) return;
  struct Shared {
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> finished{0};
    std::mutex mutex;
    std::condition_variable all_done;
  };
  auto shared = std::make_shared<Shared>();
  auto drain = [shared, n, &fn] {
    for (std::size_t i; (i = shared->next.fetch_add(1)) < n;) {
      fn(i);
      if (shared->finished.fetch_add(1) + 1 == n) {
        std::lock_guard lock(shared->mutex);
        shared->all_done.notify_all();
      }
    }
  };
  const std::size_t helpers = std::min<std::size_t>(threads_.size(), n - 1);
  for (std::size_t h = 0; h < helpers; ++h) submit(drain);
  drain();
  std::unique_lock lock(shared->mutex);
  shared->all_done.wait(lock, [&] { return shared->finished.load() == n; });
}

}  // namespace reelgen::core
