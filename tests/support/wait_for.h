// Test support: polling until a condition holds, for tests that wait on
// another process or thread (never a fixed sleep).
//
//   ASSERT_TRUE(WaitFor([&] { return server.Pending() == 0; }, std::chrono::seconds(5)));
#pragma once

#include <chrono>
#include <thread>

namespace dermaflow::testing {

// Polls `done` every 20 ms until it holds or `timeout` passes.
template <typename Predicate>
bool WaitFor(Predicate done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace dermaflow::testing
