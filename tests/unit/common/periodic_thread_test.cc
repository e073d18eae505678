// PeriodicThread: runs its task again and again while started, never after
// Stop, and Stop does not wait out the interval.
#include "common/clock/periodic_thread.h"

#include <atomic>
#include <chrono>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace dermaflow::common {
namespace {

TEST(PeriodicThreadTest, RunsRepeatedlyUntilStopped) {
  std::atomic<int> runs{0};
  PeriodicThread beat(absl::Milliseconds(5), [&] { ++runs; });
  beat.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (runs < 3 && std::chrono::steady_clock::now() < deadline)
    absl::SleepFor(absl::Milliseconds(1));
  beat.Stop();
  EXPECT_GE(runs, 3);
  const int after_stop = runs;
  absl::SleepFor(absl::Milliseconds(30));
  EXPECT_EQ(runs, after_stop) << "ran after Stop";
  beat.Start();  // and again
  while (runs == after_stop && std::chrono::steady_clock::now() < deadline) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_GT(runs, after_stop);
}

TEST(PeriodicThreadTest, StopDoesNotWaitForTheNextRun) {
  std::atomic<int> runs{0};
  PeriodicThread beat(absl::Hours(1), [&] { ++runs; });
  beat.Start();
  const auto before = std::chrono::steady_clock::now();
  beat.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(30));
  EXPECT_EQ(runs, 0) << "the first run is one interval after Start";
}

// A sweep runs its first pass at start, and a long pass ends between its
// steps when Stop() is called (instead of Stop waiting for the whole pass).
TEST(PeriodicThreadTest, ALongTaskSeesTheStopBetweenItsSteps) {
  std::atomic<int> steps{0};
  std::atomic<bool> ended_early{false};
  PeriodicThread* self = nullptr;
  PeriodicThread sweep(
      absl::Hours(1),
      [&] {
        for (int i = 0; i < 1'000'000; ++i) {
          if (self->StopRequested()) {
            ended_early = true;
            return;
          }
          ++steps;
          self->SleepUnlessStopped(absl::Milliseconds(1));
        }
      },
      /*run_at_start=*/true);
  self = &sweep;
  sweep.Start();
  while (steps < 3) absl::SleepFor(absl::Milliseconds(1));
  const auto before = std::chrono::steady_clock::now();
  sweep.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(5));
  EXPECT_TRUE(ended_early);
  EXPECT_FALSE(sweep.SleepUnlessStopped(absl::Hours(1)));  // stopped: no sleep
}

}  // namespace
}  // namespace dermaflow::common
