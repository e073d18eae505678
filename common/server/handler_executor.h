// A fixed set of threads that run callback-API handlers which block (on
// Redis, a Lua script, a JWKS fetch). gRPC runs callback handlers on a
// handful of its own threads (cores / 2, at least 2), shared by every
// server in the process; a handler that blocks there holds up every other
// call until it returns. Handing the blocking part to this executor keeps
// those threads free at the cost of one thread hand-off per call.
//
//   HandlerExecutor executor(16);
//   executor.Run([reactor, ...] { reactor->Finish(DoTheWork()); });
#pragma once

#include <deque>
#include <thread>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace dermaflow::common {

class HandlerExecutor {
 public:
  explicit HandlerExecutor(int threads);
  // Stop().
  ~HandlerExecutor();

  HandlerExecutor(const HandlerExecutor&) = delete;
  HandlerExecutor& operator=(const HandlerExecutor&) = delete;

  // Queues `work` for a thread; after Stop() runs it on the caller's thread
  // instead, so a call arriving while the server drains is still answered.
  void Run(absl::AnyInvocable<void() &&> work);

  // Runs what is queued, then joins the threads. Idempotent.
  void Stop();

 private:
  void Loop();

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace dermaflow::common
