// HandlerExecutor: work runs on its own threads, one blocked handler does not
// hold up the others, and destruction finishes what was queued.
#include "common/server/handler_executor.h"

#include <atomic>
#include <thread>

#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(HandlerExecutorTest, RunsWorkOnItsOwnThreads) {
  HandlerExecutor executor(2);
  absl::Notification done;
  std::thread::id ran_on;
  executor.Run([&] {
    ran_on = std::this_thread::get_id();
    done.Notify();
  });
  ASSERT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_NE(ran_on, std::this_thread::get_id());
}

TEST(HandlerExecutorTest, ABlockedHandlerDoesNotHoldUpTheNext) {
  HandlerExecutor executor(2);
  absl::Notification release, second_ran;
  executor.Run([&] { release.WaitForNotification(); });
  executor.Run([&] { second_ran.Notify(); });
  EXPECT_TRUE(second_ran.WaitForNotificationWithTimeout(absl::Seconds(10)));
  release.Notify();
}

TEST(HandlerExecutorTest, DestructionFinishesQueuedWork) {
  std::atomic<int> ran{0};
  {
    HandlerExecutor executor(1);
    for (int i = 0; i < 100; ++i) executor.Run([&ran] { ++ran; });
  }
  EXPECT_EQ(ran.load(), 100);
}

// A call that arrives while the server drains must still be answered: its
// reactor is finished by the work, and nobody is left to run a queue.
TEST(HandlerExecutorTest, WorkHandedInAfterStopStillRuns) {
  HandlerExecutor executor(2);
  executor.Stop();
  bool ran = false;
  executor.Run([&ran] { ran = true; });
  EXPECT_TRUE(ran);
  executor.Stop();  // and again, as the destructor will
}

}  // namespace
}  // namespace dermaflow::common
