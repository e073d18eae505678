#include "common/clock/clock.h"

#include <time.h>

namespace dermaflow::common {
namespace {

class RealClock : public Clock {
 public:
  // The kernel's clock rather than absl::Now(): absl extrapolates between
  // samples with the CPU's cycle counter for up to ~2 s, so a step of the
  // wall clock (an NTP step; libfaketime in the e2e suite) would show late.
  absl::Time Now() const override {
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return absl::TimeFromTimespec(ts);
  }
};

}  // namespace

const Clock& SystemClock() {
  static const RealClock* clock = new RealClock();
  return *clock;
}

}  // namespace dermaflow::common
