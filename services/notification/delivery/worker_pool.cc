#include "services/notification/delivery/worker_pool.h"

#include <algorithm>

namespace dermaflow::notification {

WorkerPool::WorkerPool(int threads) {
  for (int i = 1; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::RunItems() {
  std::unique_lock<std::mutex> lock(mu_);
  while (fn_ != nullptr && next_ < n_) {
    const int first = next_;
    const int last = std::min(n_, first + chunk_);
    next_ = last;
    const auto* fn = fn_;
    lock.unlock();
    for (int i = first; i < last; ++i) (*fn)(i);
    lock.lock();
    finished_ += last - first;
    if (finished_ == n_) done_cv_.notify_all();
  }
}

void WorkerPool::Work() {
  uint64_t seen = 0;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [&] { return stop_ || (generation_ != seen && fn_ != nullptr); });
      if (stop_) return;
      seen = generation_;
    }
    RunItems();
  }
}

void WorkerPool::ParallelFor(int n, const std::function<void(int)>& fn) {
  if (n <= 0) return;
  std::lock_guard<std::mutex> call(call_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    fn_ = &fn;
    n_ = n;
    // A few items per lock round: fast items (local channels) would
    // otherwise spend their time on the mutex; slow ones still spread.
    chunk_ = std::max(1, n / (4 * (static_cast<int>(threads_.size()) + 1)));
    next_ = 0;
    finished_ = 0;
    ++generation_;
  }
  if (n > 1) work_cv_.notify_all();
  RunItems();
  std::unique_lock<std::mutex> lock(mu_);
  done_cv_.wait(lock, [&] { return finished_ == n_; });
  fn_ = nullptr;
}

}  // namespace dermaflow::notification
