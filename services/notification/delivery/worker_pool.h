// A fixed set of threads that run the items of one batch in parallel: the
// dispatcher's patient lookups and sends (blocking network I/O) overlap
// instead of queuing behind each other. The thread calling ParallelFor is one
// of the `threads`, so at most that many items run at once (the dispatcher's
// bound on sends in flight).
//
//   WorkerPool pool(8);  // 7 threads of its own + the caller
//   pool.ParallelFor(batch.size(), [&](int i) { Deliver(batch[i]); });
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dermaflow::notification {

class WorkerPool {
 public:
  // `threads` >= 1 items at once, the caller included.
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs fn(0..n-1), the calling thread helping, and returns when all are
  // done. Calls from several threads are served one after the other.
  void ParallelFor(int n, const std::function<void(int)>& fn);

 private:
  void Work();
  void RunItems();

  std::mutex call_mu_;  // one ParallelFor at a time
  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  const std::function<void(int)>* fn_ = nullptr;
  int n_ = 0;
  int next_ = 0;
  int chunk_ = 1;  // items taken per lock
  int finished_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;  // besides the caller
};

}  // namespace dermaflow::notification
