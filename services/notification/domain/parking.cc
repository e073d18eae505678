#include "services/notification/domain/parking.h"

#include "services/notification/domain/reminder_id.h"

namespace dermaflow::notification {

int64_t ParkDay(int64_t ms) {
  // Floor, also before the epoch (never seen, but never a wrong day).
  return ms >= 0 ? ms / kParkDayMs : -((-ms + kParkDayMs - 1) / kParkDayMs);
}

int64_t ParkDayStartMs(int64_t day) { return day * kParkDayMs; }

int64_t LastPromotableDay(int64_t now_ms, absl::Duration park_after) {
  // Days starting strictly before now + park_after / 2.
  return ParkDay(now_ms + absl::ToInt64Milliseconds(park_after) / 2 - 1);
}

bool ShouldPark(const std::string& id, int64_t due_ms, int64_t now_ms, absl::Duration park_after) {
  if (park_after <= absl::ZeroDuration()) return false;
  if (due_ms < now_ms + absl::ToInt64Milliseconds(park_after)) return false;
  if (ParkDay(due_ms) <= LastPromotableDay(now_ms, park_after)) return false;
  return IsWellFormedReminderId(id);
}

}  // namespace dermaflow::notification
